import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorState, Loading } from '../../components/page-states.tsx';
import { SchemeWorkspace } from './scheme-workspace.tsx';
import { useScheme, useSchemeVersions } from './use-schemes.ts';

/** 分类方案详情 `/schemes/:key`: edit, preview, publish and run one scheme, and read its history. */
export default function SchemeDetailPage() {
  const { t } = useTranslation('schemes');
  const { key = '' } = useParams();
  const scheme = useScheme(key);
  const versions = useSchemeVersions(key);

  if (scheme.error instanceof ApiError && scheme.error.status === 404) {
    return (
      <Result
        status="404"
        title={t('detail.notFound', { key })}
        extra={
          <Link to="/schemes">
            <Button type="primary" icon={<ArrowLeftOutlined />}>
              {t('detail.back')}
            </Button>
          </Link>
        }
      />
    );
  }
  if (scheme.error) return <ErrorState error={scheme.error} onRetry={() => scheme.refetch()} />;
  if (versions.error) return <ErrorState error={versions.error} onRetry={() => versions.refetch()} />;
  if (!scheme.data || !versions.data) return <Loading />;
  // A new current version (published here or elsewhere) starts the editor afresh, and so
  // does the versions answer catching up with it: the two are fetched apart, and an editor
  // started before the draft of the new version arrived would never show it.
  return (
    <SchemeWorkspace
      key={`${key}:${scheme.data.version}:${versions.data.currentVersion}`}
      scheme={scheme.data}
      versions={versions.data}
    />
  );
}

import { CloudUploadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../api/session.ts';
import { EmptyState, ErrorState, Loading } from '../../components/page-states.tsx';
import { useSchemes } from '../schemes/use-schemes.ts';
import { CustomerFilterBar } from './customer-filter-bar.tsx';
import { isFiltered, useCustomerFilters } from './customer-filters.ts';
import { CustomerTable } from './customer-table.tsx';
import { useCustomerList } from './use-customers.ts';

/** 客户 list: quick filters, search and a rule box over a server-side sorted and paged table. */
export default function CustomersPage() {
  const { t } = useTranslation('customers');
  const can = useCan();
  const [filters, setFilters] = useCustomerFilters();
  const list = useCustomerList(filters);
  const schemes = useSchemes();
  const filtered = isFiltered(filters);

  let body: React.ReactNode;
  if (list.isPending) body = <Loading />;
  else if (list.error && !list.data) body = <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  else if (list.data?.total === 0 && !filtered && !list.isPlaceholderData) {
    body = (
      <Card data-testid="customers-empty">
        <EmptyState
          description={
            <Flex vertical gap={4}>
              <Typography.Text strong>{t('empty.none')}</Typography.Text>
              <Typography.Text type="secondary">{t('empty.noneHint')}</Typography.Text>
            </Flex>
          }
        >
          {can('imports.run') ? (
            <Link to="/imports">
              <Button type="primary" icon={<CloudUploadOutlined />}>
                {t('empty.import')}
              </Button>
            </Link>
          ) : null}
        </EmptyState>
      </Card>
    );
  } else {
    body = (
      <>
        {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} /> : null}
        <CustomerTable
          page={list.data}
          loading={list.isFetching}
          filters={filters}
          schemes={schemes.data ?? []}
          onChange={setFilters}
        />
      </>
    );
  }

  const noMatch = list.data?.total === 0 && filtered && !list.isFetching;
  return (
    <Flex vertical gap={16} data-testid="customers-page" style={{ minWidth: 0 }}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
      </div>
      <CustomerFilterBar filters={filters} onChange={setFilters} />
      {noMatch ? (
        <Card size="small" data-testid="customers-no-match">
          <EmptyState
            description={
              <Flex vertical gap={4}>
                <Typography.Text strong>{t('empty.noMatch')}</Typography.Text>
                <Typography.Text type="secondary">{t('empty.noMatchHint')}</Typography.Text>
              </Flex>
            }
          />
        </Card>
      ) : (
        body
      )}
    </Flex>
  );
}

import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, App, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import {
  assignField,
  type ColumnChoices,
  requiredKeys,
  suggestedChoices,
  unmetRequirements,
} from './column-mapping.ts';
import type { UploadInfo } from './import-api.ts';
import { cellText } from './import-format.ts';

const IGNORE = '__ignore__';

type ColumnRow = { key: number; header: string; samples: string[] };

/**
 * Step 3: one row per file column with the suggested field, a manual override (or
 * "ignore"), required fields marked and the unmet requirements spelt out.
 */
export function MappingStep({
  upload,
  choices,
  onChange,
}: {
  upload: UploadInfo;
  choices: ColumnChoices;
  onChange: (choices: ColumnChoices) => void;
}) {
  const { t } = useTranslation('imports');
  const pick = useBilingual();
  const { message } = App.useApp();
  const suggested = suggestedChoices(upload);
  const required = requiredKeys(upload);
  const unmet = unmetRequirements(upload, choices);
  const fieldOf = new Map(upload.fields.map((f) => [f.key, f]));
  const keepsExtras = upload.entity === 'customers';
  const fieldName = (key: string) => {
    const f = fieldOf.get(key);
    return f ? pick(f) : key;
  };

  const label = (key: string) => {
    const f = fieldOf.get(key);
    if (!f) return key;
    return (
      <span>
        {f.zh} <Typography.Text type="secondary">{f.en}</Typography.Text>
        {required.has(key) && (
          <Tag color="red" style={{ marginInlineStart: 6 }}>
            {t('mapping.requiredTag')}
          </Tag>
        )}
      </span>
    );
  };
  const option = (key: string) => {
    const f = fieldOf.get(key);
    return { value: key, label: label(key), search: f ? `${f.zh} ${f.en} ${f.key}` : key };
  };
  const options = [
    { value: IGNORE, label: t(keepsExtras ? 'mapping.keepAsAttribute' : 'mapping.ignore'), search: '' },
    {
      label: t('mapping.requiredGroup'),
      options: upload.fields.filter((f) => required.has(f.key)).map((f) => option(f.key)),
    },
    {
      label: t('mapping.otherGroup'),
      options: upload.fields.filter((f) => !required.has(f.key)).map((f) => option(f.key)),
    },
  ];

  const rows: ColumnRow[] = upload.headers.map((header, i) => ({
    key: i,
    header,
    samples: upload.sample
      .map((r) => cellText(r[i]))
      .filter((v) => v !== '')
      .slice(0, 3),
  }));
  const mappedCount = choices.filter((c) => c !== null).length;

  const choose = (column: number, value: string) => {
    const field = value === IGNORE ? null : value;
    const { choices: next, movedFrom } = assignField(choices, column, field);
    if (field !== null && movedFrom !== null) {
      message.info(t('mapping.movedFrom', { field: fieldName(field), column: upload.headers[movedFrom] }));
    }
    onChange(next);
  };

  const ruleText = (rule: { anyOf: string[][] }) =>
    rule.anyOf.map((set) => set.map((k) => `“${fieldName(k)}”`).join(t('mapping.and'))).join(t('mapping.or'));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('mapping.intro')} {t(keepsExtras ? 'mapping.attributeNote' : 'mapping.ignoreNote')}
      </Typography.Paragraph>

      <Space wrap size={[8, 8]} data-testid="required-fields">
        <Typography.Text strong>{t('mapping.requiredFields')}</Typography.Text>
        {upload.requirements.map((rule) => {
          const met = !unmet.includes(rule);
          return (
            <Tag
              key={rule.anyOf.map((s) => s.join('+')).join('|')}
              color={met ? 'success' : 'error'}
              icon={met ? <CheckCircleFilled /> : <CloseCircleFilled />}
            >
              {rule.anyOf.map((set) => set.map(fieldName).join(' + ')).join(' / ')}
            </Tag>
          );
        })}
        <Typography.Text type="secondary">
          {t('mapping.mappedCount', { mapped: mappedCount, total: upload.headers.length })}
        </Typography.Text>
      </Space>

      {unmet.length > 0 ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="mapping-missing"
          title={t('mapping.missingTitle')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {unmet.map((rule) => (
                <li key={rule.anyOf.map((s) => s.join('+')).join('|')}>
                  {t('mapping.missingRule', { fields: ruleText(rule) })}
                </li>
              ))}
            </ul>
          }
        />
      ) : (
        <Alert type="success" showIcon data-testid="mapping-complete" title={t('mapping.allRequired')} />
      )}

      <Table<ColumnRow>
        data-testid="mapping-table"
        size="middle"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 720 }}
        rowKey="key"
        columns={[
          {
            key: 'header',
            title: t('mapping.column'),
            width: '24%',
            render: (_, row) => (
              <Typography.Text strong data-testid={`mapping-header-${row.key}`}>
                {row.header}
              </Typography.Text>
            ),
          },
          {
            key: 'sample',
            title: t('mapping.sample'),
            width: '26%',
            render: (_, row) => (
              <Typography.Text type="secondary" ellipsis={{ tooltip: row.samples.join('、') }}>
                {row.samples.join('、') || '—'}
              </Typography.Text>
            ),
          },
          {
            key: 'field',
            title: t('mapping.field'),
            width: '34%',
            render: (_, row) => {
              const current = choices[row.key];
              return (
                <Select
                  data-testid={`mapping-select-${row.key}`}
                  aria-label={`${t('mapping.field')}: ${row.header}`}
                  style={{ width: '100%' }}
                  value={current ?? IGNORE}
                  options={options}
                  showSearch={{
                    filterOption: (input, opt) =>
                      String((opt as { search?: string } | undefined)?.search ?? '')
                        .toLowerCase()
                        .includes(input.toLowerCase()),
                  }}
                  placeholder={t('mapping.placeholder')}
                  onChange={(v: string) => choose(row.key, v)}
                  popupMatchSelectWidth={false}
                />
              );
            },
          },
          {
            key: 'state',
            title: t('mapping.state'),
            width: '16%',
            render: (_, row) => {
              const current = choices[row.key];
              if (current === null)
                return (
                  <Tag data-testid={`mapping-state-${row.key}`}>
                    {t(keepsExtras ? 'mapping.attribute' : 'mapping.ignored')}
                  </Tag>
                );
              const auto = suggested[row.key] === current;
              return (
                <Tag color={auto ? 'blue' : 'purple'} data-testid={`mapping-state-${row.key}`}>
                  {t(auto ? 'mapping.auto' : 'mapping.manual')}
                </Tag>
              );
            },
          },
        ]}
      />
    </Space>
  );
}

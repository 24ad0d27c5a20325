import { ClearOutlined, FilterOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../api/session.ts';
import { useBilingual } from '../../components/bilingual.ts';
import { type RuleCheckResult, RuleInput } from '../../components/rule-input.tsx';
import { useSchemes } from '../schemes/use-schemes.ts';
import { type CustomerFilters, isFiltered } from './customer-filters.ts';
import { useCustomerFacets } from './use-customers.ts';

const SELECT_WIDTH = { width: 140 };

/** Quick filters (scheme class, tag, region, owner), a text search and the rule box; all write to the URL. */
export function CustomerFilterBar({
  filters,
  onChange,
}: {
  filters: CustomerFilters;
  onChange: (change: Partial<CustomerFilters>) => void;
}) {
  const { t } = useTranslation('customers');
  const pick = useBilingual();
  const can = useCan();
  const me = useMe();
  const schemes = useSchemes();
  const facets = useCustomerFacets();
  const [q, setQ] = useState(filters.q ?? '');
  const [rule, setRule] = useState(filters.rule ?? '');
  const [check, setCheck] = useState<RuleCheckResult | null>(null);

  // Back/forward and dashboard links change the URL under the inputs.
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  useEffect(() => setRule(filters.rule ?? ''), [filters.rule]);

  const scheme = schemes.data?.find((s) => s.key === filters.scheme);
  const ruleChanged = rule.trim() !== (filters.rule ?? '');
  const applyRule = () => {
    if (check && !check.ok) return;
    onChange({ rule: rule.trim() || undefined });
  };
  const ownerOptions = [
    ...(me.data?.scope === 'own' ? [] : [{ value: 'me', label: t('filter.ownerMe') }]),
    ...(facets.data?.owners ?? []).map((o) => ({
      value: String(o.id),
      label: t('filter.count', { name: o.displayName ?? o.username, count: o.count }),
    })),
  ];

  return (
    <Card size="small" styles={{ body: { padding: 16 } }} data-testid="customer-filters">
      <Flex wrap gap={8} align="center">
        <Input.Search
          allowClear
          data-testid="customer-search"
          aria-label={t('filter.search')}
          placeholder={can('pii.view') ? t('filter.searchPii') : t('filter.search')}
          prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.25)' }} />}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(value) => onChange({ q: value.trim() || undefined })}
          style={{ width: 250 }}
        />
        <Select
          allowClear
          data-testid="filter-scheme"
          aria-label={t('filter.scheme')}
          placeholder={t('filter.scheme')}
          loading={schemes.isPending}
          value={filters.scheme}
          onChange={(value?: string) => onChange({ scheme: value, classKey: undefined })}
          options={(schemes.data ?? []).map((s) => ({ value: s.key, label: pick(s.name) }))}
          style={SELECT_WIDTH}
        />
        <Select
          allowClear
          data-testid="filter-class"
          aria-label={t('filter.class')}
          placeholder={scheme ? t('filter.anyClass') : t('filter.class')}
          disabled={!scheme}
          value={filters.classKey}
          onChange={(value?: string) => onChange({ classKey: value })}
          options={(scheme?.classes ?? []).map((c) => ({ value: c.key, label: pick(c.name) }))}
          style={SELECT_WIDTH}
          popupMatchSelectWidth={false}
        />
        <Select
          allowClear
          showSearch
          data-testid="filter-tag"
          aria-label={t('filter.tag')}
          placeholder={t('filter.tag')}
          loading={facets.isPending}
          value={filters.tag}
          onChange={(value?: string) => onChange({ tag: value })}
          options={(facets.data?.tags ?? []).map((tag) => ({
            value: tag.name,
            label: t('filter.count', { name: tag.name, count: tag.count }),
          }))}
          style={SELECT_WIDTH}
        />
        <Select
          allowClear
          showSearch
          data-testid="filter-region"
          aria-label={t('filter.region')}
          placeholder={t('filter.region')}
          loading={facets.isPending}
          value={filters.region}
          onChange={(value?: string) => onChange({ region: value })}
          options={(facets.data?.regions ?? []).map((r) => ({
            value: r.value,
            label: t('filter.count', { name: r.value, count: r.count }),
          }))}
          style={SELECT_WIDTH}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          data-testid="filter-owner"
          aria-label={t('filter.owner')}
          placeholder={t('filter.owner')}
          loading={facets.isPending}
          value={filters.owner}
          onChange={(value?: string) => onChange({ owner: value })}
          options={ownerOptions}
          style={SELECT_WIDTH}
        />
        {isFiltered(filters) ? (
          <Button
            type="link"
            icon={<ClearOutlined />}
            data-testid="clear-filters"
            onClick={() =>
              onChange({
                scheme: undefined,
                classKey: undefined,
                tag: undefined,
                region: undefined,
                owner: undefined,
                q: undefined,
                rule: undefined,
              })
            }
          >
            {t('filter.clearAll')}
          </Button>
        ) : null}
      </Flex>
      <div style={{ marginTop: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <FilterOutlined /> {t('filter.ruleHint')}
        </Typography.Text>
        <Flex gap={8} align="flex-start" style={{ marginTop: 6 }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <RuleInput
              value={rule}
              onChange={setRule}
              onCheck={setCheck}
              onSubmit={applyRule}
              rows={1}
              placeholder={t('filter.rulePlaceholder')}
              testId="customer-rule"
            />
          </div>
          <Space>
            <Button
              type="primary"
              data-testid="apply-rule"
              disabled={!ruleChanged || Boolean(check && !check.ok)}
              onClick={applyRule}
            >
              {t('filter.apply')}
            </Button>
            {filters.rule ? (
              <Button
                onClick={() => {
                  setRule('');
                  onChange({ rule: undefined });
                }}
              >
                {t('filter.clearRule')}
              </Button>
            ) : null}
          </Space>
        </Flex>
      </div>
    </Card>
  );
}

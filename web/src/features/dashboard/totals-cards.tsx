import {
  FieldTimeOutlined,
  FireOutlined,
  MoneyCollectOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Card, Col, Row, Statistic, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../components/bilingual.ts';
import type { Dashboard } from './use-dashboard.ts';

type Tile = {
  key: string;
  title: string;
  value: string;
  /** the full figure, as a tooltip when `value` is abbreviated */
  exact?: string;
  hint: string;
  icon: ReactNode;
  tint: string;
};

/**
 * Yuan without decimals; from ten million up in 万 (zh) or millions (en) so the figure
 * fits its card on a laptop screen. 167525440 fen → ¥1,675,254; 2e10 fen → ¥2,000万.
 */
function compactYuan(fen: number, english: boolean): string {
  const yuan = fen / 100;
  if (Math.abs(yuan) < 10_000_000) return formatFen(fen, { decimals: 0 });
  if (english) return `¥${(yuan / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })}M`;
  return `¥${(yuan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 0 })}万`;
}

/** The five headline figures, one card each, wrapping to two rows on narrow screens. */
export function TotalsCards({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation('dashboard');
  const { totals } = data;
  const number = (n: number) => n.toLocaleString('zh-CN');
  const percent = (part: number, whole: number) =>
    whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`;
  const avgOrder = totals.orders365d === 0 ? null : Math.round(totals.revenue365d / totals.orders365d);

  const tiles: Tile[] = [
    {
      key: 'customers',
      title: t('totals.customers'),
      value: number(totals.customers),
      hint: data.scope === 'own' ? t('totals.customersOwnHint') : t('totals.customersHint'),
      icon: <TeamOutlined />,
      tint: '#1677ff',
    },
    {
      key: 'orders',
      title: t('totals.orders'),
      value: number(totals.orders),
      hint: t('totals.ordersHint'),
      icon: <ShoppingCartOutlined />,
      tint: '#13c2c2',
    },
    {
      key: 'orders365d',
      title: t('totals.orders365d'),
      value: number(totals.orders365d),
      hint: t('totals.orders365dHint', { asOf: data.asOf }),
      icon: <FieldTimeOutlined />,
      tint: '#722ed1',
    },
    {
      key: 'revenue365d',
      title: t('totals.revenue365d'),
      value: compactYuan(totals.revenue365d, i18n.language.startsWith('en')),
      exact: formatFen(totals.revenue365d),
      hint: t('totals.avgOrder', { amount: formatFen(avgOrder, { decimals: 0 }) }),
      icon: <MoneyCollectOutlined />,
      tint: '#fa8c16',
    },
    {
      key: 'active',
      title: t('totals.active'),
      value: number(totals.activeCustomers365d),
      hint: t('totals.activeHint', { share: percent(totals.activeCustomers365d, totals.customers) }),
      icon: <FireOutlined />,
      tint: '#52c41a',
    },
  ];

  return (
    <Row gutter={[16, 16]}>
      {tiles.map((tile) => (
        <Col key={tile.key} flex="1 1 190px" style={{ minWidth: 0 }}>
          <Card
            data-testid={`total-${tile.key}`}
            styles={{ body: { padding: '16px 20px', position: 'relative' } }}
            style={{ height: '100%' }}
          >
            {/* The icon floats in the corner so the figure below the title gets the card's full width. */}
            <div
              aria-hidden
              style={{
                position: 'absolute',
                top: 16,
                right: 16,
                width: 36,
                height: 36,
                borderRadius: 10,
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 18,
                color: tile.tint,
                background: `${tile.tint}14`,
              }}
            >
              {tile.icon}
            </div>
            <Tooltip title={tile.exact} placement="bottomLeft">
              <div style={{ overflow: 'hidden' }}>
                <Statistic
                  title={<span style={{ display: 'block', paddingRight: 40 }}>{tile.title}</span>}
                  value={tile.value}
                  styles={{ content: { fontSize: 26, fontWeight: 600, whiteSpace: 'nowrap' } }}
                />
              </div>
            </Tooltip>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
              {tile.hint}
            </Typography.Text>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

import { QuestionCircleOutlined } from '@ant-design/icons';
import { Card, Space, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { EmptyState } from '../../components/page-states.tsx';
import type { ClassLabel } from './use-dashboard.ts';

/** Colours for classes a scheme left without one (custom schemes), in a stable order. */
const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#eb2f96', '#13c2c2', '#722ed1', '#faad14', '#2f54eb'];

export function classColor(label: Pick<ClassLabel, 'color'>, index: number): string {
  return label.color ?? PALETTE[index % PALETTE.length];
}

/**
 * One dashboard panel: a titled card whose body is the chart, or an empty state of the
 * same height so the grid stays aligned when a panel has nothing to show yet.
 */
export function ChartCard({
  title,
  help,
  extra,
  empty,
  height,
  testId,
  children,
  footer,
}: {
  title: ReactNode;
  help?: ReactNode;
  extra?: ReactNode;
  /** when set, shown instead of the chart */
  empty?: ReactNode;
  height: number;
  testId: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Card
      data-testid={testId}
      title={
        <Space size={6}>
          <span>{title}</span>
          {help && (
            <Tooltip title={help}>
              <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)', fontSize: 13 }} />
            </Tooltip>
          )}
        </Space>
      }
      extra={extra}
      styles={{ body: { padding: '12px 16px 16px' } }}
      style={{ height: '100%' }}
    >
      {empty ? (
        <div
          data-testid={`${testId}-empty`}
          style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
        >
          <EmptyState description={empty} />
        </div>
      ) : (
        children
      )}
      {footer && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
          {footer}
        </Typography.Text>
      )}
    </Card>
  );
}

import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportCounts } from './import-api.ts';

const TILES: { key: keyof ImportCounts; label: string; color: string }[] = [
  { key: 'rows', label: 'dryRun.rows', color: 'rgba(0,0,0,0.88)' },
  { key: 'new', label: 'dryRun.new', color: '#389e0d' },
  { key: 'updated', label: 'dryRun.updated', color: '#1677ff' },
  { key: 'unchanged', label: 'dryRun.unchanged', color: 'rgba(0,0,0,0.45)' },
  { key: 'invalid', label: 'dryRun.invalid', color: '#cf1322' },
  { key: 'duplicate', label: 'dryRun.duplicate', color: '#d46b08' },
];

/** The six numbers of a dry run or an import, as tiles: rows read, new, updated, unchanged, invalid, duplicate. */
export function ImportCountTiles({ counts, testIdPrefix }: { counts: ImportCounts; testIdPrefix: string }) {
  const { t, i18n } = useTranslation('imports');
  const locale = i18n.language.startsWith('en') ? 'en-US' : 'zh-CN';
  return (
    <Row gutter={[12, 12]}>
      {TILES.map((tile) => {
        const value = counts[tile.key];
        const muted = value === 0 && tile.key !== 'rows';
        return (
          <Col key={tile.key} xs={12} md={8} xl={4}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic
                title={t(tile.label)}
                value={value}
                formatter={(v) => (
                  <span data-testid={`${testIdPrefix}-${tile.key}`}>{Number(v).toLocaleString(locale)}</span>
                )}
                styles={{ content: { color: muted ? 'rgba(0,0,0,0.25)' : tile.color } }}
              />
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

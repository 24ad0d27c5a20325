import { InfoCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Form, Input, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleCheckResult } from '../../components/rule-input.tsx';
import { ClassCard } from './class-card.tsx';
import { ParamsCard } from './params-card.tsx';
import { newClass } from './scheme-draft.ts';
import type { SchemeEditor } from './use-scheme-editor.ts';
import type { Scheme } from './use-schemes.ts';

/** The 定义 tab: names, parameters and thresholds, and the ordered classes with their rules. */
export function DefinitionEditor({
  scheme,
  editor,
  readOnly,
}: {
  scheme: Scheme;
  editor: SchemeEditor;
  readOnly: boolean;
}) {
  const { t, i18n } = useTranslation('schemes');
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const { definition, errors } = editor;
  const structural = !scheme.builtin;
  const [checks, setChecks] = useState<Record<number, RuleCheckResult | null>>({});
  const params = definition.params ?? {};

  const move = (from: number, to: number) => {
    const classes = [...definition.classes];
    const [moved] = classes.splice(from, 1);
    classes.splice(to, 0, moved);
    editor.update({ ...definition, classes }, 'classes');
    setChecks({});
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Flex vertical gap={16}>
          <Card title={t('info.title')} size="small">
            <Form layout="vertical" component="div" disabled={readOnly}>
              <Form.Item
                label={t('info.nameZh')}
                validateStatus={errors['name.zh'] ? 'error' : undefined}
                help={errors['name.zh']}
                style={{ marginBottom: 12 }}
              >
                <Input
                  value={definition.name.zh}
                  onChange={(e) =>
                    editor.update(
                      { ...definition, name: { ...definition.name, zh: e.target.value } },
                      'name.zh',
                    )
                  }
                />
              </Form.Item>
              <Form.Item
                label={t('info.nameEn')}
                validateStatus={errors['name.en'] ? 'error' : undefined}
                help={errors['name.en']}
                style={{ marginBottom: 12 }}
              >
                <Input
                  value={definition.name.en}
                  onChange={(e) =>
                    editor.update(
                      { ...definition, name: { ...definition.name, en: e.target.value } },
                      'name.en',
                    )
                  }
                />
              </Form.Item>
              <Form.Item label={t('info.description')} style={{ marginBottom: 0 }}>
                <Input.TextArea
                  value={definition.description?.[lang] ?? ''}
                  autoSize={{ minRows: 2, maxRows: 4 }}
                  onChange={(e) =>
                    editor.update(
                      { ...definition, description: { ...definition.description, [lang]: e.target.value } },
                      'description',
                    )
                  }
                />
              </Form.Item>
            </Form>
          </Card>
          <ParamsCard
            params={params}
            uses={scheme.paramUses}
            errors={errors}
            readOnly={readOnly}
            extensible={structural}
            onChange={(next, touched) => editor.update({ ...definition, params: next }, touched)}
          />
          {definition.scores?.length ? (
            <Card title={t('info.scores')} size="small">
              <Typography.Text type="secondary">
                {t('info.scoresHelp', { scores: definition.scores.join('、') })}
              </Typography.Text>
            </Card>
          ) : null}
        </Flex>
      </Col>
      <Col xs={24} lg={16}>
        <Flex vertical gap={12}>
          <Alert
            type="info"
            showIcon
            icon={<InfoCircleOutlined />}
            title={t('classes.firstMatch')}
            description={structural ? t('classes.customHelp') : t('classes.builtinHelp')}
          />
          {errors.classes ? <Alert type="error" showIcon title={errors.classes} /> : null}
          {definition.classes.map((c, i) => (
            <ClassCard
              // Index keys keep focus while a class key is being typed; cards are fully controlled.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={i}
              value={c}
              index={i}
              count={definition.classes.length}
              params={params}
              errors={errors}
              readOnly={readOnly}
              structural={structural}
              fixedKey={scheme.builtin}
              onChange={(patch, touched) => editor.updateClass(i, patch, touched)}
              onMove={(to) => move(i, to)}
              onRemove={() => {
                editor.update(
                  { ...definition, classes: definition.classes.filter((_, j) => j !== i) },
                  'classes',
                );
                setChecks({});
              }}
              ruleChecked={checks[i]}
              onRuleCheck={(result) => setChecks((all) => ({ ...all, [i]: result }))}
            />
          ))}
          {structural && !readOnly ? (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              block
              onClick={() => {
                // A new class goes before a trailing catch-all, so it can match at all.
                const classes = [...definition.classes];
                const last = classes[classes.length - 1];
                const at = last && last.rule.trim() === 'true' ? classes.length - 1 : classes.length;
                classes.splice(at, 0, newClass(definition.classes));
                editor.update({ ...definition, classes }, 'classes');
                setChecks({});
              }}
              data-testid="add-class"
            >
              {t('classes.add')}
            </Button>
          ) : null}
        </Flex>
      </Col>
    </Row>
  );
}

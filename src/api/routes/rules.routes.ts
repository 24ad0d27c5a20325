import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkRuleText, listRuleFields } from '../../services/rules/rules.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { ruleCheckBody, ruleCheckDto, ruleFieldsDto } from '../contract/rules.contract.ts';

export async function registerRulesRoutes(app: FastifyInstance, _deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/rules/fields',
    {
      schema: {
        tags: ['rules'],
        summary: 'Fields a rule may name / 规则可用字段',
        response: { 200: ruleFieldsDto },
      },
    },
    async (request) => {
      authorize(request, 'customers.read');
      return { items: listRuleFields() };
    },
  );

  r.post(
    '/api/v1/rules/check',
    {
      schema: {
        tags: ['rules'],
        summary: 'Check a rule expression without running it / 校验规则表达式',
        body: ruleCheckBody,
        response: { 200: ruleCheckDto },
      },
    },
    async (request) => {
      authorize(request, 'customers.read');
      const result = checkRuleText(request.body.expression, request.body.params);
      return result.ok
        ? { ok: true as const }
        : {
            ok: false as const,
            error: {
              code: result.error.code,
              line: result.error.line,
              column: result.error.column,
              message: result.error.message,
              ...(result.error.suggestion ? { suggestion: result.error.suggestion } : {}),
            },
          };
    },
  );
}

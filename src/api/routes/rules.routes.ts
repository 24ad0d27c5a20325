import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkRuleText, listRuleFields } from '../../services/rules/rules.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';

const ruleErrorDto = z.object({
  code: z.string(),
  line: z.number().describe('1-based; 0 when the error has no position'),
  column: z.number(),
  message: z.object({ zh: z.string(), en: z.string() }),
  suggestion: z
    .string()
    .optional()
    .describe('nearest known name for a misspelt field, function or parameter'),
});

export async function registerRulesRoutes(app: FastifyInstance, _deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/rules/fields',
    {
      schema: {
        tags: ['rules'],
        summary: 'Fields a rule may name / 规则可用字段',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                type: z.enum(['number', 'money', 'string', 'date', 'boolean']),
                zh: z.string(),
                en: z.string(),
                aliases: z.array(z.string()),
                pii: z.boolean(),
              }),
            ),
          }),
        },
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
        body: z.object({
          expression: z.string().max(10_000),
          params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
        }),
        response: { 200: z.object({ ok: z.boolean(), error: ruleErrorDto.optional() }) },
      },
    },
    async (request) => {
      authorize(request, 'customers.read');
      const result = checkRuleText(request.body.expression, request.body.params);
      return result.ok
        ? { ok: true }
        : {
            ok: false,
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

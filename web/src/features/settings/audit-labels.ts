import type { TFunction } from 'i18next';
import type { AuditEntry } from './use-settings.ts';

/** Every action the server writes (src/services/audit/audit.service.ts), grouped for the filter. */
export const AUDIT_ACTION_GROUPS: Record<string, string[]> = {
  auth: ['login.success', 'login.failure', 'logout'],
  data: ['customer.create', 'customer.update', 'customer.possible-duplicate', 'pii.reveal', 'export'],
  work: ['import.commit', 'scheme.publish', 'classification.run'],
  admin: ['user.create', 'user.update', 'token.create', 'token.revoke'],
  privacy: ['privacy.export', 'customer.erase'],
};

export const AUDIT_ENTITIES = ['user', 'customer', 'api_token', 'scheme', 'import_job', 'classification_run'];

/** Red for what removes or exposes personal data, orange for failures, blue for the rest. */
export function actionColor(action: string): string {
  if (action === 'customer.erase' || action === 'privacy.export') return 'red';
  if (action === 'pii.reveal' || action === 'export') return 'gold';
  if (action === 'login.failure' || action === 'token.revoke') return 'orange';
  if (action.startsWith('login') || action === 'logout') return 'default';
  if (action.startsWith('user') || action.startsWith('token')) return 'purple';
  return 'blue';
}

/** The readable name of an action; an action this build does not know shows as its code. */
export function actionName(action: string, t: TFunction): string {
  return t(`settings:audit.names.${action}`, { defaultValue: action });
}

export function entityName(entity: string | null, t: TFunction): string {
  if (!entity) return '';
  return t(`settings:audit.entities.${entity}`, { defaultValue: entity });
}

type Change = { from?: unknown; to?: unknown };

function isChange(v: unknown): v is Change {
  return typeof v === 'object' && v !== null && 'to' in v;
}

/** One line saying what an entry did, from its details (which never carry PII values). */
export function describeEntry(entry: AuditEntry, t: TFunction): string {
  const d = entry.details ?? {};
  const role = (r: unknown) => (typeof r === 'string' ? t(`common:role.${r}`, { defaultValue: r }) : '');
  const parts: string[] = [];
  switch (entry.action) {
    case 'user.create':
      parts.push(t('settings:audit.describe.created', { username: d.username ?? '', role: role(d.role) }));
      break;
    case 'user.update':
      if (isChange(d.role))
        parts.push(t('settings:audit.describe.roleChange', { from: role(d.role.from), to: role(d.role.to) }));
      if (isChange(d.disabled))
        parts.push(
          t(d.disabled.to ? 'settings:audit.describe.disabledOn' : 'settings:audit.describe.disabledOff'),
        );
      if (d.password === 'set') parts.push(t('settings:audit.describe.passwordSet'));
      else if (typeof d.password === 'string') parts.push(t('settings:audit.describe.passwordChanged'));
      if (d.unlocked) parts.push(t('settings:audit.describe.unlocked'));
      if (isChange(d.locale))
        parts.push(
          t('settings:audit.describe.locale', { from: String(d.locale.from), to: String(d.locale.to) }),
        );
      if (d.displayName) parts.push(t('settings:audit.describe.displayName'));
      if (typeof d.tokensRevoked === 'number' && d.tokensRevoked > 0)
        parts.push(t('settings:audit.describe.tokensRevoked', { count: d.tokensRevoked }));
      break;
    case 'token.create':
    case 'token.revoke':
      if (typeof d.name === 'string') parts.push(`${d.name} · ${role(d.role)}`);
      break;
    case 'privacy.export':
      parts.push(
        t('settings:audit.describe.counts', {
          orders: d.orders ?? 0,
          interactions: d.interactions ?? 0,
          feedback: d.feedback ?? 0,
        }),
      );
      break;
    case 'export':
      if (typeof d.format === 'string') parts.push(d.format.toUpperCase());
      if (typeof d.rows === 'number') parts.push(t('settings:audit.describe.rows', { rows: d.rows }));
      break;
    case 'customer.create':
    case 'customer.update':
    case 'pii.reveal':
      if (Array.isArray(d.fields)) parts.push(d.fields.join(', '));
      break;
    case 'customer.possible-duplicate':
      if (Array.isArray(d.matches)) {
        for (const m of d.matches as { code?: unknown; by?: unknown }[]) {
          if (typeof m.code === 'string')
            parts.push(`${m.code}${typeof m.by === 'string' ? ` (${m.by})` : ''}`);
        }
      }
      break;
    case 'classification.run':
      if (typeof d.asOf === 'string') parts.push(d.asOf);
      if (Array.isArray(d.schemes)) parts.push(d.schemes.join(', '));
      break;
    default:
      break;
  }
  return parts.join(entry.action === 'user.update' ? ' · ' : ' ');
}

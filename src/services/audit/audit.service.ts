import { appendAuditRow } from '../../db/auth/audit-log.repository.ts';
import type { Db } from '../../db/database.ts';

/** What an audit row records; details never carry PII values, only which record and what kind. */
export type AuditEntry = {
  actor: string;
  action:
    | 'login.success'
    | 'login.failure'
    | 'logout'
    | 'pii.reveal'
    | 'export'
    | 'import.commit'
    | 'scheme.publish'
    | 'classification.run'
    | 'customer.create'
    | 'customer.update'
    | 'customer.possible-duplicate'
    | 'customer.erase'
    | 'privacy.export'
    | 'user.create'
    | 'user.update'
    | 'token.create'
    | 'token.revoke';
  entity?: string;
  entityId?: string | number;
  details?: Record<string, unknown>;
  at: Date;
};

/** Appends one row to the append-only audit log. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await appendAuditRow(db, {
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity ?? null,
    entity_id: entry.entityId === undefined ? null : String(entry.entityId),
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../api/client.ts';
import type { Me } from '../../api/session.ts';

/** The shapes of src/api/routes/users.routes.ts and audit.routes.ts. */
export type Role = Me['role'];
export const ROLES: readonly Role[] = ['admin', 'manager', 'sales', 'service', 'analyst'];

export type User = {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  disabled: boolean;
  locale: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  lastLoginAt: string | null;
  lockedUntil: string | null;
};

export type ApiToken = {
  id: number;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export type RolePolicy = { role: Role; scope: 'all' | 'own'; actions: string[] };

export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown> | null;
};

export type AuditPage = { items: AuditEntry[]; total: number; page: number; pageSize: number };

export type AuditFilter = {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
};

const USERS_KEY = ['settings', 'users'] as const;
const TOKENS_KEY = ['settings', 'tokens'] as const;
const AUDIT_KEY = ['settings', 'audit'] as const;

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => api<{ items: User[]; total: number }>('/users', { signal }),
    enabled,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ['settings', 'roles'],
    queryFn: ({ signal }) => api<{ items: RolePolicy[] }>('/roles', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** After any change to users the list and the audit log are both out of date. */
function useRefreshUsers() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: USERS_KEY });
    void client.invalidateQueries({ queryKey: AUDIT_KEY });
  };
}

export function useCreateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: (body: { username: string; password: string; role: Role; displayName?: string }) =>
      api<User>('/users', { method: 'POST', body }),
    onSuccess: refresh,
  });
}

export function useUpdateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; version: number; role?: Role; disabled?: boolean }) =>
      api<User>(`/users/${id}`, { method: 'PATCH', body }),
    onSuccess: refresh,
    // A 409 means the list is stale: reload it so the next try uses the current version.
    onError: refresh,
  });
}

export function useResetPassword() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: ({ id, password }: { id: number; password: string }) =>
      api<{ ok: true }>(`/users/${id}/password`, { method: 'POST', body: { password } }),
    onSuccess: refresh,
  });
}

export function useUnlockUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: (id: number) => api<{ ok: true }>(`/users/${id}/unlock`, { method: 'POST' }),
    onSuccess: refresh,
  });
}

export function useTokens() {
  return useQuery({
    queryKey: TOKENS_KEY,
    queryFn: ({ signal }) => api<{ items: ApiToken[] }>('/tokens', { signal }),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: Role; expiresAt?: string }) =>
      api<ApiToken & { token: string }>('/tokens', { method: 'POST', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
      void client.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<ApiToken>(`/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
      void client.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
}

export function useAuditLog(filter: AuditFilter, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: [...AUDIT_KEY, filter, page, pageSize],
    queryFn: ({ signal }) =>
      api<AuditPage>('/audit', { signal, query: { ...filter, page, pageSize } as Query }),
    placeholderData: (previous) => previous,
    enabled,
  });
}

export function useInvalidateAudit() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: AUDIT_KEY });
}

export function useChangeOwnPassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<{ ok: true }>('/auth/me/password', { method: 'POST', body }),
  });
}

/**
 * A password of 16 characters drawn from letters and digits without look-alikes (0/O, 1/l/I),
 * so it can be read out over the phone; about 92 bits.
 */
export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** A server timestamp in the reader's clock: 2024-03-01 09:30. */
export function formatInstant(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang.startsWith('en') ? 'en-CA' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(date)
    .replace(/\//g, '-')
    .replace(',', '');
}

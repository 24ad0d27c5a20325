import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  ApiToken,
  AuditEntry,
  AuditPage,
  AuditQuery,
  CreateTokenInput,
  CreateUserInput,
  Role,
  RolePolicy,
  UpdateUserInput,
  UserListItem,
  User as UserRecord,
} from '../../api/contract.ts';

export type { ApiToken, AuditEntry, AuditPage, Role, RolePolicy, UserRecord };
/** A user as the list shows it: the record with its last sign-in and lock. */
export type User = UserListItem;
export const ROLES: readonly Role[] = ['admin', 'manager', 'sales', 'service', 'analyst'];

/** The audit log's filters: its query string without the paging. */
export type AuditFilter = Omit<AuditQuery, 'page' | 'pageSize'>;

const USERS_KEY = ['settings', 'users'] as const;
const TOKENS_KEY = ['settings', 'tokens'] as const;
const AUDIT_KEY = ['settings', 'audit'] as const;

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => api('GET /users', { signal }),
    enabled,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ['settings', 'roles'],
    queryFn: ({ signal }) => api('GET /roles', { signal }),
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
    mutationFn: (body: CreateUserInput) => api('POST /users', { body }),
    onSuccess: refresh,
  });
}

export function useUpdateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserInput & { id: number }) =>
      api('PATCH /users/:id', { params: { id }, body }),
    onSuccess: refresh,
    // A 409 means the list is stale: reload it so the next try uses the current version.
    onError: refresh,
  });
}

export function useResetPassword() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: ({ id, password }: { id: number; password: string }) =>
      api('POST /users/:id/password', { params: { id }, body: { password } }),
    onSuccess: refresh,
  });
}

export function useUnlockUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: (id: number) => api('POST /users/:id/unlock', { params: { id } }),
    onSuccess: refresh,
  });
}

export function useTokens() {
  return useQuery({
    queryKey: TOKENS_KEY,
    queryFn: ({ signal }) => api('GET /tokens', { signal }),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTokenInput) => api('POST /tokens', { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
      void client.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api('DELETE /tokens/:id', { params: { id } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
      void client.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
}

export function useAuditLog(filter: AuditFilter, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: [...AUDIT_KEY, filter, page, pageSize],
    queryFn: ({ signal }) => api('GET /audit', { signal, query: { ...filter, page, pageSize } }),
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
      api('POST /auth/me/password', { body }),
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

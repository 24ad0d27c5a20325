import type { TFunction } from 'i18next';
import { ApiError } from './client.ts';

/**
 * An error as one sentence for the user: the server's own message in the user's language,
 * introduced by what the status means (a 409 says someone else changed the record, a 403
 * says which permission is missing) — never a bare code.
 */
export function errorSentence(error: unknown, t: TFunction, lang: string): string {
  if (!(error instanceof ApiError)) return t('common:error.unknown');
  const server = lang.startsWith('zh') ? (error.messageZh ?? error.message) : error.message;
  switch (error.code) {
    case 'NetworkError':
      return t('common:error.network');
    case 'Unauthorized':
      // "wrong username or password" on the login page, "sign in first" elsewhere
      return server || t('common:error.unauthorized');
    case 'ServerError':
      return t('common:error.server');
    default:
      break;
  }
  if (error.status === 409) return t('common:error.conflict', { reason: server });
  if (error.status === 403) return t('common:error.forbidden', { reason: server });
  if (error.status === 404) return t('common:error.notFound', { reason: server });
  if (error.status === 400 || error.status === 422) return t('common:error.invalid', { reason: server });
  if (error.status === 429) return t('common:error.tooMany');
  if (error.status === 413) return t('common:error.tooLarge');
  return server;
}

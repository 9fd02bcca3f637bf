import { ApiError, NO_RESPONSE_STATUS } from '../api/client';
import { errorMessage } from '../format';
import { currentLanguage, i18n, translate } from './i18n';
import { FALLBACK_LANGUAGE } from './resources';

/** The refusal code of an API answer (`{ code: 'SESSION_FULL', message }`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || typeof error.body !== 'object' || error.body === null) return undefined;
  const code = (error.body as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What went wrong, in the chosen language: a server refusal by its code (errors.json), no answer at all as
 * "no network". A code without a translation shows the server's English message in English, and a generic
 * sentence naming the code in any other language, so no English sentence appears on a translated screen.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === NO_RESPONSE_STATUS) return translate('errors.offline');
    const code = errorCode(error);
    if (code && i18n.exists(`errors.${code}`)) return translate(`errors.${code}`);
    if (currentLanguage() !== FALLBACK_LANGUAGE) return translate('errors.generic', { code: code ?? error.status });
    return error.message;
  }
  return errorMessage(error);
}

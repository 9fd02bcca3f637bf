import { isRefusalCode, refusalEntry } from '../../../domain/refusals';
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
 * A refusal in the chosen language, by its code: every code of the catalogue (domain/refusals.ts) has a sentence in
 * every language's errors.json. In English, a code the catalogue does not mark `shown` keeps the server's own words
 * (`serverWords`), which say more (which session day, which row); any other language has only the dictionary's.
 * Undefined for a code the dictionary does not have.
 */
export function refusalText(code: string | undefined, serverWords: string | undefined): string | undefined {
  if (!code || !i18n.exists(`errors.${code}`)) return undefined;
  const ownWords = isRefusalCode(code) && !refusalEntry(code).shown && serverWords?.trim();
  if (ownWords && currentLanguage() === FALLBACK_LANGUAGE) return serverWords;
  return translate(`errors.${code}`);
}

/**
 * What went wrong, in the chosen language: a server refusal by its code (`refusalText`), no answer at all as
 * "no network". A code without a translation shows the server's English message in English, and a generic
 * sentence naming the code in any other language, so no English sentence appears on a translated screen.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === NO_RESPONSE_STATUS) return translate('errors.offline');
    const code = errorCode(error);
    const refusal = refusalText(code, error.message);
    if (refusal !== undefined) return refusal;
    if (currentLanguage() !== FALLBACK_LANGUAGE) return translate('errors.generic', { code: code ?? error.status });
    return error.message;
  }
  return errorMessage(error);
}

/**
 * A refused file's row problem in the chosen language: by its code (planning.json `csvProblems`, one message per
 * code of domain/row-problems.ts) with the values it names; a problem without a code as the server wrote it.
 */
export function rowProblemText(problem: { code?: string; params?: Record<string, string | number>; message: string }) {
  return problem.code ? translate(`planning.csvProblems.${problem.code}`, problem.params) : problem.message;
}

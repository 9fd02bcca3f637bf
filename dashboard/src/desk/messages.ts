import { refusalText } from '../i18n/error-text';
import { currentLanguage } from '../i18n/i18n';
import { intlLocale } from '../i18n/resources';
import type { MessageVars } from '../i18n/useI18n';
import type { MatchedRegistration, QueuedRecord } from '../offline/queue-logic';

/**
 * The line under the desk's tabs: what just happened. `clientEventId` names a record saved on the phone, so the
 * line can follow it to "synced" or its refusal; `name` is whom it is for.
 */
export type DeskMessage = { tone: 'ok' | 'error' | 'pending'; text: string; clientEventId?: string; name?: string };

/** Why the server refused a record, in the chosen language when its code is known. */
export function reasonText(record: QueuedRecord): string {
  return refusalText(record.code, record.reason) ?? record.reason ?? '';
}

/**
 * A walk-in the server stored as a registration made meanwhile with the same photo ID: said plainly, and when the
 * details offered at the desk differ, that an officer reviews them (the dose stands either way).
 */
export function matchedWalkInText(
  t: (key: string, vars?: MessageVars) => string,
  name: string,
  referenceId: string,
  match: MatchedRegistration,
): string {
  if (!match.differs.length) return t('desk.walkIn.matched', { name, referenceId });
  const details = new Intl.ListFormat(intlLocale(currentLanguage()), { type: 'conjunction' }).format(
    match.differs.map((detail) => t(`desk.walkIn.detail.${detail}`)),
  );
  return t('desk.walkIn.matchedForReview', { name, referenceId, details });
}

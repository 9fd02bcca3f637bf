import { indiaClock } from '../format';
import { useI18n } from '../i18n/useI18n';
import type { ObservedPerson } from './api';

/** mm:ss until an instant, never below zero. */
function countdown(until: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** One vaccinated person under observation: their timer, or (once it is over) their release; and an AEFI report. */
export function ObservedPersonRow({
  person,
  isReady,
  now,
  online,
  onRelease,
  onReportAefi,
}: {
  person: ObservedPerson;
  isReady: boolean;
  now: number;
  online: boolean;
  onRelease: () => void;
  onReportAefi: () => void;
}) {
  const { t } = useI18n();
  return (
    <li className={`observed ${isReady ? 'observed-ready' : ''}`} data-testid="observed-person">
      <span className="person-name">{person.name}</span>
      <span className="person-meta">
        {t('desk.observe.since', { dose: person.dose, time: indiaClock(person.administeredAt) })}
        {person.aefiReports > 0 && ` · ${t('desk.observe.reports', { count: person.aefiReports })}`}
      </span>
      {!isReady && (
        <span className="timer" data-testid="observation-timer">
          {t('desk.observe.remaining', { time: countdown(person.observeUntil, now) })}
        </span>
      )}
      <span className="button-row">
        {isReady && (
          <button type="button" className="button-primary" onClick={onRelease} disabled={!online}>
            {t('desk.observe.release')}
          </button>
        )}
        <button type="button" className="button-danger-outline" onClick={onReportAefi}>
          {t('desk.observe.reportAefi')}
        </button>
      </span>
    </li>
  );
}

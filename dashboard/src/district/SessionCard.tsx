import { formatCount, minutesSince } from '../format';
import { useI18n } from '../i18n/useI18n';
import { actionLabel } from './action-label';
import { paceVerdict, type ConsoleSession, type Intervention } from './api';
import { flagsMissingVaccinator, possibleActions } from './session-actions';
import { closingTime } from './session-times';

/** A session day's card: status, team, figures, pace against plan, and the interventions it allows. */
export function SessionCard({
  row,
  now,
  onAction,
}: {
  row: ConsoleSession;
  now: Date;
  onAction: (kind: Intervention['kind']) => void;
}) {
  const { t } = useI18n();
  const { live, plan } = row;
  const verdict = paceVerdict(live);
  const since = live.minutesSinceLastDose ?? minutesSince(live.lastDoseAt, now);
  const actions = possibleActions(live);
  const vaccinators = plan?.team.filter((m) => m.teamRole === 'VACCINATOR').length;
  const percentOfPlan =
    live.pace.expectedByNow > 0 ? Math.min(150, (live.vaccinated / live.pace.expectedByNow) * 100) : undefined;
  return (
    <article
      className={`session-card status-card-${live.status.toLowerCase()}`}
      data-testid="session-card"
      data-session-day-id={live.sessionDayId}
      data-status={live.status}
    >
      <header>
        <h2>{live.siteName}</h2>
        <span className={`status-pill status-${live.status.toLowerCase()}`}>{t(`sessionStatus.${live.status}`)}</span>
      </header>
      <p className="muted">
        {live.vaccineCode} · {live.opensAt.slice(0, 5)}–{closingTime(live)}
        {live.extendedUntil && ` ${t('district.extended')}`}
        {plan && plan.team.length > 0 && ` · ${t('district.team', { names: plan.team.map((m) => m.name).join(', ') })}`}
        {plan && plan.team.length === 0 && ` · ${t('district.noTeam')}`}
      </p>
      {vaccinators !== undefined && flagsMissingVaccinator(live, vaccinators, now) && (
        <p className="flag-no-vaccinator" role="alert" data-testid="no-vaccinator">
          {t('district.noVaccinatorFlag', { opens: live.opensAt.slice(0, 5) })}
        </p>
      )}
      {live.status === 'STALLED' && live.stallReason && (
        <p className="stall-reason" data-testid="stall-reason" data-reason={live.stallReason}>
          {t(`district.stallReason.${live.stallReason}`, {
            minutes: since ?? 0,
            done: live.vaccinated,
            planned: live.pace.expectedByNow,
          })}
        </p>
      )}
      <dl className="session-figures">
        <div>
          <dt>{t('district.figures.booked')}</dt>
          <dd>{formatCount(live.booked)}</dd>
        </div>
        <div>
          <dt>{t('district.figures.vaccinated')}</dt>
          <dd data-testid="vaccinated">{formatCount(live.vaccinated)}</dd>
        </div>
        <div>
          <dt>{t('district.figures.noShows')}</dt>
          <dd>{formatCount(live.noShows)}</dd>
        </div>
        <div>
          <dt>{t('district.figures.walkIns')}</dt>
          <dd>{formatCount(live.walkIns)}</dd>
        </div>
      </dl>
      <div className={`pace pace-${verdict}`}>
        <div className="pace-text">
          {t('district.pace', { done: live.vaccinated, planned: live.pace.expectedByNow })}
          {live.pace.dosesPerHour !== null &&
            ` · ${t('district.perHour', { rate: live.pace.dosesPerHour.toFixed(1) })}`}
          {' · '}
          {since === undefined
            ? t('district.notOpenYet')
            : live.lastDoseAt
              ? t('district.lastDose', { minutes: since })
              : t('district.noDoseFor', { minutes: since })}
        </div>
        {percentOfPlan !== undefined && (
          <div className="pace-bar" aria-hidden="true">
            <span style={{ width: `${Math.min(100, percentOfPlan)}%` }} />
          </div>
        )}
      </div>
      {actions.length > 0 && (
        <div className="session-actions">
          {actions.map((kind) => (
            <button
              key={kind}
              type="button"
              className={kind === 'cancel' ? 'button-danger-outline' : undefined}
              onClick={() => onAction(kind)}
            >
              {actionLabel(t, kind, live.status)}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}

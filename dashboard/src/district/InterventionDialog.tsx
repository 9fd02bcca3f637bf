import { useState } from 'react';
import { ApiError } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { indiaClock } from '../format';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { batchProblemsOf, CloseByBatch, closingVials, useClosingStock, type BatchProblem } from '../stock/CloseByBatch';
import type { SessionLiveView } from '../warroom/dashboard-api';
import { actionLabel } from './action-label';
import { intervene, type ConsoleSession, type Intervention, type StaffMember } from './api';
import { closingTime, extensionChoices } from './session-times';

/** The API's bound on one wastage report. */
const MAX_WASTAGE = 10_000;

/** The outcome of the last intervention, shown above the sessions: done, or refused and why. */
export interface Notice {
  text: string;
  refused: boolean;
}

/** Asks for what an intervention needs (minutes, a reason, a vaccinator, the vials opened), then sends it. */
export function InterventionDialog({
  row,
  kind,
  vaccinators,
  token,
  onDone,
  onCancel,
}: {
  row: ConsoleSession;
  kind: Intervention['kind'];
  vaccinators: StaffMember[];
  token: string;
  onDone: (outcome: Notice) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const choices = extensionChoices(row.live);
  const [minutes, setMinutes] = useState(() => (choices.includes(60) ? 60 : choices[0]));
  const [reason, setReason] = useState('');
  const [moveBookings, setMoveBookings] = useState(true);
  const [staffId, setStaffId] = useState('');
  const [replaces, setReplaces] = useState('');
  const [wastage, setWastage] = useState('');
  const [opened, setOpened] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<BatchProblem[]>([]);
  const closing = useClosingStock(row.live.sessionDayId, token, kind === 'close');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const live: SessionLiveView = row.live;
  const team = row.plan?.team ?? [];
  const label = actionLabel(t, kind, live.status);

  const intervention = ((): Intervention | undefined => {
    switch (kind) {
      case 'extend':
        return minutes !== undefined && choices.includes(minutes) ? { kind, minutes } : undefined;
      case 'pause':
        return reason.trim() ? { kind, reason: reason.trim() } : { kind };
      case 'resume':
        return { kind };
      case 'cancel':
        return reason.trim().length >= 3
          ? { kind, reason: reason.trim(), ...(moveBookings && { moveBookings }) }
          : undefined;
      case 'assign':
        return staffId
          ? {
              kind,
              staffId,
              teamRole: 'VACCINATOR',
              ...(replaces ? { replacesStaffId: replaces } : {}),
              moveFromOtherSession: true,
            }
          : undefined;
      case 'close': {
        // A day with batches is closed batch by batch; one without (or not yet read) by its wastage alone.
        if (closing.lines?.length) {
          const vials = closingVials(closing.lines, opened);
          return vials ? { kind, vials } : undefined;
        }
        if (closing.lines === undefined && !closing.error) return undefined;
        if (wastage.trim() === '') return { kind };
        const wasted = Number(wastage);
        return Number.isInteger(wasted) && wasted >= 0 && wasted <= MAX_WASTAGE ? { kind, wastage: wasted } : undefined;
      }
    }
  })();

  async function confirm() {
    if (!intervention) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await intervene(live.sessionDayId, intervention, token);
      const done = { action: label, site: live.siteName, status: t(`sessionStatus.${result.status}`) };
      onDone({
        text: result.moves
          ? t('district.doneMoved', { ...done, moved: result.moves.moved, released: result.moves.notMoved })
          : kind === 'extend'
            ? t('district.doneExtended', { ...done, time: indiaClock(result.closesAt) })
            : t('district.done', done),
        refused: false,
      });
    } catch (failure) {
      // The server said no (the session closed meanwhile, say): the step is over, and the console says why. With
      // no answer (network, server error) the dialog stays open to try again.
      const batchProblems = batchProblemsOf(failure);
      if (batchProblems?.length) {
        // A close refused batch by batch stays open, each problem beside its batch.
        setProblems(batchProblems);
        closing.reload();
      } else if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) {
        onDone({ text: t('district.refused', { action: label, reason: errorText(failure) }), refused: true });
      } else {
        setError(errorText(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={t('district.dialogTitle', { action: label, site: live.siteName })}
      confirmLabel={
        kind === 'cancel'
          ? moveBookings
            ? t('district.confirmCancelMove')
            : t('district.confirmCancel')
          : t('district.confirm', { action: label })
      }
      danger={kind === 'cancel'}
      busy={busy}
      error={error}
      confirmDisabled={!intervention}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      {kind === 'extend' && (
        <>
          <p>{t('district.extendIntro', { time: closingTime(live) })}</p>
          {choices.length > 0 ? (
            <label className="inline-field">
              {t('district.extendBy')}
              <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} name="extend-minutes">
                {choices.map((m) => (
                  <option key={m} value={m}>
                    {t('district.extendChoice', { minutes: m })}
                    {m === live.extendableMinutes && ` ${t('district.untilMidnight')}`}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="error-detail">{t('district.atMidnight')}</p>
          )}
        </>
      )}
      {kind === 'pause' && (
        <>
          <p>{t('district.pauseIntro')}</p>
          <label>
            {t('district.reasonOptional')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} />
          </label>
        </>
      )}
      {kind === 'resume' && <p>{t('district.resumeIntro')}</p>}
      {kind === 'close' && (
        <>
          <p>{live.status === 'CLOSED' ? t('district.closeClosed') : t('district.closeOpen')}</p>
          {closing.error && <p className="error-detail">{closing.error}</p>}
          {closing.lines === undefined && !closing.error && <p className="muted">{t('stock.close.loading')}</p>}
          {closing.lines !== undefined && closing.lines.length > 0 && (
            <CloseByBatch
              lines={closing.lines}
              opened={opened}
              problems={problems}
              onOpened={(batchId, value) => {
                setOpened((before) => ({ ...before, [batchId]: value }));
                setProblems((before) => before.filter((p) => p.batchId !== batchId));
              }}
            />
          )}
          {(closing.error || closing.lines?.length === 0) && (
            <label>
              {t('district.wastage')}
              <input
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_WASTAGE}
                step={1}
                value={wastage}
                onChange={(e) => setWastage(e.target.value)}
                name="wastage"
              />
            </label>
          )}
        </>
      )}
      {kind === 'cancel' && (
        <>
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={moveBookings}
              onChange={(e) => setMoveBookings(e.target.checked)}
              name="move-bookings"
            />
            {t('district.moveBookings')}
          </label>
          <p>
            <strong>{t('district.cancelWarning')}</strong>{' '}
            {moveBookings
              ? t('district.cancelMoveIntro', { count: live.booked })
              : t('district.cancelRelease', { count: live.booked })}
          </p>
          <label>
            {t('district.cancelReason')}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={300}
              required
              name="cancel-reason"
            />
          </label>
        </>
      )}
      {kind === 'assign' && (
        <>
          <label>
            {t('district.vaccinator')}
            <select value={staffId} onChange={(e) => setStaffId(e.target.value)} name="assign-staff">
              <option value="">{t('district.choose')}</option>
              {vaccinators
                .filter((v) => !team.some((m) => m.staffId === v.id))
                .map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name} ({v.username})
                  </option>
                ))}
            </select>
          </label>
          {team.length > 0 && (
            <label>
              {t('district.replaces')}
              <select value={replaces} onChange={(e) => setReplaces(e.target.value)}>
                <option value="">{t('district.replacesNobody')}</option>
                {team.map((m) => (
                  <option key={m.staffId} value={m.staffId}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <p className="muted">{t('district.movedFromOther')}</p>
        </>
      )}
    </ConfirmDialog>
  );
}

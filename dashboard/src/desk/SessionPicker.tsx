import { useI18n } from '../i18n/useI18n';
import type { DeskSession } from './api';

/** The choice of session day, for a member on the team of more than one today. */
export function SessionPicker({
  sessions,
  sessionDayId,
  onPick,
}: {
  sessions: readonly DeskSession[];
  sessionDayId: string | undefined;
  onPick: (sessionDayId: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label className="inline-field">
      {t('desk.session')}
      <select value={sessionDayId} onChange={(e) => onPick(e.target.value)}>
        {sessions.map((s) => (
          <option key={s.sessionDayId} value={s.sessionDayId}>
            {s.site.name}
          </option>
        ))}
      </select>
    </label>
  );
}

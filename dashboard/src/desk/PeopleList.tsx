import { useState } from 'react';
import { useI18n } from '../i18n/useI18n';
import type { QueuedRecord } from '../offline/queue-logic';
import type { DeskPerson, DeskSession } from './api';

/**
 * The session's people, to pick one: everyone (`list`, a member who checks and vaccinates), everyone to check at
 * the door (`door`), or the verified not yet vaccinated (`vaccinate`). A dose saved on the phone counts as given.
 */
export function PeopleList({
  session,
  records,
  mode,
  onPick,
}: {
  session: DeskSession;
  records: QueuedRecord[];
  mode: 'list' | 'door' | 'vaccinate';
  onPick: (p: DeskPerson) => void;
}) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const captured = new Set(
    records.flatMap((r) =>
      r.kind === 'DOSE' && r.status !== 'rejected' && r.capture.sessionDayId === session.sessionDayId
        ? [r.capture.referenceId]
        : [],
    ),
  );
  const done = (p: DeskPerson) => p.vaccinated || captured.has(p.referenceId);
  const people = session.people
    .filter((p) => mode !== 'vaccinate' || (p.verified && !done(p)))
    .filter((p) => !filter || p.name.toLowerCase().includes(filter.toLowerCase()) || p.referenceId.includes(filter));
  const year = new Date().getFullYear();
  return (
    <section>
      <input
        className="search-input"
        placeholder={t('desk.list.search')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label={t('desk.list.searchLabel')}
      />
      <ul className="desk-people" data-testid={`people-${mode}`}>
        {people.map((p) => {
          const finished = done(p) || (mode === 'door' && p.verified);
          return (
            <li key={`${p.referenceId}-${p.dose}`}>
              <button
                type="button"
                className={`person-row${done(p) ? ' person-done' : ''}`}
                onClick={() => onPick(p)}
                disabled={finished}
              >
                <span className="person-name">{p.name}</span>
                <span className="person-meta">
                  {t('desk.list.meta', {
                    dose: p.dose,
                    slot: p.slot ?? t('desk.list.walkIn'),
                    ref: p.referenceId.slice(-4),
                    gender: t(`gender.${p.gender}`),
                    age: year - p.birthYear,
                  })}
                </span>
                <span className="person-state">
                  {done(p) ? t('desk.list.vaccinated') : p.verified ? t('desk.list.verified') : t('desk.list.waiting')}
                </span>
              </button>
            </li>
          );
        })}
        {people.length === 0 && (
          <li className="muted">{mode === 'vaccinate' ? t('desk.list.toVaccinateEmpty') : t('desk.list.empty')}</li>
        )}
      </ul>
    </section>
  );
}

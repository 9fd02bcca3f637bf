import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type { GeoStates } from '../../../api/schemas/geo';
import { apiGet } from '../api/client';
import { useStaffSession } from '../auth/staff-session';
import { errorMessage } from '../format';
import { useI18n } from '../i18n/useI18n';
import { PHASE_GROUPS } from '../../../domain/priority-groups';
import { readPhases, savePhases, type PhaseGroup, type PhaseInput } from '../priority/api';
import { WorkerListUpload } from '../priority/WorkerListUpload';
import type { RouteParams } from '../routes';

interface Row {
  key: number;
  name: string;
  opensOn: string;
  groups: PhaseGroup[];
  minAge: string;
  maxAge: string;
}

let nextKey = 1;
const blankRow = (): Row => ({ key: nextKey++, name: '', opensOn: '', groups: ['GENERAL'], minAge: '18', maxAge: '' });

/** The rows as the API takes them (an empty upper age: no upper bound). */
function toInput(rows: Row[]): PhaseInput[] {
  return rows.map((r) => ({
    name: r.name,
    opensOn: r.opensOn,
    groups: r.groups,
    minAge: Number(r.minAge),
    ...(r.maxAge.trim() ? { maxAge: Number(r.maxAge) } : {}),
  }));
}

/**
 * A state's eligibility phases (state officers and national admins): which priority groups and ages are
 * vaccinated at sessions from which date. Saved as one whole list; each save is audited.
 */
export function PriorityGroupsPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t } = useI18n();
  const token = session?.token;
  const ownState = session?.staff.stateId ?? null;
  // Phases are a whole state's (its officer's or a national admin's); any officer uploads worker lists.
  const setsPhases = session?.staff.role === 'STATE_OFFICER' || session?.staff.role === 'NATIONAL_ADMIN';
  const [stateId, setStateId] = useState<number | null>(setsPhases ? ownState : null);
  const [states, setStates] = useState<Array<{ id: number; name: string }>>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<number>();

  useEffect(() => {
    if (!setsPhases || ownState !== null) return;
    apiGet<Static<typeof GeoStates>>('/api/v1/geo/states')
      .then((body) => setStates(body.states))
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [ownState, setsPhases]);

  useEffect(() => {
    if (!token || stateId === null) return;
    readPhases(stateId, token)
      .then((body) => {
        setSaved(undefined);
        setRows(
          body.phases.map((p) => ({
            key: nextKey++,
            name: p.name,
            opensOn: p.opensOn,
            groups: p.groups,
            minAge: String(p.minAge),
            maxAge: p.maxAge === null ? '' : String(p.maxAge),
          })),
        );
        setError(undefined);
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [stateId, token]);

  if (!session || !token) return null;
  const change = (key: number, patch: Partial<Row>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const toggle = (row: Row, group: PhaseGroup) =>
    change(row.key, {
      groups: row.groups.includes(group) ? row.groups.filter((g) => g !== group) : [...row.groups, group],
    });

  const save = async () => {
    if (stateId === null) return;
    setSaved(undefined);
    try {
      const body = await savePhases(stateId, toInput(rows), token);
      setError(undefined);
      setSaved(body.phases.length);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <section className="page priority-page">
      <h1>{t('priority.title')}</h1>
      <p className="muted">{setsPhases ? t('priority.phases.explain') : t('priority.phases.officersOnly')}</p>
      {setsPhases && ownState === null && (
        <label className="inline-field">
          {t('priority.state')}
          <select
            value={stateId ?? ''}
            data-testid="phases-state"
            onChange={(e) => setStateId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t('priority.pickState')}</option>
            {states.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {stateId !== null && (
        <>
          <h2>{t('priority.phases.title')}</h2>
          {rows.length === 0 && <p className="muted">{t('priority.phases.none')}</p>}
          <ol className="phase-list" data-testid="phases">
            {rows.map((row, index) => (
              <li key={row.key} className="phase-row card">
                <label className="inline-field">
                  {t('priority.phases.name')}
                  <input
                    value={row.name}
                    data-testid={`phase-name-${index}`}
                    onChange={(e) => change(row.key, { name: e.target.value })}
                  />
                </label>
                <label className="inline-field">
                  {t('priority.phases.opensOn')}
                  <input
                    type="date"
                    value={row.opensOn}
                    data-testid={`phase-opens-${index}`}
                    onChange={(e) => change(row.key, { opensOn: e.target.value })}
                  />
                </label>
                <fieldset className="phase-groups">
                  <legend>{t('priority.phases.groups')}</legend>
                  {PHASE_GROUPS.map((group) => (
                    <label key={group} className="checkbox-field">
                      <input type="checkbox" checked={row.groups.includes(group)} onChange={() => toggle(row, group)} />
                      {t(`priority.group.${group}`)}
                    </label>
                  ))}
                </fieldset>
                <label className="inline-field">
                  {t('priority.phases.minAge')}
                  <input
                    type="number"
                    min={0}
                    max={120}
                    value={row.minAge}
                    onChange={(e) => change(row.key, { minAge: e.target.value })}
                  />
                </label>
                <label className="inline-field">
                  {t('priority.phases.maxAge')}
                  <input
                    type="number"
                    min={0}
                    max={120}
                    value={row.maxAge}
                    placeholder={t('priority.phases.noMaxAge')}
                    onChange={(e) => change(row.key, { maxAge: e.target.value })}
                  />
                </label>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                >
                  {t('priority.phases.remove')}
                </button>
              </li>
            ))}
          </ol>
          <div className="button-row">
            <button type="button" className="button-secondary" onClick={() => setRows((r) => [...r, blankRow()])}>
              {t('priority.phases.add')}
            </button>
            <button type="button" className="button-primary" data-testid="phases-save" onClick={() => void save()}>
              {t('priority.phases.save')}
            </button>
          </div>
          {saved !== undefined && (
            <p role="status" className="notice">
              {t('priority.phases.saved', { count: saved })}
            </p>
          )}
        </>
      )}
      {error && (
        <p role="alert" className="error-banner">
          {error}
        </p>
      )}
      <WorkerListUpload token={token} />
    </section>
  );
}

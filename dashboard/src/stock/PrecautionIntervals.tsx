import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { indiaDate } from '../../../domain/time';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../domain/priority-groups';
import {
  readPrecautionIntervals,
  setPrecautionGroupInterval,
  setPrecautionInterval,
  type PrecautionIntervalView,
} from './api';

/**
 * The precaution (third) dose's interval of each vaccine: state officers and national admins read it and change it
 * with a reason (PUT /api/v1/precaution-intervals/:vaccineCode, audited), and give a priority group an interval of
 * its own, or take it away (PUT .../groups/:group; an empty number: the group follows the vaccine's). A vaccine
 * whose schedule is not two doses has no precaution dose and is shown without a form.
 */
export function PrecautionIntervals({ token }: { token: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const [intervals, setIntervals] = useState<PrecautionIntervalView[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async () => {
    try {
      setIntervals((await readPrecautionIntervals(token)).intervals);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [token]);
  useEffect(() => void load(), [load]);

  const save = async (event: FormEvent<HTMLFormElement>, vaccineCode: string) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setNotice(undefined);
    try {
      const saved = await setPrecautionInterval(
        vaccineCode,
        { afterDays: Number(form.get('afterDays')), reason: String(form.get('reason')).trim() },
        token,
      );
      setError(undefined);
      setNotice(t('stock.precaution.done', { vaccine: vaccineCode, days: formatNumber(saved.afterDays ?? 0) }));
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  const saveGroup = async (event: FormEvent<HTMLFormElement>, vaccineCode: string, group: PriorityGroup) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get('afterDays') ?? '').trim();
    setNotice(undefined);
    try {
      await setPrecautionGroupInterval(
        vaccineCode,
        group,
        { afterDays: days === '' ? null : Number(days), reason: String(form.get('reason')).trim() },
        token,
      );
      setError(undefined);
      const groupName = t(`priority.group.${group}`);
      setNotice(
        days === ''
          ? t('stock.precaution.groupCleared', { vaccine: vaccineCode, group: groupName })
          : t('stock.precaution.groupDone', {
              vaccine: vaccineCode,
              group: groupName,
              days: formatNumber(Number(days)),
            }),
      );
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <section className="card precaution-intervals" data-testid="precaution-intervals">
      <h2>{t('stock.precaution.title')}</h2>
      <p className="muted">{t('stock.precaution.explain')}</p>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ul className="precaution-list">
        {intervals.map((row) => (
          <li key={row.vaccineCode} data-vaccine={row.vaccineCode}>
            <p>
              <strong>{row.vaccineCode}</strong>
              {' · '}
              {row.primaryDoses !== 2
                ? t('stock.precaution.noDose', { doses: formatNumber(row.primaryDoses) })
                : row.afterDays === null
                  ? t('stock.precaution.notSet')
                  : t('stock.precaution.days', { days: formatNumber(row.afterDays) })}
              {row.updatedAt && (
                <span className="muted">
                  {' · '}
                  {t('stock.precaution.since', { date: formatDate(indiaDate(new Date(row.updatedAt))) })}
                </span>
              )}
            </p>
            {row.primaryDoses === 2 && (
              <form
                className="batch-fields"
                data-testid="vaccine-interval"
                onSubmit={(e) => void save(e, row.vaccineCode)}
              >
                <label className="inline-field">
                  {t('stock.precaution.afterDays')}
                  <input
                    name="afterDays"
                    type="number"
                    min={0}
                    max={3650}
                    required
                    defaultValue={row.afterDays ?? 273}
                  />
                </label>
                <label className="inline-field">
                  {t('stock.precaution.reason')}
                  <input name="reason" required minLength={3} maxLength={500} pattern="[^<>]*" />
                </label>
                <button type="submit">{t('stock.precaution.save')}</button>
              </form>
            )}
            {row.primaryDoses === 2 && (
              <ul className="precaution-groups" aria-label={t('stock.precaution.groupsTitle')}>
                {PRIORITY_GROUPS.map((group) => {
                  const own = row.groups.find((g) => g.group === group);
                  return (
                    <li key={group} data-group={group}>
                      <p>
                        <strong>{t(`priority.group.${group}`)}</strong>
                        {' · '}
                        {own
                          ? t('stock.precaution.days', { days: formatNumber(own.afterDays) })
                          : t('stock.precaution.asVaccine')}
                        {own && (
                          <span className="muted">
                            {' · '}
                            {t('stock.precaution.since', { date: formatDate(indiaDate(new Date(own.updatedAt))) })}
                          </span>
                        )}
                      </p>
                      <form className="batch-fields" onSubmit={(e) => void saveGroup(e, row.vaccineCode, group)}>
                        <label className="inline-field">
                          {t('stock.precaution.groupAfterDays')}
                          <input
                            name="afterDays"
                            type="number"
                            min={0}
                            max={3650}
                            defaultValue={own?.afterDays ?? ''}
                          />
                        </label>
                        <label className="inline-field">
                          {t('stock.precaution.reason')}
                          <input name="reason" required minLength={3} maxLength={500} pattern="[^<>]*" />
                        </label>
                        <button type="submit">{t('stock.precaution.save')}</button>
                      </form>
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

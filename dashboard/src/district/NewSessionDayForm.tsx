import { useState, type FormEvent } from 'react';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { createSessionDay, type Site } from './planning-api';

const VACCINES = ['COVISHIELD', 'COVAXIN', 'SPUTNIK V'];

/** Plans a session day at one of the district's sites. */
export function NewSessionDayForm({
  sites,
  token,
  defaultDate,
  onCreated,
}: {
  sites: Site[];
  token: string;
  defaultDate: string;
  onCreated: () => void;
}) {
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const { t } = useI18n();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const day = await createSessionDay(
        {
          siteId: Number(form.get('siteId')),
          date: String(form.get('date')),
          vaccineCode: String(form.get('vaccine')),
          minAge: Number(form.get('minAge')),
          dose1Capacity: Number(form.get('dose1')),
          dose2Capacity: Number(form.get('dose2')),
          walkinCapacity: Number(form.get('walkin')),
          opensAt: String(form.get('opensAt')),
          closesAt: String(form.get('closesAt')),
          slotMinutes: Number(form.get('slotMinutes')),
        },
        token,
      );
      setMessage(t('planning.newDay.planned', { site: day.siteName, date: day.date }));
      setError(undefined);
      onCreated();
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return (
    <details className="form-details">
      <summary>{t('planning.newDay.summary')}</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('planning.newDay.site')}
          <select name="siteId" required>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('planning.newDay.date')}
          <input name="date" type="date" required defaultValue={defaultDate} />
        </label>
        <label>
          {t('planning.newDay.vaccine')}
          <select name="vaccine">
            {VACCINES.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          {t('planning.newDay.minAge')}
          <input name="minAge" type="number" min={0} max={120} defaultValue={18} />
        </label>
        <label>
          {t('planning.newDay.dose1')}
          <input name="dose1" type="number" min={0} defaultValue={100} />
        </label>
        <label>
          {t('planning.newDay.dose2')}
          <input name="dose2" type="number" min={0} defaultValue={50} />
        </label>
        <label>
          {t('planning.newDay.walkin')}
          <input name="walkin" type="number" min={0} defaultValue={20} />
        </label>
        <label>
          {t('planning.newDay.opens')}
          <input name="opensAt" type="time" defaultValue="09:00" required />
        </label>
        <label>
          {t('planning.newDay.closes')}
          <input name="closesAt" type="time" defaultValue="17:00" required />
        </label>
        <label>
          {t('planning.newDay.slotMinutes')}
          <input name="slotMinutes" type="number" min={15} defaultValue={60} />
        </label>
        <button type="submit" className="button-primary" disabled={!sites.length}>
          {t('planning.newDay.submit')}
        </button>
      </form>
      {message && <p className="notice">{message}</p>}
      {error && <p className="error-detail">{error}</p>}
    </details>
  );
}

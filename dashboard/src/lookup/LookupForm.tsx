import { useI18n } from '../i18n/useI18n';
import type { PersonLookup } from './usePersonLookup';

/** Find by mobile or reference id (at the desk: within one of today's session days). */
export function LookupForm({ lookup }: { lookup: PersonLookup }) {
  const { t } = useI18n();
  return (
    <form className="lookup-form" onSubmit={(e) => void lookup.search(e)}>
      <fieldset className="lookup-key">
        <legend>{t('lookup.findBy')}</legend>
        {(['mobile', 'referenceId'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="lookup-key" checked={lookup.key === k} onChange={() => lookup.setKey(k)} />
            {t(`lookup.key.${k}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t(`lookup.key.${lookup.key}`)}
        <input
          inputMode="numeric"
          autoComplete="off"
          required
          value={lookup.value}
          pattern={lookup.key === 'mobile' ? '[6-9][0-9]{9}' : '[0-9]{14}'}
          placeholder={lookup.key === 'mobile' ? '98XXXXXXXX' : '12345678901234'}
          onChange={(e) => lookup.setValue(e.target.value)}
        />
      </label>
      {lookup.atDesk && (
        <label>
          {t('lookup.sessionDay')}
          <select required value={lookup.sessionDayId} onChange={(e) => lookup.setSessionDayId(e.target.value)}>
            {lookup.deskDays.map((d) => (
              <option key={d.sessionDayId} value={d.sessionDayId}>
                {d.site.name} · {d.vaccineName}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={lookup.busy}>
        {lookup.busy ? t('working') : t('lookup.search')}
      </button>
    </form>
  );
}

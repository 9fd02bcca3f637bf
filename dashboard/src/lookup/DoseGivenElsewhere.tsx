import { useState, type FormEvent } from 'react';
import { indiaDate } from '../../../domain/time';
import type { StaffProfile } from '../auth/permissions';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import { VACCINE_CODES } from '../stock/api';
import { addDoseGivenElsewhere, type PersonHistory } from './api';

/**
 * A dose the person was given elsewhere (another site or district, abroad, a paper record never entered), added
 * with its evidence. It counts like any dose: the person's journey moves on and the certificate is issued again
 * showing it, marked as recorded by an officer. One key per form, so a double click or a retry adds it once.
 */
export function DoseGivenElsewhere({
  person,
  staff,
  token,
  onAdded,
}: {
  person: PersonHistory;
  staff: StaffProfile;
  token: string;
  onAdded: (message: string) => Promise<void>;
}) {
  const { t, language } = useI18n();
  // A person in no district yet: the officer names the district that records the dose, one of their jurisdiction.
  const recordingDistricts = useDistrictList(INDIA_MAP_DATA.districts)
    .filter((d) =>
      staff.role === 'DISTRICT_OFFICER'
        ? d.id === staff.districtId
        : staff.role === 'STATE_OFFICER'
          ? d.stateId === staff.stateId
          : true,
    )
    .map((d) => ({ id: d.id, name: (language === 'hi' && d.nameHi) || d.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [clientEventId, setClientEventId] = useState(() => `elsewhere-${crypto.randomUUID()}`);
  const nextDose = Math.min(3, (person.doses.at(-1)?.dose ?? 0) + 1);
  const lastVaccine = person.doses.at(-1)?.vaccineCode ?? person.vaccineCode ?? VACCINE_CODES[0];
  const today = indiaDate();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const batch = String(form.get('batch') ?? '').trim();
    const districtId = person.districtId === null ? Number(form.get('districtId')) : undefined;
    setBusy(true);
    try {
      const done = await addDoseGivenElsewhere(
        person.referenceId,
        {
          clientEventId,
          dose: Number(form.get('dose')),
          vaccineCode: String(form.get('vaccineCode')),
          givenOn: String(form.get('givenOn')),
          ...(batch ? { batch } : {}),
          ...(districtId ? { districtId } : {}),
          place: String(form.get('place')).trim(),
          evidence: { reference: String(form.get('reference')).trim(), note: String(form.get('note')).trim() },
        },
        token,
      );
      setError(undefined);
      setClientEventId(`elsewhere-${crypto.randomUUID()}`);
      formElement.reset();
      await onAdded(t('lookup.elsewhere.added', { dose: done.dose.dose, name: person.name }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="lookup-correction" data-testid="dose-elsewhere-form">
      <summary>{t('lookup.elsewhere.title')}</summary>
      <p className="muted small">{t('lookup.elsewhere.intro')}</p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('lookup.elsewhere.dose')}
          <select name="dose" defaultValue={String(nextDose)} key={nextDose}>
            <option value="1">{t('lookup.elsewhere.doseN', { dose: 1 })}</option>
            <option value="2">{t('lookup.elsewhere.doseN', { dose: 2 })}</option>
            <option value="3">{t('lookup.elsewhere.precaution')}</option>
          </select>
        </label>
        <label>
          {t('lookup.elsewhere.vaccine')}
          <select name="vaccineCode" defaultValue={lastVaccine}>
            {VACCINE_CODES.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        {person.districtId === null && (
          <p id="elsewhere-district-hint" className="muted small grid-form-full">
            {t('lookup.elsewhere.districtHint')}
          </p>
        )}
        {person.districtId === null && (
          <label>
            {t('lookup.elsewhere.district')}
            <select
              name="districtId"
              key={recordingDistricts.length}
              required
              defaultValue={recordingDistricts.length === 1 ? String(recordingDistricts[0]!.id) : ''}
              aria-describedby="elsewhere-district-hint"
            >
              <option value="" disabled>
                —
              </option>
              {recordingDistricts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('lookup.elsewhere.givenOn')}
          <input name="givenOn" type="date" required max={today} />
        </label>
        <label>
          {t('lookup.elsewhere.batch')}
          <input name="batch" maxLength={40} autoComplete="off" />
        </label>
        <label>
          {t('lookup.elsewhere.place')}
          <input name="place" required minLength={2} maxLength={200} />
        </label>
        <label>
          {t('lookup.elsewhere.reference')}
          <input name="reference" required minLength={2} maxLength={80} autoComplete="off" />
        </label>
        <label className="grid-form-full">
          {t('lookup.elsewhere.note')}
          <input name="note" required minLength={3} maxLength={500} />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('working') : t('lookup.elsewhere.submit')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}

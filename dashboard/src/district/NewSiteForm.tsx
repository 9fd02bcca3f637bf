import { useState, type FormEvent } from 'react';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import { createSite } from './planning-api';

/** Adds a vaccination site to the district (its position starts at the district's centre). */
export function NewSiteForm({
  districtId,
  token,
  onCreated,
}: {
  districtId: number;
  token: string;
  onCreated: () => void;
}) {
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const { t } = useI18n();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const ownership = form.get('ownership') === 'PRIVATE' ? 'PRIVATE' : 'GOVERNMENT';
    try {
      const site = await createSite(
        {
          districtId,
          name: String(form.get('name')),
          address: String(form.get('address')),
          block: String(form.get('block')),
          pincode: Number(form.get('pincode')),
          lat: Number(form.get('lat')),
          lng: Number(form.get('lng')),
          ownership,
          feeInr: ownership === 'PRIVATE' ? Number(form.get('fee') || 0) : 0,
        },
        token,
      );
      setMessage(t('planning.newSite.added', { id: site.id, name: site.name }));
      setError(undefined);
      event.currentTarget?.reset();
      onCreated();
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  const d = useDistrictList(INDIA_MAP_DATA.districts).find((x) => x.id === districtId);
  return (
    <details className="form-details">
      <summary>{t('planning.newSite.summary')}</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('planning.newSite.name')}
          <input name="name" required minLength={3} />
        </label>
        <label>
          {t('planning.newSite.address')}
          <input name="address" required minLength={3} />
        </label>
        <label>
          {t('planning.newSite.block')}
          <input name="block" required minLength={2} />
        </label>
        <label>
          {t('planning.newSite.pincode')}
          <input name="pincode" required inputMode="numeric" pattern="[1-9][0-9]{5}" />
        </label>
        <label>
          {t('planning.newSite.lat')}
          <input name="lat" required type="number" step="0.0001" defaultValue={d?.lat} />
        </label>
        <label>
          {t('planning.newSite.lng')}
          <input name="lng" required type="number" step="0.0001" defaultValue={d?.lng} />
        </label>
        <label>
          {t('planning.newSite.ownership')}
          <select name="ownership" defaultValue="GOVERNMENT">
            <option value="GOVERNMENT">{t('planning.newSite.government')}</option>
            <option value="PRIVATE">{t('planning.newSite.private')}</option>
          </select>
        </label>
        <label>
          {t('planning.newSite.fee')}
          <input name="fee" type="number" min={0} defaultValue={0} />
        </label>
        <button type="submit" className="button-primary">
          {t('planning.newSite.submit')}
        </button>
      </form>
      {message && <p className="notice">{message}</p>}
      {error && <p className="error-detail">{error}</p>}
    </details>
  );
}

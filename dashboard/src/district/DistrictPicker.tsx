import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';

/** For an officer over more than one district: which district's console to open. */
export function DistrictPicker({ stateId }: { stateId?: number }) {
  const { t } = useI18n();
  const districts = useDistrictList(INDIA_MAP_DATA.districts)
    .filter((d) => stateId === undefined || d.stateId === stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page">
      <h1>{t('district.pickTitle')}</h1>
      <label className="inline-field">
        {t('district.pickDistrict')}
        <select
          defaultValue=""
          onChange={(e) => e.target.value && (window.location.hash = hrefForPath(`/district/${e.target.value}`))}
        >
          <option value="" disabled>
            —
          </option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {stateId === undefined ? ` (${INDIA_MAP_DATA.states.find((s) => s.id === d.stateId)?.code ?? ''})` : ''}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

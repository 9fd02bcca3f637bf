import { useState } from 'react';
import { useStaffSession } from '../auth/staff-session';
import { DistrictListImport } from '../district/DistrictListImport';
import { DistrictPlanning } from '../district/DistrictPlanning';
import { TargetsImport } from '../district/TargetsImport';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import type { RouteParams } from '../routes';

export function PlanningPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const staff = session?.staff;
  const [districtId, setDistrictId] = useState<number | undefined>(staff?.districtId ?? undefined);
  const districtList = useDistrictList(INDIA_MAP_DATA.districts);
  const { t } = useI18n();
  if (!session || !staff) return null;
  const choices = districtList
    .filter((d) => staff.stateId === null || d.stateId === staff.stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page planning">
      <h1>{t('planning.title')}</h1>
      {staff.role !== 'DISTRICT_OFFICER' && (
        <label className="inline-field">
          {t('planning.district')}
          <select value={districtId ?? ''} onChange={(e) => setDistrictId(Number(e.target.value) || undefined)}>
            <option value="">{t('planning.choose')}</option>
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {districtId && <DistrictPlanning key={districtId} districtId={districtId} token={session.token} />}
      {(staff.role === 'STATE_OFFICER' || staff.role === 'NATIONAL_ADMIN') && (
        <TargetsImport staff={staff} token={session.token} districtId={districtId} />
      )}
      {staff.role === 'NATIONAL_ADMIN' && <DistrictListImport token={session.token} />}
    </section>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { StaffProfile } from '../auth/permissions';
import { formatCount } from '../format';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import { CsvUploadCard } from './CsvUploadCard';
import { fetchTargets, importTargets, TARGETS_CSV_TEMPLATE, type StateTargets } from './planning-api';
import { withCode } from './with-code';

/** State officers and national admins replace the seeded demo target populations with real ones. */
export function TargetsImport({
  staff,
  token,
  districtId,
}: {
  staff: StaffProfile;
  token: string;
  districtId?: number;
}) {
  const { t } = useI18n();
  const stateOfDistrict = useDistrictList(INDIA_MAP_DATA.districts).find((d) => d.id === districtId)?.stateId;
  const [stateId, setStateId] = useState<number | undefined>(staff.stateId ?? stateOfDistrict);
  const [targets, setTargets] = useState<StateTargets>();
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    if (!stateId) return setTargets(undefined);
    try {
      setTargets(await fetchTargets(stateId, token));
      setError(undefined);
    } catch (failure) {
      setTargets(undefined);
      setError(errorText(failure));
    }
  }, [stateId, token]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const demo = targets?.districts.filter((d) => d.targetIsDemo).length ?? 0;
  const current = targets
    ? TARGETS_CSV_TEMPLATE + targets.districts.map((d) => `${d.districtId},${d.targetPopulation}\n`).join('')
    : undefined;
  return (
    <CsvUploadCard
      title={t('planning.targets.title')}
      testIdPrefix="targets-"
      className="targets-import"
      intro={withCode(t, 'planning.targets.intro', { columns: TARGETS_CSV_TEMPLATE.trim(), stateColumn: 'state_id' })}
      placeholder={current ? current.split('\n').slice(0, 3).join('\n') + '\n' : TARGETS_CSV_TEMPLATE}
      starter={current ? { label: t('planning.targets.starter'), csv: current } : undefined}
      upload={(csv, dryRun) => importTargets(csv, token, dryRun)}
      done={(o) =>
        o.dryRun ? t('planning.csv.allFine', { rows: o.rows }) : t('planning.targets.set', { count: o.updated })
      }
      onImported={() => void reload()}
    >
      {staff.role === 'NATIONAL_ADMIN' && (
        <label className="inline-field">
          {t('planning.state')}
          <select value={stateId ?? ''} onChange={(e) => setStateId(Number(e.target.value) || undefined)}>
            <option value="">{t('planning.choose')}</option>
            {[...INDIA_MAP_DATA.states]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </label>
      )}
      {error && <p className="error-detail">{error}</p>}
      {targets && (
        <details className="form-details" data-testid="state-targets">
          <summary>
            {t('planning.targets.summary', { population: targets.targetPopulation, count: targets.districts.length })}
            {demo > 0 ? t('planning.targets.someDemo', { count: demo }) : t('planning.targets.allImported')}
            {targets.targetIsDemo && <span className="demo-flag">{t('planning.targets.demoTarget')}</span>}
          </summary>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('planning.targets.id')}</th>
                  <th>{t('planning.targets.district')}</th>
                  <th>{t('planning.targets.population')}</th>
                  <th>{t('planning.targets.figure')}</th>
                </tr>
              </thead>
              <tbody>
                {targets.districts.map((d) => (
                  <tr key={d.districtId}>
                    <td className="mono">{d.districtId}</td>
                    <td>{d.name}</td>
                    <td>{formatCount(d.targetPopulation)}</td>
                    <td>{d.targetIsDemo ? t('planning.targets.demo') : t('planning.targets.imported')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </CsvUploadCard>
  );
}

import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { loadDistrictList, useDistrictList } from '../map/district-list';
import { CsvUploadCard } from './CsvUploadCard';
import { districtListCsv, DISTRICTS_CSV_TEMPLATE, importDistrictList } from './planning-api';
import { withCode } from './with-code';

/**
 * National admins bring the district list up to date: the seed has GeoNames' 658 districts, India about 780 today.
 * New districts are added, named ones renamed or re-centred; none is removed (records refer to them).
 */
export function DistrictListImport({ token }: { token: string }) {
  const { t } = useI18n();
  const districts = useDistrictList(INDIA_MAP_DATA.districts);
  const stateName = (id: number) =>
    INDIA_MAP_DATA.states.find((s) => s.id === id)?.name ?? t('planning.districts.stateFallback', { id });
  return (
    <CsvUploadCard
      title={t('planning.districts.title')}
      testIdPrefix="districts-"
      className="districts-import"
      intro={withCode(
        t,
        'planning.districts.intro',
        { columns: DISTRICTS_CSV_TEMPLATE.trim(), idColumn: 'district_id', pincodesColumn: 'pincodes' },
        { count: districts.length },
      )}
      placeholder={DISTRICTS_CSV_TEMPLATE + '12,,Kamle,,27.67,93.77,,791120\n'}
      starter={{ label: t('planning.districts.starter'), csv: districtListCsv(districts) }}
      upload={(csv, dryRun) => importDistrictList(csv, token, dryRun)}
      done={(o) => {
        const names = o.created.map((d) => `${d.name} (${d.districtId}, ${stateName(d.stateId)})`).join(', ');
        const count = o.created.length;
        return [
          o.dryRun ? t('planning.csv.allFine', { rows: o.rows }) : t('planning.districts.imported', { rows: o.rows }),
          count
            ? t(o.dryRun ? 'planning.districts.wouldAdd' : 'planning.districts.added', { count, names })
            : t('planning.districts.noneNew'),
          o.dryRun
            ? t('planning.districts.wouldChange', { updated: o.updated, unchanged: o.unchanged })
            : t('planning.districts.changed', {
                updated: o.updated,
                unchanged: o.unchanged,
                pincodes: o.pincodesMoved,
              }),
          o.unlisted.length ? t('planning.districts.unlisted', { count: o.unlisted.length }) : '',
        ]
          .filter(Boolean)
          .join(' ');
      }}
      onImported={() => void loadDistrictList(true).catch(() => {})}
    />
  );
}

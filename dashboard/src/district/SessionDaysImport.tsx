import { useI18n } from '../i18n/useI18n';
import { CsvUploadCard } from './CsvUploadCard';
import { CSV_TEMPLATE, importSessionDays, type Site } from './planning-api';
import { todayInIndia } from './today';
import { withCode } from './with-code';

/** Session days planned from a CSV file, one row each. */
export function SessionDaysImport({
  token,
  sites,
  onImported,
}: {
  token: string;
  sites: Site[];
  onImported: () => void;
}) {
  const { t } = useI18n();
  const example = sites[0] ? `${sites[0].id},${todayInIndia()},COVISHIELD,18,,100,50,20,09:00,17:00,60\n` : '';
  return (
    <CsvUploadCard
      title={t('planning.daysCsv.title')}
      intro={withCode(t, 'planning.daysCsv.intro', { columns: CSV_TEMPLATE.trim() })}
      placeholder={CSV_TEMPLATE + example}
      upload={(csv, dryRun) => importSessionDays(csv, token, dryRun)}
      done={(o) =>
        o.dryRun
          ? t('planning.csv.allFine', { rows: o.rows })
          : t('planning.daysCsv.planned', { created: o.created, rows: o.rows })
      }
      onImported={onImported}
    />
  );
}

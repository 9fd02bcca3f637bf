import type { DryRunWatch } from '../dryruns/DryRunWatch';
import { DryRunPicker } from '../dryruns/DryRunWatch';
import { indiaClock } from '../format';
import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import type { LiveStatus } from '../live/useLiveRoom';
import type { DashboardBody } from '../warroom/dashboard-api';

/** The console's title, how fresh its figures are and whether the live feed is up, and the links to other screens. */
export function ConsoleHeader({
  districtName,
  dashboard,
  liveStatus,
  canPick,
  watch,
}: {
  districtName: string;
  dashboard: DashboardBody | undefined;
  liveStatus: LiveStatus;
  canPick: boolean;
  watch: DryRunWatch;
}) {
  const { t } = useI18n();
  return (
    <header className="console-header">
      <div>
        <h1>{t('district.title', { district: districtName })}</h1>
        <p className="muted">
          {dashboard
            ? t('district.updated', { date: dashboard.date, time: indiaClock(dashboard.asOf) })
            : t('district.loading')}
          {' · '}
          {t('district.liveFeed', { status: t(`district.liveStatus.${liveStatus}`) })}
          {canPick && (
            <>
              {' · '}
              <a href={hrefForPath('/district')}>{t('district.changeDistrict')}</a>
            </>
          )}
        </p>
      </div>
      <div className="console-header-actions">
        <DryRunPicker watch={watch} />
        <a className="button-secondary" href={hrefForPath('/lookup')}>
          {t('lookup.fromConsole')}
        </a>
        <a className="button-secondary" href={hrefForPath('/planning')}>
          {t('district.plan')}
        </a>
        <a className="button-secondary" href={hrefForPath('/batches')}>
          {t('stock.openRegistry')}
        </a>
      </div>
    </header>
  );
}

import { useI18n } from '../i18n/useI18n';
import type { DeskTab } from './tabs';

/** The desk's tabs; the records tab counts what waits on the phone. */
export function DeskTabs({
  tabs,
  active,
  pending,
  onSelect,
}: {
  tabs: readonly DeskTab[];
  active: DeskTab | undefined;
  pending: number;
  onSelect: (tab: DeskTab) => void;
}) {
  const { t } = useI18n();
  const label = (key: DeskTab) =>
    key === 'queue'
      ? pending
        ? t('desk.tabs.recordsPending', { count: pending })
        : t('desk.tabs.records')
      : t(`desk.tabs.${key === 'walk-in' ? 'walkIn' : key}`);
  return (
    <nav className="desk-tabs" aria-label={t('desk.tabs.label')}>
      {tabs.map((key) => (
        <button key={key} type="button" aria-pressed={active === key} onClick={() => onSelect(key)}>
          {label(key)}
        </button>
      ))}
    </nav>
  );
}

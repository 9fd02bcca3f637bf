import { useMemo } from 'react';
import { useI18n } from '../i18n/useI18n';

/** An instant as a date and time on the India clock, in the screen's language ('—' for none). */
export function useIndiaClock(): (iso: string | null) => string {
  const { locale } = useI18n();
  const clock = useMemo(
    () => new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' }),
    [locale],
  );
  return (iso: string | null) => (iso ? clock.format(new Date(iso)) : '—');
}

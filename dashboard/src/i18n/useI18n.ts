import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, i18n } from './i18n';
import { intlLocale, LANGUAGES, languageName } from './resources';

/** Values a message may interpolate: `t('portal.booked', { name, site })`. */
export type MessageVars = Record<string, string | number | Date | null | undefined>;

/**
 * The dashboard's translation hook: `t(key, vars)` in the chosen language, the language switch, and number and
 * date formats of the language's locale (Indian grouping in every language).
 */
export function useI18n() {
  const { t: translateKey } = useTranslation();
  const language = currentLanguage();
  const locale = intlLocale(language);

  const t = useCallback((key: string, vars?: MessageVars) => translateKey(key, vars ?? {}) as string, [translateKey]);
  const setLanguage = useCallback((next: string) => void i18n.changeLanguage(next), []);
  /** The next language in the list (two languages: the other one). */
  const toggle = useCallback(
    () => setLanguage(LANGUAGES[(LANGUAGES.indexOf(language) + 1) % LANGUAGES.length] ?? language),
    [language, setLanguage],
  );
  const formats = useMemo(() => {
    const number = new Intl.NumberFormat(locale);
    const date = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Kolkata', dateStyle: 'medium' });
    return {
      formatNumber: (value: number) => number.format(value),
      /** An India calendar date ('2026-12-06') as the language writes it. */
      formatDate: (isoDate: string) => date.format(new Date(`${isoDate}T12:00:00+05:30`)),
    };
  }, [locale]);

  return { language, locale, languages: LANGUAGES, languageName, t, setLanguage, toggle, ...formats };
}

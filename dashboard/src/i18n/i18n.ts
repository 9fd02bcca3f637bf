/**
 * The one i18next instance of the dashboard: ICU messages (i18next-icu), the language from the person's last
 * choice, else the browser's (i18next-browser-languagedetector, kept in localStorage `teeka.lang`).
 *
 * Keys are dotted and their first segment names the namespace file when one exists (`portal.search.title` is
 * `locales/<language>/portal.json` → `search.title`); other keys live in `common.json` (`nav.warRoom`).
 */
import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_NAMESPACE, FALLBACK_LANGUAGE, intlLocale, LANGUAGES, NAMESPACES, resources } from './resources';

export const LANGUAGE_STORAGE_KEY = 'teeka.lang';

export const i18n = i18next.createInstance();

void i18n
  .use(new ICU({ parseLngForICU: intlLocale }))
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    ns: [...NAMESPACES],
    defaultNS: DEFAULT_NAMESPACE,
    nsSeparator: '.',
    keySeparator: '.',
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
    },
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    initAsync: false,
    react: { useSuspense: false },
  });

/** The current language, one of LANGUAGES. */
export function currentLanguage(): string {
  return i18n.resolvedLanguage ?? FALLBACK_LANGUAGE;
}

/** A translation outside React (error texts built in plain functions). */
export function translate(key: string, vars?: Record<string, unknown>): string {
  return i18n.t(key, vars ?? {}) as string;
}

import { useI18n } from '../i18n/useI18n';

/** The one language switch (in the header): every language by its own name. */
export function LanguageSwitch() {
  const { language, languages, languageName, setLanguage, t } = useI18n();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.choose')}</span>
      <select
        value={language}
        onChange={(event) => setLanguage(event.target.value)}
        data-testid="language-switch"
        aria-label={t('language.choose')}
      >
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageName(code)}
          </option>
        ))}
      </select>
    </label>
  );
}

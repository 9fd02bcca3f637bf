import { useCallback } from 'react';
import { createStoredValue } from '../auth/stored';
import { translate, type Language, type MessageKey } from './dictionary';

const languageStore = createStoredValue<Language>('teeka.lang');

export function useI18n() {
  const language = languageStore.useValue() ?? 'en';
  const t = useCallback((key: MessageKey | `stage.${string}`) => translate(language, key), [language]);
  const toggle = useCallback(() => languageStore.write(language === 'en' ? 'hi' : 'en'), [language]);
  return { language, t, toggle };
}

/**
 * The dashboard's translations, found by file name: `locales/<language>/<namespace>.json`. A new language is a
 * new folder with the same files (its `common.json` names the language and its Intl locale); a new screen's
 * strings are a new namespace file in every language folder. Nothing else needs to change.
 *
 * Messages are ICU MessageFormat (`{count, plural, one {# seat} other {# seats}}`, `{name}`), formatted with the
 * language's Intl locale (`en-IN`, `hi-IN`: Indian digit grouping, 12,34,567).
 */
import type { Resource, ResourceLanguage } from 'i18next';

type Messages = { [key: string]: string | Messages };

const files = import.meta.glob<Messages>('./locales/*/*.json', { eager: true, import: 'default' });

export const FALLBACK_LANGUAGE = 'en';
/** The namespace of keys whose first segment names no file: `nav.warRoom` is `common.json`'s `nav.warRoom`. */
export const DEFAULT_NAMESPACE = 'common';

export const resources: Resource = {};
for (const [file, messages] of Object.entries(files)) {
  const match = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(file);
  if (!match) continue;
  const [, language, namespace] = match as unknown as [string, string, string];
  (resources[language] ??= {} as ResourceLanguage)[namespace] = messages;
}

/** Every language with translations, the fallback first. */
export const LANGUAGES: readonly string[] = Object.keys(resources).sort((a, b) =>
  a === FALLBACK_LANGUAGE ? -1 : b === FALLBACK_LANGUAGE ? 1 : a.localeCompare(b),
);

export const NAMESPACES: readonly string[] = Object.keys(resources[FALLBACK_LANGUAGE] ?? {}).sort();

function languageFacts(language: string): { name?: string; locale?: string } {
  const common = resources[language]?.[DEFAULT_NAMESPACE] as Messages | undefined;
  const facts = common?.language;
  return typeof facts === 'object' ? (facts as { name?: string; locale?: string }) : {};
}

/** The language's own name ('हिन्दी'), as its speakers look for it in the language switch. */
export function languageName(language: string): string {
  return languageFacts(language).name ?? language;
}

/** The Intl locale that formats the language's numbers and dates ('hi' → 'hi-IN'). */
export function intlLocale(language: string): string {
  return languageFacts(language).locale ?? language;
}

/** Every key of one namespace's messages, dotted ('search.title'). */
export function flattenKeys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flattenKeys(value, `${prefix}${key}.`),
  );
}

export type { Messages };

/**
 * Every language says everything English says: the same files and keys, nothing blank, messages that parse as
 * ICU with the same placeholders, no English left untranslated, and every key the screens use exists.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { ROW_PROBLEMS } from '../../../domain/row-problems';
import {
  DEFAULT_NAMESPACE,
  FALLBACK_LANGUAGE,
  flattenKeys,
  intlLocale,
  LANGUAGES,
  NAMESPACES,
  resources,
  type Messages,
} from './resources';

const english = resources[FALLBACK_LANGUAGE] as Record<string, Messages>;

function message(language: string, namespace: string, key: string): string | undefined {
  let node: string | Messages | undefined = (resources[language] as Record<string, Messages>)[namespace];
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** The argument names of an ICU message, nested plural/select branches included. */
function argumentsOf(text: string, locale: string): string[] {
  type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }> };
  const names = new Set<string>();
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (element.type >= 1 && element.type <= 6 && element.value) names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, locale).getAst() as Element[]);
  return [...names].sort();
}

/** Text outside placeholders, where a translation would show. */
function visibleText(text: string): string {
  let depth = 0;
  let out = '';
  for (const char of text) {
    if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (depth === 0) out += char;
  }
  return out;
}

describe('translations', () => {
  it('have more than one language, English first', () => {
    expect(LANGUAGES[0]).toBe(FALLBACK_LANGUAGE);
    expect(LANGUAGES).toContain('hi');
  });

  for (const language of LANGUAGES.filter((l) => l !== FALLBACK_LANGUAGE)) {
    it(`${language} has every file and key English has, and no other`, () => {
      expect(Object.keys(resources[language] ?? {}).sort()).toEqual([...NAMESPACES]);
      for (const namespace of NAMESPACES) {
        const theirs = flattenKeys((resources[language] as Record<string, Messages>)[namespace] ?? {}).sort();
        expect(theirs, `${language}/${namespace}.json`).toEqual(flattenKeys(english[namespace]!).sort());
      }
    });

    it(`${language} translates every message, with the same placeholders`, () => {
      const locale = intlLocale(language);
      for (const namespace of NAMESPACES)
        for (const key of flattenKeys(english[namespace]!)) {
          const theirs = message(language, namespace, key) ?? '';
          const ours = message(FALLBACK_LANGUAGE, namespace, key)!;
          const where = `${language}/${namespace}.json ${key}`;
          expect(theirs.trim(), where).not.toBe('');
          expect(argumentsOf(theirs, locale), where).toEqual(argumentsOf(ours, 'en-IN'));
          // The same text as English is an untranslated copy, unless it has no words (a symbol, a number).
          if (key !== 'language.locale' && /\p{L}{2,}/u.test(visibleText(ours)) && key !== 'language.name')
            expect(theirs, where).not.toBe(ours);
        }
    });
  }

  it('gives every language its own name and an Intl locale', () => {
    for (const language of LANGUAGES) {
      expect(message(language, DEFAULT_NAMESPACE, 'language.name')).toBeTruthy();
      expect(() => new Intl.NumberFormat(intlLocale(language))).not.toThrow();
    }
    expect(message('hi', DEFAULT_NAMESPACE, 'language.name')).toMatch(/[\u0900-\u097F]/);
  });

  it('keeps common.json free of groups named like a file, so every key has one home', () => {
    for (const group of Object.keys(english[DEFAULT_NAMESPACE]!)) expect(NAMESPACES).not.toContain(group);
  });

  it('words every problem the server can find in an uploaded row', () => {
    const worded = Object.keys((english.planning as Messages).csvProblems as Messages);
    expect(worded.sort()).toEqual([...ROW_PROBLEMS].sort());
  });

  it('formats numbers with Indian grouping in every language', () => {
    for (const language of LANGUAGES)
      expect(new IntlMessageFormat('{n, number}', intlLocale(language)).format({ n: 1234567 })).toBe('12,34,567');
  });

  it('has every key the screens ask for', () => {
    const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../**/*.test.ts'], {
      eager: true,
      query: '?raw',
      import: 'default',
    });
    const resolve = (key: string): { namespace: string; rest: string } => {
      const [first, ...rest] = key.split('.');
      return NAMESPACES.includes(first!) && first !== DEFAULT_NAMESPACE
        ? { namespace: first!, rest: rest.join('.') }
        : { namespace: DEFAULT_NAMESPACE, rest: first === DEFAULT_NAMESPACE ? rest.join('.') : key };
    };
    const missing: string[] = [];
    let seen = 0;
    for (const [file, text] of Object.entries(sources)) {
      for (const match of text.matchAll(
        /\b(?:t|translate)\(\s*'([a-zA-Z0-9_.]+)'|(?:labelKey|Key):\s*'([a-zA-Z0-9_.]+)'/g,
      )) {
        const key = match[1] ?? match[2]!;
        seen++;
        const { namespace, rest } = resolve(key);
        if (message(FALLBACK_LANGUAGE, namespace, rest) === undefined) missing.push(`${file}: ${key}`);
      }
      // `t(\`stage.${person.stage}\`)`: the group must exist.
      for (const match of text.matchAll(/\b(?:t|translate)\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
        const { namespace, rest } = resolve(match[1]!);
        let node: unknown = english[namespace];
        for (const part of rest.split('.').filter(Boolean)) node = (node as Messages | undefined)?.[part];
        if (typeof node !== 'object') missing.push(`${file}: ${match[1]}.*`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});

/**
 * The refusal catalogue (domain/refusals.ts) is the only list of refusals: every code the server raises, fails a
 * workflow update with or has a database trigger raise is in it (the API's own errors, `AppError`, take a code of
 * the catalogue by type), every entry has an HTTP status and a message, and the dashboard has a sentence for
 * every code of the catalogue, and no other, in every language.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRefusalCode, REFUSALS, type RefusalEntry } from '../../domain/refusals.js';

const root = join(import.meta.dirname, '..', '..');
const SERVER_DIRS = ['domain', 'config', 'db', 'live', 'messaging', 'certificates', 'workflows', 'api'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** Each refusal code the server's code names, with where it is named. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (code: string, path: string) => found.set(code, relative(root, path));
  for (const path of SERVER_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))) {
    const text = readFileSync(path, 'utf8');
    // A code raised by name: refuse('X', ...), new DomainRefusal('X', ...).
    for (const m of text.matchAll(/\b(?:refuse|DomainRefusal)\(\s*'([A-Z][A-Z0-9_]*)'/g)) add(m[1]!, path);
    // A code taken from a list of refusals or workflow failures: Refusal.X, DoseRefusal.X, JourneyFailure.X...
    for (const m of text.matchAll(/\b(\w*(?:Refusal|Failure))\.([A-Z][A-Z0-9_]*)\b/g)) {
      if (['DomainRefusal', 'ApplicationFailure', 'ActivityFailure'].includes(m[1]!)) continue;
      if (m[1] === 'SessionFailure') continue; // its keys differ from its codes; the lists below read the values
      add(m[2]!, path);
    }
    // The codes such a list holds: export const XRefusal = { A: 'A', ... }.
    for (const m of text.matchAll(/export const \w*(?:Refusal|Failure) = \{([^}]*)\}/g)) {
      for (const v of m[1]!.matchAll(/:\s*'([A-Z][A-Z0-9_]*)'/g)) add(v[1]!, path);
    }
    // A database trigger's refusal: SQLSTATE TK002 with the code as its hint.
    for (const m of text.matchAll(/'TK002',\s*hint\s*=\s*'([A-Z][A-Z0-9_]*)'/g)) add(m[1]!, path);
  }
  return found;
}

const entries = Object.entries(REFUSALS) as [string, RefusalEntry][];

describe('the refusal catalogue', () => {
  it('holds every refusal code the code raises', () => {
    const found = codesInSource();
    expect(found.size).toBeGreaterThan(80);
    const missing = [...found].filter(([code]) => !isRefusalCode(code)).map(([code, path]) => `${code} (${path})`);
    expect(missing).toEqual([]);
  });

  it('gives every refusal an HTTP status and an English message', () => {
    for (const [code, entry] of entries) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(Number.isInteger(entry.status) && entry.status >= 400 && entry.status < 600, code).toBe(true);
      expect(entry.message.trim().length, code).toBeGreaterThan(0);
    }
  });

  it("gives a Co-WIN code in Co-WIN's shape, with a Co-WIN status", () => {
    for (const [code, { cowin }] of entries.filter(([, entry]) => entry.cowin)) {
      expect(cowin!.errorCode, code).toMatch(/^[A-Z]{4,6}\d{4}$/);
      expect(cowin!.status >= 400 && cowin!.status < 600, code).toBe(true);
    }
  });

  describe("and the dashboard's messages", () => {
    // The dashboard's own sentences, for no answer and for a code it has no words for.
    const NOT_REFUSALS = ['generic', 'offline'];
    const locales = join(root, 'dashboard', 'src', 'i18n', 'locales');
    const languages = readdirSync(locales);
    const messages = (language: string) =>
      JSON.parse(readFileSync(join(locales, language, 'errors.json'), 'utf8')) as Record<string, string>;

    it('translate every code of the catalogue, in every language', () => {
      expect(languages).toEqual(expect.arrayContaining(['en', 'hi']));
      for (const language of languages) {
        const text = messages(language);
        const untranslated = entries.filter(([code]) => !text[code]?.trim()).map(([code]) => code);
        expect(untranslated, language).toEqual([]);
      }
    });

    it('are for codes of the catalogue only', () => {
      for (const language of languages) {
        const stray = Object.keys(messages(language)).filter(
          (code) => !NOT_REFUSALS.includes(code) && !isRefusalCode(code),
        );
        expect(stray, language).toEqual([]);
      }
    });
  });
});

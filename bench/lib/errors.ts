/**
 * Every error a benchmark meets, counted by phase and kind: a non-2xx answer that was not an expected refusal,
 * a thrown error, a timeout, a broken invariant (a dose not stored, a seat overbooked). A run with any of them
 * prints them and exits non-zero: a figure measured over failing requests is not a figure.
 */

interface Entry {
  count: number;
  sample?: string;
}

const counted = new Map<string, Map<string, Entry>>();

/** Counts `n` errors of `kind` in `phase`; `sample` (the first one kept) helps find the cause. */
export function countError(phase: string, kind: string, n = 1, sample?: string): void {
  if (n <= 0) return;
  const kinds = counted.get(phase) ?? new Map<string, Entry>();
  counted.set(phase, kinds);
  const entry = kinds.get(kind) ?? { count: 0 };
  entry.count += n;
  entry.sample ??= sample?.slice(0, 300);
  kinds.set(kind, entry);
}

/** A thrown error's kind: its class and code, and the first line of its message without ids or numbers. */
export function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return `thrown ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  const message = error.message
    .split('\n')[0]
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '<uuid>')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
  return `${error.name}${code ? ` ${String(code)}` : ''}: ${message}`;
}

export function errorsIn(phase: string): Record<string, number> {
  return Object.fromEntries([...(counted.get(phase) ?? [])].map(([kind, e]) => [kind, e.count]));
}

export function totalErrors(): number {
  let total = 0;
  for (const kinds of counted.values()) for (const e of kinds.values()) total += e.count;
  return total;
}

/** Prints every counted error and sets a failing exit code; returns whether there were any. */
export function reportErrors(): boolean {
  const total = totalErrors();
  if (!total) {
    console.log('\nerrors: none');
    return false;
  }
  console.error(`\nERRORS: ${total} in this run; its figures do not stand`);
  for (const [phase, kinds] of counted) {
    for (const [kind, e] of kinds) {
      console.error(`  ${phase}: ${e.count} × ${kind}${e.sample ? `\n      e.g. ${e.sample}` : ''}`);
    }
  }
  process.exitCode = 1;
  return true;
}

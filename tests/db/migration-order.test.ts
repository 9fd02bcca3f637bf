import { describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { MIGRATION_NAME, migrationOrderProblem, UNORDERED_MIGRATIONS } from '../../db/migrator.js';

const names = Object.keys(migrations);
const lastUnordered = [...UNORDERED_MIGRATIONS].sort().at(-1)!;

describe('migration names', () => {
  it('say when and what, and are listed in name order', () => {
    for (const name of names) expect(name).toMatch(MIGRATION_NAME);
    expect(names).toEqual([...names].sort());
  });

  it('of every migration since the unordered ones sort after all of them', () => {
    for (const name of UNORDERED_MIGRATIONS) expect(names).toContain(name);
    for (const name of names.filter((n) => !UNORDERED_MIGRATIONS.has(n))) expect(name > lastUnordered).toBe(true);
  });
});

describe('a database with pending migrations', () => {
  const later = '2099-01-01T0000_later';
  const earlier = '2098-01-01T0000_earlier';

  it('runs new migrations named after everything it has run', () => {
    expect(migrationOrderProblem([...UNORDERED_MIGRATIONS], [earlier, later])).toBeUndefined();
    expect(migrationOrderProblem([], [earlier, later])).toBeUndefined();
  });

  it('still runs the unordered migrations in any order, as databases that ran them out of order need', () => {
    const [first, ...rest] = [...UNORDERED_MIGRATIONS];
    expect(migrationOrderProblem(rest, [first])).toBeUndefined();
  });

  it('refuses a new migration named before one it has already run, and names both', () => {
    const problem = migrationOrderProblem([...UNORDERED_MIGRATIONS, later], [earlier]);
    expect(problem).toContain(earlier);
    expect(problem).toContain(later);
    expect(problem).toContain('rename');
  });
});

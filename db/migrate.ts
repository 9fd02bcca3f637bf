/** `npm run migrate`: bring DATABASE_URL's schema to the latest migration. */
import { createDb } from './connection.js';
import { migrateToLatest } from './migrator.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/teeka npm run migrate',
  );
  process.exit(1);
}
const { db } = createDb({ connectionString: url, applicationName: 'teeka-migrate' });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? applied.join('\n') : 'schema already at latest');
} finally {
  await db.destroy();
}

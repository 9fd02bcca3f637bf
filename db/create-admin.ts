/**
 * `npm run admin:create`: creates the first national admin of a deployment, who then creates every other officer in
 * the app. Refuses when an active national admin exists already.
 *
 *   echo "$PASSWORD" | DATABASE_URL=... npm run admin:create -- --username admin --name "Ministry admin"
 *   TEEKA_ADMIN_PASSWORD=... npm run admin:create          # or from the environment
 *   npm run admin:create                                   # or typed at the terminal (not shown)
 *
 * The password is never printed or logged; the account's creation is in the audit log (STAFF_CREATED, by SYSTEM).
 */
import { parseArgs } from 'node:util';
import { createDb } from './connection.js';
import { createStaff } from './repositories/staff.js';
import { staffPasswordProblem, staffUsernameProblem } from '../domain/passwords.js';

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.TEEKA_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  process.stdout.write('Password of the new admin (not shown): ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let typed = '';
    const onData = (key: string) => {
      for (const char of key) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          process.stdout.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') fail('cancelled');
        if (char === '\u007f') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

const { values } = parseArgs({
  options: {
    username: { type: 'string', default: 'admin' },
    name: { type: 'string', default: 'National administrator' },
    mobile: { type: 'string' },
  },
});
const username = values.username;
const name = values.name.trim();
const mobile = values.mobile ?? null;

const url = process.env.DATABASE_URL;
if (!url) fail('DATABASE_URL is not set (the database `npm run migrate` prepared)');
const usernameProblem = staffUsernameProblem(username);
if (usernameProblem) fail(usernameProblem);
if (!name || name.length > 100) fail('--name must be 1–100 characters');
if (mobile !== null && !/^[6-9]\d{9}$/.test(mobile)) fail('--mobile must be a 10-digit Indian mobile number');

const password = await readPassword();
const passwordProblem = staffPasswordProblem(password, username);
if (passwordProblem) fail(passwordProblem);

const { db } = createDb({ connectionString: url, applicationName: 'teeka-admin-create', poolSize: 1 });
try {
  const existing = await db
    .selectFrom('staff_user')
    .select('username')
    .where('role', '=', 'NATIONAL_ADMIN')
    .where('active', '=', true)
    .executeTakeFirst();
  if (existing) {
    fail(
      `a national admin exists already (${existing.username}); sign in as them to create further staff, ` +
        'or deactivate them first to start over',
    );
  }
  const admin = await createStaff(
    db,
    { username, password, name, mobile, role: 'NATIONAL_ADMIN', stateId: null, districtId: null },
    { type: 'SYSTEM', id: 'admin:create', role: null },
  );
  console.log(
    `created national admin ${admin.username} (${admin.id}): sign in to the dashboard and create the officers`,
  );
} catch (error) {
  fail((error as Error).message);
} finally {
  await db.destroy();
}

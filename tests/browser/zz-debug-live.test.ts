import { io } from 'socket.io-client';
import { afterAll, beforeAll, it } from 'vitest';
import { insertSessionDay, PUNE } from '../support/fixtures.js';
import { createStaff, startBrowserPlatform, STAFF_PASSWORD, type BrowserPlatform } from './support.js';
import { loginBeneficiary, registerPerson, vaccinatorFor } from '../support/journey.js';
import { uniqueMobile } from '../support/fixtures.js';

let platform: BrowserPlatform;
beforeAll(async () => { platform = await startBrowserPlatform(); });
afterAll(async () => { await platform?.close(); });

it('debug', async () => {
  const { app, db, baseUrl } = platform;
  const officer = await createStaff(db, 'STATE_OFFICER');
  const login = await app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: officer.username, password: STAFF_PASSWORD } });
  const token = login.json().token;
  const socket = io(baseUrl, { path: '/socket.io', auth: { token }, transports: ['websocket'] });
  socket.onAny((name, ...args) => console.log('EVENT', name, JSON.stringify(args).slice(0, 200)));
  await new Promise((r) => socket.on('connect', r));
  socket.emit('join', 'state:27', (ack: unknown) => console.log('ACK', ack));
  socket.emit('join', 'district:27024', (ack: unknown) => console.log('ACK', ack));
  await new Promise((r) => setTimeout(r, 1500));
  const day = await insertSessionDay(db, { vaccine: 'COVAXIN' });
  const vac = await vaccinatorFor(app, db, day.id);
  const bt = await loginBeneficiary(app, uniqueMobile());
  const reg = await registerPerson(app, bt);
  console.log('reg', reg.statusCode);
  const { referenceId, secretCode } = reg.json();
  const dose = await app.inject({ method: 'POST', url: '/api/v1/doses', headers: { authorization: `Bearer ${vac.token}` }, payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'B1' } });
  console.log('dose', dose.statusCode, dose.body.slice(0, 200));
  await new Promise((r) => setTimeout(r, 3000));
  socket.disconnect();
});

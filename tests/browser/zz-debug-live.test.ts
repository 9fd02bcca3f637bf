import { afterAll, beforeAll, it } from 'vitest';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson, vaccinatorFor } from '../support/journey.js';
import { createStaff, signInAsStaff, startBrowserPlatform, type BrowserPlatform } from './support.js';

let platform: BrowserPlatform;
beforeAll(async () => { platform = await startBrowserPlatform(); });
afterAll(async () => { await platform?.close(); });

it('debug', async () => {
  const { app, db, baseUrl } = platform;
  const officer = await createStaff(db, 'STATE_OFFICER');
  const wall = await platform.newPage();
  wall.on('console', (m) => console.log('CONSOLE', m.text().slice(0, 300)));
  await signInAsStaff(wall, baseUrl, officer.username);
  await wall.goto(`${baseUrl}/#/war-room`);
  await new Promise((r) => setTimeout(r, 3000));
  const day = await insertSessionDay(db, { vaccine: 'COVAXIN', walkin: 5 });
  const vac = await vaccinatorFor(app, db, day.id);
  const bt = await loginBeneficiary(app, uniqueMobile());
  const { referenceId, secretCode } = (await registerPerson(app, bt)).json();
  const dose = await app.inject({ method: 'POST', url: '/api/v1/doses', headers: { authorization: `Bearer ${vac.token}` }, payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'B1' } });
  console.log('dose', dose.statusCode);
  await new Promise((r) => setTimeout(r, 3000));
  console.log('KPI', await wall.getByTestId('kpi-doses-today').getAttribute('data-value'));
});

import { describe, expect, it } from 'vitest';
import { canOpen, homeWarRoom, mayView, visibleSections, type StaffProfile } from './permissions';

const staff = (role: StaffProfile['role'], stateId: number | null, districtId: number | null): StaffProfile => ({
  id: 'x',
  name: 'x',
  role,
  stateId,
  districtId,
});
const national = staff('NATIONAL_ADMIN', null, null);
const mh = staff('STATE_OFFICER', 27, null);
const pune = staff('DISTRICT_OFFICER', 27, 27024);
const vaccinator = staff('VACCINATOR', 27, 27024);
const stateOf = (districtId: number) => Math.floor(districtId / 1000);

describe('what each role sees', () => {
  it('shows the public a sign-in, the portal, the verifier and the vaccination figures only', () => {
    expect(visibleSections(undefined)).toEqual(['login', 'beneficiary', 'verify', 'figures', 'status']);
  });

  it('gives a vaccinator the desk and no war room or planning', () => {
    expect(canOpen(vaccinator, 'vaccinator')).toBe(true);
    expect(canOpen(vaccinator, 'war-room')).toBe(false);
    expect(canOpen(vaccinator, 'planning')).toBe(false);
    // Finding a person of their session day (the server keeps them to the days they are on).
    expect(canOpen(vaccinator, 'lookup')).toBe(true);
    expect(homeWarRoom(vaccinator)).toBeUndefined();
  });

  it('opens each officer war room at their own level', () => {
    expect(homeWarRoom(national)).toEqual({ level: 'national' });
    expect(homeWarRoom(mh)).toEqual({ level: 'state', id: 27 });
    expect(homeWarRoom(pune)).toEqual({ level: 'district', id: 27024 });
    expect(canOpen(pune, 'vaccinator')).toBe(false);
  });

  it('keeps drill-down inside the jurisdiction', () => {
    expect(mayView(national, { level: 'district', id: 7003 }, stateOf)).toBe(true);
    expect(mayView(mh, { level: 'national' }, stateOf)).toBe(false);
    expect(mayView(mh, { level: 'state', id: 27 }, stateOf)).toBe(true);
    expect(mayView(mh, { level: 'state', id: 7 }, stateOf)).toBe(false);
    expect(mayView(mh, { level: 'district', id: 27024 }, stateOf)).toBe(true);
    expect(mayView(mh, { level: 'district', id: 7003 }, stateOf)).toBe(false);
    expect(mayView(pune, { level: 'district', id: 27024 }, stateOf)).toBe(true);
    expect(mayView(pune, { level: 'district', id: 27025 }, stateOf)).toBe(false);
    expect(mayView(pune, { level: 'state', id: 27 }, stateOf)).toBe(false);
  });
});

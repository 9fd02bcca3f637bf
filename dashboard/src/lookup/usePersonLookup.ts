import { useEffect, useState, type FormEvent } from 'react';
import { apiGet } from '../api/client';
import type { StaffSession } from '../auth/staff-session';
import type { DeskToday } from '../desk/api';
import { errorMessage } from '../format';
import { errorText } from '../i18n/error-text';
import { lookUpPeople, type PersonHistory } from './api';

export type LookupKey = 'mobile' | 'referenceId';

/**
 * The lookup's search: by mobile or reference id, and at the desk within one of today's session days the vaccinator
 * is on (loaded here); the people found, or why none could be looked up, and a notice of what was last done.
 */
export function usePersonLookup(session: StaffSession | undefined) {
  const [key, setKey] = useState<LookupKey>('mobile');
  const [value, setValue] = useState('');
  const [sessionDayId, setSessionDayId] = useState('');
  const [deskDays, setDeskDays] = useState<DeskToday['sessions']>([]);
  const [people, setPeople] = useState<PersonHistory[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const token = session?.token;
  const atDesk = session?.staff.role === 'VACCINATOR';

  useEffect(() => {
    if (!atDesk || !token) return;
    apiGet<DeskToday>('/api/v1/desk/today', { token })
      .then((today) => {
        setDeskDays(today.sessions);
        setSessionDayId((current) => current || today.sessions[0]?.sessionDayId || '');
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [atDesk, token]);

  async function search(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    try {
      const found = await lookUpPeople(
        { [key]: value.trim(), ...(atDesk && sessionDayId ? { sessionDayId } : {}) },
        session!.token,
      );
      setPeople(found.people);
      setError(undefined);
      setNotice(undefined);
    } catch (failure) {
      setPeople(undefined);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return {
    atDesk,
    key,
    setKey,
    value,
    setValue,
    sessionDayId,
    setSessionDayId,
    deskDays,
    people,
    error,
    busy,
    notice,
    setNotice,
    search,
  };
}

export type PersonLookup = ReturnType<typeof usePersonLookup>;

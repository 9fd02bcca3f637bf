import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../i18n/error-text';
import { listPeople, type Person } from './api';

const PEOPLE_REFRESH_MS = 5_000;

/**
 * The people registered on the account, read again every few seconds while the page is visible: stages move on
 * their own (OTP checks, bookings confirmed by the journey, doses recorded at the centre).
 */
export function usePeople() {
  const [people, setPeople] = useState<Person[]>();
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    try {
      setPeople(await listPeople());
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, []);

  useEffect(() => {
    void reload();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, PEOPLE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  return { people, error, setError, reload };
}

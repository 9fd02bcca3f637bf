import { useCallback, useEffect, useState } from 'react';
import { fetchObservation, type ObservationList } from './api';
import { readKeepingCopy } from './read-keeping-copy';

const OBSERVATION_REFRESH_MS = 15_000;

/** The session day's vaccinated people under observation: read at once and every 15 seconds, kept on the phone. */
export function useObservationList(sessionDayId: string, token: string) {
  const [list, setList] = useState<ObservationList>();
  const [error, setError] = useState<string>();
  const cacheKey = `observation:${sessionDayId}`;

  const load = useCallback(
    () =>
      readKeepingCopy(cacheKey, () => fetchObservation(sessionDayId, token), {
        answer: (fresh) => {
          setList(fresh);
          setError(undefined);
        },
        copy: (saved) => setList((current) => current ?? saved),
        error: setError,
      }),
    [sessionDayId, token, cacheKey],
  );

  useEffect(() => {
    void load();
    const refresh = window.setInterval(() => void load(), OBSERVATION_REFRESH_MS);
    return () => window.clearInterval(refresh);
  }, [load]);

  return { list, error, setError, load };
}

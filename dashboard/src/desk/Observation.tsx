import { useEffect, useState } from 'react';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { AefiDialog } from './AefiDialog';
import { releaseObserved, type DeskSession, type ObservedPerson } from './api';
import type { DeskMessage } from './messages';
import { ObservedPersonRow } from './ObservedPersonRow';
import { useObservationList } from './useObservationList';

/**
 * The observer's screen: everyone vaccinated, each with a running 30-minute timer, released once it is over;
 * an adverse event can be reported for anyone on it (online at once, or queued on the phone).
 */
export function Observation({
  session,
  token,
  online,
  onMessage,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  onMessage: (message: DeskMessage | undefined) => void;
}) {
  const { t } = useI18n();
  const { list, error, setError, load } = useObservationList(session.sessionDayId, token);
  const [now, setNow] = useState(() => Date.now());
  const [aefiFor, setAefiFor] = useState<ObservedPerson>();

  useEffect(() => {
    const tick = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(tick);
  }, []);

  async function release(person: ObservedPerson) {
    try {
      await releaseObserved(person.doseId, token);
      onMessage({ tone: 'ok', text: t('desk.observe.released', { name: person.name }) });
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  // A timer that ran out since the last answer moves to "ready" on the phone at once.
  const everyone = [...(list?.underObservation ?? []), ...(list?.readyToRelease ?? [])];
  const under = everyone.filter((p) => Date.parse(p.observeUntil) > now);
  const ready = everyone.filter((p) => Date.parse(p.observeUntil) <= now);
  const rows = (people: ObservedPerson[], isReady: boolean) =>
    people.map((person) => (
      <ObservedPersonRow
        key={person.doseId}
        person={person}
        isReady={isReady}
        now={now}
        online={online}
        onRelease={() => void release(person)}
        onReportAefi={() => setAefiFor(person)}
      />
    ));
  return (
    <section className="observation">
      <p className="muted">{t('desk.observe.intro', { minutes: list?.observationMinutes ?? 30 })}</p>
      {!online && <p className="notice">{t('desk.observe.offline')}</p>}
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {everyone.length === 0 && <p className="muted">{t('desk.observe.empty')}</p>}
      {ready.length > 0 && (
        <>
          <h2>{t('desk.observe.ready')}</h2>
          <ul className="desk-people">{rows(ready, true)}</ul>
        </>
      )}
      {under.length > 0 && (
        <>
          <h2>{t('desk.observe.under')}</h2>
          <ul className="desk-people">{rows(under, false)}</ul>
        </>
      )}
      {aefiFor && (
        <AefiDialog
          person={aefiFor}
          sessionDayId={session.sessionDayId}
          token={token}
          onDone={(message) => {
            setAefiFor(undefined);
            onMessage(message);
            void load();
          }}
          onCancel={() => setAefiFor(undefined)}
        />
      )}
    </section>
  );
}

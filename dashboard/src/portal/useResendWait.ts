import { useEffect, useState } from 'react';

/** Seconds before another OTP may be asked for the same number (the SMS may simply be slow). */
const OTP_RESEND_AFTER_SECONDS = 30;

/**
 * The seconds left before an OTP may be sent again, counting down each second from the last send (`sent`);
 * `clear` forgets the send (another number).
 */
export function useResendWait() {
  const [sentAt, setSentAt] = useState<number>();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!sentAt) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, [sentAt]);

  return {
    waitSeconds: sentAt ? Math.max(0, OTP_RESEND_AFTER_SECONDS - Math.floor((now - sentAt) / 1000)) : 0,
    sent: () => {
      setSentAt(Date.now());
      setNow(Date.now());
    },
    clear: () => setSentAt(undefined),
  };
}

import { useEffect, useEffectEvent, useState } from 'react';

export interface PollingState<T> {
  data?: T;
  error?: unknown;
  /** When the latest attempt finished, successful or not. */
  checkedAt?: Date;
}

export interface PollingOptions {
  intervalMs: number;
  /** Abort an attempt that takes longer than this, so one hung request cannot stall the screen. */
  timeoutMs: number;
}

/**
 * Runs `load` now and then again `intervalMs` after each attempt finishes.
 * Waiting for completion (instead of setInterval) means slow responses never pile up.
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  { intervalMs, timeoutMs }: PollingOptions,
): PollingState<T> {
  const [state, setState] = useState<PollingState<T>>({});
  // An effect event always sees the latest `load`, so passing a new inline function each render does not restart the loop.
  const runLoad = useEffectEvent(load);

  useEffect(() => {
    let stopped = false;
    let nextAttempt: number | undefined;
    let inFlight: AbortController | undefined;

    async function attempt() {
      const controller = new AbortController();
      inFlight = controller;
      const timeout = window.setTimeout(
        () => controller.abort(new DOMException('Request timed out', 'TimeoutError')),
        timeoutMs,
      );
      try {
        const data = await runLoad(controller.signal);
        if (!stopped) setState({ data, checkedAt: new Date() });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error, checkedAt: new Date() }));
      } finally {
        window.clearTimeout(timeout);
      }
      if (!stopped) nextAttempt = window.setTimeout(attempt, intervalMs);
    }

    void attempt();
    return () => {
      stopped = true;
      window.clearTimeout(nextAttempt);
      inFlight?.abort();
    };
  }, [intervalMs, timeoutMs]);

  return state;
}

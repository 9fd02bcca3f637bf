import { useEffect, useEffectEvent, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { isLiveEvent, LIVE_EVENT_TYPES, type CoverageMessage, type LiveEvent, type SnapshotMessage } from './events';

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'refused';

export interface LiveHandlers {
  onSnapshot?: (message: SnapshotMessage) => void;
  onCoverage?: (message: CoverageMessage) => void;
  onEvent?: (event: LiveEvent) => void;
}

/**
 * Joins one socket.io room with a staff token and hands its messages to the page: the room's `snapshot` first,
 * then `coverage` increments and events. Rejoins (fresh snapshot) after a reconnect or a server `resync`.
 */
export function useLiveRoom(
  room: string | undefined,
  token: string | undefined,
  handlers: LiveHandlers,
): { status: LiveStatus; detail?: string } {
  const [state, setState] = useState<{ status: LiveStatus; detail?: string }>({ status: 'connecting' });
  const onSnapshot = useEffectEvent((m: SnapshotMessage) => handlers.onSnapshot?.(m));
  const onCoverage = useEffectEvent((m: CoverageMessage) => handlers.onCoverage?.(m));
  const onEvent = useEffectEvent((e: LiveEvent) => handlers.onEvent?.(e));

  useEffect(() => {
    if (!room || !token) return;
    setState({ status: 'connecting' });
    const socket: Socket = io({
      path: '/socket.io',
      auth: { token },
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 10_000,
    });
    const join = () =>
      socket.emit('join', room, (reply: { ok: boolean; error?: { message: string } }) => {
        setState(reply?.ok ? { status: 'live' } : { status: 'refused', detail: reply?.error?.message });
      });
    socket.on('connect', join);
    socket.on('resync', join);
    socket.on('disconnect', () => setState({ status: 'offline', detail: 'reconnecting…' }));
    socket.on('connect_error', (error: Error) => setState({ status: 'offline', detail: error.message }));
    socket.on('snapshot', (message: SnapshotMessage) => {
      if (message?.room === room) onSnapshot(message);
    });
    socket.on('coverage', (message: CoverageMessage) => {
      if (message?.room === room) onCoverage(message);
    });
    // Every event type the server emits, each under its own name.
    for (const type of LIVE_EVENT_TYPES) {
      socket.on(type, (event: unknown) => {
        if (isLiveEvent(event)) onEvent(event);
      });
    }
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [room, token]);

  return state;
}

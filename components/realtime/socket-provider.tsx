'use client';
// One socket.io connection per browser tab, shared by every component on the page. Websocket only: the
// server runs several web processes behind node:cluster without sticky sessions, which long-polling would
// need. The connection state is exposed so people and tests can see it. The socket is typed by the contract's events, and every payload
// is checked on arrival before a component sees it.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEventName, ServerToClientEvents, SocketRefusal } from '@/server/contract';
import { parseServerEvent, parseSocketRefusal, type ServerEventPayload } from './socket-events';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
// refusal: why the server refused this socket (it does not retry by itself); null while none.
export type LiveConnection = { socket: LiveSocket | null; connected: boolean; transport: string | null; refusal: SocketRefusal | null };

const LiveContext = createContext<LiveConnection>({ socket: null, connected: false, transport: null, refusal: null });

export function SocketProvider({ children }: { children: ReactNode }) {
  const [connection, setConnection] = useState<LiveConnection>({ socket: null, connected: false, transport: null, refusal: null });
  useEffect(() => {
    const socket: LiveSocket = io({ transports: ['websocket'] });
    const update = () =>
      setConnection({ socket, connected: socket.connected, transport: socket.connected ? socket.io.engine.transport.name : null, refusal: null });
    setConnection({ socket, connected: false, transport: null, refusal: null });
    socket.on('connect', () => {
      update();
      socket.io.engine.on('upgrade', update);
    });
    socket.on('disconnect', update);
    // A refusal by the server's middleware carries its reason as data; other connect errors are the network's,
    // and socket.io keeps retrying those.
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      const refusal = parseSocketRefusal(error.data);
      if (refusal) setConnection({ socket, connected: false, transport: null, refusal });
    });
    return () => {
      socket.close();
    };
  }, []);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

export function useLiveConnection(): LiveConnection {
  return useContext(LiveContext);
}

// The handler of the latest render, without re-subscribing when it changes.
function useLatest<Handler>(handler: Handler): { current: Handler } {
  const [latest] = useState(() => ({ current: handler }));
  latest.current = handler;
  return latest;
}

// Subscribes to one of the server's events for the life of the component. A payload that does not match the
// contract is dropped (and logged for whoever opens the console): the next reload shows the truth anyway.
export function useSocketEvent<Event extends ServerToClientEventName>(event: Event, handler: (payload: ServerEventPayload<Event>) => void): void {
  const { socket } = useLiveConnection();
  const latest = useLatest(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: unknown) => {
      const parsed = parseServerEvent(event, payload);
      if (parsed.ok) latest.current(parsed.payload);
      else console.warn(`dropped a ${event} event that does not match the contract`, parsed.error.issues);
    };
    // Named as any server event: socket.io's types cannot tie a generic name to its listener, and this
    // listener takes unknown and checks the payload itself.
    socket.on<ServerToClientEventName>(event, listener);
    return () => {
      socket.off<ServerToClientEventName>(event, listener);
    };
  }, [socket, event, latest]);
}

// socket.io's reserved connect event, the first connection and every reconnection alike.
export function useSocketConnect(handler: () => void): void {
  const { socket } = useLiveConnection();
  const latest = useLatest(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = () => latest.current();
    socket.on('connect', listener);
    return () => {
      socket.off('connect', listener);
    };
  }, [socket, latest]);
}

// Loads on mount and again on every connect: a change committed while the socket was away is never pushed
// to it, so a fresh read closes that gap. The connect event rather than the connected state, because React
// may fold a quick disconnect and reconnect into one render, and the reload would then be skipped.
export function useLoadOnConnect(load: () => Promise<unknown>): void {
  useEffect(() => {
    void load();
  }, [load]);
  useSocketConnect(() => {
    void load();
  });
}

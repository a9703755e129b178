'use client';
// One socket.io connection per browser tab, shared by every component on the page. The websocket transport
// is tried first (polling stays as a fallback for proxies that block upgrades), and the connection state is
// exposed so people and tests can see it.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

export type LiveConnection = { socket: Socket | null; connected: boolean; transport: string | null };

const LiveContext = createContext<LiveConnection>({ socket: null, connected: false, transport: null });

export function SocketProvider({ children }: { children: ReactNode }) {
  const [connection, setConnection] = useState<LiveConnection>({ socket: null, connected: false, transport: null });
  useEffect(() => {
    const socket = io({ transports: ['websocket', 'polling'] });
    const update = () =>
      setConnection({ socket, connected: socket.connected, transport: socket.connected ? socket.io.engine.transport.name : null });
    setConnection({ socket, connected: false, transport: null });
    socket.on('connect', () => {
      update();
      socket.io.engine.on('upgrade', update);
    });
    socket.on('disconnect', update);
    return () => {
      socket.close();
    };
  }, []);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

export function useLiveConnection(): LiveConnection {
  return useContext(LiveContext);
}

// Subscribes to one socket event for the life of the component; the handler may change between renders.
export function useSocketEvent<T>(event: string, handler: (payload: T) => void): void {
  const { socket } = useLiveConnection();
  const [latest] = useState<{ current: (payload: T) => void }>(() => ({ current: handler }));
  latest.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: T) => latest.current(payload);
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }, [socket, event, latest]);
}

// Loads on mount and again on every (re)connect: a change committed while the socket was away is never
// pushed to it, so a fresh read closes that gap.
export function useLoadOnConnect(load: () => Promise<unknown>): void {
  const { connected } = useLiveConnection();
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (connected) void load();
  }, [connected, load]);
}

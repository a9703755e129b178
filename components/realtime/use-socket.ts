'use client';
// One socket.io connection per page. The websocket transport is tried first (polling stays as a fallback
// for proxies that block upgrades), and the transport in use is exposed so people and tests can see it.
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

export type SocketState = { connected: boolean; transport: string | null };

export function useSocket(): SocketState {
  const [state, setState] = useState<SocketState>({ connected: false, transport: null });
  useEffect(() => {
    const socket: Socket = io({ transports: ['websocket', 'polling'] });
    const update = () => setState({ connected: socket.connected, transport: socket.connected ? socket.io.engine.transport.name : null });
    socket.on('connect', () => {
      update();
      socket.io.engine.on('upgrade', update);
    });
    socket.on('disconnect', update);
    return () => {
      socket.close();
    };
  }, []);
  return state;
}

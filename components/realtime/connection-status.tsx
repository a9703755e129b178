'use client';
// The live connection in plain words: "Connecting…" until the first connect, "Live" while connected,
// "Reconnecting…" only after a connection was lost. The transport stays in data-transport for tests.
import { useEffect, useState } from 'react';
import { useLiveConnection } from './socket-provider';

export function ConnectionStatus() {
  const { connected, transport, refusal } = useLiveConnection();
  // Whether this page was ever connected: before that, the socket is connecting, not reconnecting.
  const [everConnected, setEverConnected] = useState(false);
  useEffect(() => {
    if (connected) setEverConnected(true);
  }, [connected]);
  const [label, dot] = connected
    ? ['Live', 'bg-emerald-500']
    : refusal?.code === 'TOO_MANY_SOCKETS'
      ? ['Too many open tabs from your network; close some and reload', 'bg-rose-500']
      : everConnected
        ? ['Reconnecting…', 'bg-amber-400']
        : ['Connecting…', 'bg-slate-400'];
  return (
    <p
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-transport={transport ?? ''}
      data-refusal={refusal?.code ?? ''}
      title={connected ? 'Stock and results update as they happen' : undefined}
      className={`flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm text-slate-800 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 ${refusal ? '' : 'whitespace-nowrap'}`}
    >
      <span aria-hidden className={`h-2.5 w-2.5 shrink-0 rounded-full ${dot}`} />
      {label}
    </p>
  );
}

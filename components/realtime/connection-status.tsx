'use client';
import { useLiveConnection } from './socket-provider';

export function ConnectionStatus() {
  const { connected, transport, refusal } = useLiveConnection();
  const [label, dot] = connected
    ? [`Live (${transport})`, 'bg-emerald-500']
    : refusal?.code === 'TOO_MANY_SOCKETS'
      ? ['Too many open tabs from your network; close some and reload', 'bg-rose-500']
      : ['Reconnecting…', 'bg-amber-400'];
  return (
    <p
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-transport={transport ?? ''}
      data-refusal={refusal?.code ?? ''}
      className={`flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm ${refusal ? '' : 'whitespace-nowrap'}`}
    >
      <span aria-hidden className={`h-2.5 w-2.5 shrink-0 rounded-full ${dot}`} />
      {label}
    </p>
  );
}

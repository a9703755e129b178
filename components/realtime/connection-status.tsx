'use client';
import { useLiveConnection } from './socket-provider';

export function ConnectionStatus() {
  const { connected, transport } = useLiveConnection();
  return (
    <p
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-transport={transport ?? ''}
      className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm whitespace-nowrap"
    >
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${connected ? 'bg-emerald-500' : 'bg-amber-400'}`} />
      {connected ? `Live (${transport})` : 'Reconnecting…'}
    </p>
  );
}

'use client';
import { useSocket } from './use-socket';

export function ConnectionStatus() {
  const { connected, transport } = useSocket();
  return (
    <p
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-transport={transport ?? ''}
      className="flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm"
    >
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${connected ? 'bg-emerald-500' : 'bg-slate-300'}`} />
      {connected ? `Live (${transport})` : 'Connecting…'}
    </p>
  );
}

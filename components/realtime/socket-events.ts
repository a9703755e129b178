// What the server pushes over socket.io, checked on arrival with the contract's schemas: the event names and
// payload types are the contract's, but the bytes come over the network like any HTTP answer.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { z } from 'zod';
import {
  liveHoldSchema,
  liveResultSchema,
  socketRefusalSchema,
  stockChangedSchema,
  type ServerToClientEventName,
  type ServerToClientEvents,
  type SocketRefusal,
} from '../../server/contract';

export type ServerEventPayload<Event extends ServerToClientEventName> = Parameters<ServerToClientEvents[Event]>[0];

// One schema per server event; the mapped type makes a new event without a schema a compile error.
const serverEventSchemas: { readonly [Event in ServerToClientEventName]: z.ZodType<ServerEventPayload<Event>> } = {
  'purchase.finished': liveResultSchema,
  'stock.changed': stockChangedSchema,
  'hold.changed': liveHoldSchema,
};

export type ParsedEvent<Event extends ServerToClientEventName> = { ok: true; payload: ServerEventPayload<Event> } | { ok: false; error: z.ZodError };

export function parseServerEvent<Event extends ServerToClientEventName>(event: Event, payload: unknown): ParsedEvent<Event> {
  const schema: z.ZodType<ServerEventPayload<Event>> = serverEventSchemas[event];
  const parsed = schema.safeParse(payload);
  return parsed.success ? { ok: true, payload: parsed.data } : { ok: false, error: parsed.error };
}

// The data of a connect_error, when it is the server's refusal of the socket; undefined for anything else.
export function parseSocketRefusal(data: unknown): SocketRefusal | undefined {
  const parsed = socketRefusalSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

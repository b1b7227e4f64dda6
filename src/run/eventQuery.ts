/**
 * Filters over the event log for the app's event-log panel: by node, by kind (exact, or a prefix
 * ending in "." such as "message." or "breaker."), and by correlation id (the request's own
 * events and those of the messages it published, through RequestEventFilter).
 */
import type { LoggedEvent } from './types';
import { RequestEventFilter, parseRequestRef } from './waterfall';

export interface EventQuery {
  /** Events at this node, or naming it as target, queue, exchange or consumer. */
  node?: string;
  /** Kinds kept: exact names, or prefixes ending with "." ("message."). */
  kinds?: string[];
  /** "c-123" (or a bare request id): that request's events and its messages'. */
  correlationId?: string;
  /** At most this many, the latest ones. */
  limit?: number;
}

const NODE_FIELDS = ['target', 'queue', 'exchange', 'consumer', 'to'] as const;

export function queryEvents(events: readonly LoggedEvent[], q: EventQuery): { events: LoggedEvent[]; matched: number } {
  let out: LoggedEvent[] = events as LoggedEvent[];
  if (q.correlationId !== undefined && q.correlationId !== '') {
    const id = parseRequestRef(q.correlationId);
    if (id === null) return { events: [], matched: 0 };
    const f = new RequestEventFilter(id, Infinity);
    for (const e of out) f.accept(e);
    out = f.events;
  }
  if (q.node) {
    const node = q.node;
    out = out.filter((e) => e.node === node || NODE_FIELDS.some((k) => e[k] === node));
  }
  if (q.kinds && q.kinds.length > 0) {
    const kinds = q.kinds;
    out = out.filter((e) => kinds.some((k) => (k.endsWith('.') ? e.kind.startsWith(k) : e.kind === k)));
  }
  const matched = out.length;
  const limit = q.limit ?? 500;
  return { events: out.length > limit ? out.slice(out.length - limit) : out === events ? [...out] : out, matched };
}

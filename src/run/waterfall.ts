/**
 * A request's waterfall, from the event log: the request itself, each call attempt along its path
 * (nested under the node that made it), the backoff waits between attempts (`retry.scheduled` to
 * the next `attempt.start`), breaker, bulkhead and rate-limit rejections, timeouts, fallbacks, and
 * the messages its success published — each copy from its route to its ack, dead-lettering or
 * drop, with its deliveries — and the saga it started, if it reached an orchestrator: the saga
 * from start to its end (completed, compensated or stuck), each step and each compensation as a
 * span over its calls' attempts, a resume after a crash. Pure: events in, spans out.
 *
 * Linking: a request's own events carry its `requestId`; `message.publish` carries the publishing
 * request's id and the `eventId`; `message.route` links every copy's `messageId` to that eventId
 * (dead-lettered copies too); the other message events carry the copy's `messageId`.
 */
import type { Scenario } from '../scenario/schema';
import { createRun } from './run';
import type { LoggedEvent, Run } from './types';

export type SpanKind = 'request' | 'attempt' | 'backoff' | 'reject' | 'timeout' | 'fallback' | 'late' | 'network' | 'publish' | 'message' | 'delivery' | 'saga' | 'step' | 'compensation';

export type SpanOutcome = 'ok' | 'error' | 'timeout' | 'rejected' | 'pending' | 'wait' | 'info' | 'dead-lettered' | 'dropped';

export interface WaterfallSpan {
  kind: SpanKind;
  label: string;
  /** Where it happens (the caller, for attempts). */
  node: string;
  target: string | null;
  startMs: number;
  /** Equal to startMs for an instant; the data's last time for one still open (see `open`). */
  endMs: number;
  /** True while it had not ended by the last event seen. */
  open: boolean;
  /** Nesting: 0 the request, 1 the client's attempts, 2 the next hop's... */
  depth: number;
  outcome: SpanOutcome;
  /** One line of detail: status, reason, attempt number, ids. */
  detail: string;
}

export interface Waterfall {
  requestId: number;
  correlationId: string;
  /** False when the events do not reach back to the request's start (the ring dropped them). */
  complete: boolean;
  startMs: number;
  endMs: number;
  status: number | null;
  reason: string | null;
  spans: WaterfallSpan[];
  /** The events it was drawn from, in order. */
  events: LoggedEvent[];
}

/**
 * Picks a request's events (and its messages') out of a stream, one event at a time, in log
 * order: the worker feeds it the ring, or every event of a re-run.
 */
export class RequestEventFilter {
  readonly events: LoggedEvent[] = [];
  private readonly eventIds = new Set<number>();
  private readonly messageIds = new Set<number>();

  constructor(
    readonly requestId: number,
    /** The most events kept (a pathological request cannot fill the worker's memory). */
    private readonly maxEvents = 20_000,
  ) {}

  /**
   * True when the event belongs to the request (it is kept). The broker logs a copy's first
   * delivery before its route when a consumer is idle (same instant): message events of unknown
   * copies are held for that instant, and kept right after the route that names them.
   */
  accept(e: LoggedEvent): boolean {
    if (this.held.length > 0 && this.held[0]!.t !== e.t) this.held.length = 0;
    if (!this.match(e)) {
      if (e.kind.startsWith('message.') && typeof e.messageId === 'number' && this.held.length < 1000) this.held.push(e);
      return false;
    }
    this.keep(e);
    if (e.kind === 'message.route' && this.held.length > 0) {
      const id = e.messageId;
      for (const h of this.held) if (h.messageId === id) this.keep(h);
      this.held = this.held.filter((h) => h.messageId !== id);
    }
    return true;
  }

  private held: LoggedEvent[] = [];

  private keep(e: LoggedEvent): void {
    if (this.events.length < this.maxEvents) this.events.push(e);
  }

  get sawStart(): boolean {
    return this.events.some((e) => e.kind === 'request.start');
  }

  private match(e: LoggedEvent): boolean {
    if (e.kind === 'message.publish') {
      if (e.requestId !== this.requestId) return false;
      if (typeof e.eventId === 'number') this.eventIds.add(e.eventId);
      return true;
    }
    if (e.kind === 'message.route' || (e.kind === 'message.drop' && typeof e.eventId === 'number' && this.eventIds.has(e.eventId))) {
      if (typeof e.eventId !== 'number' || !this.eventIds.has(e.eventId)) return false;
      if (typeof e.messageId === 'number') this.messageIds.add(e.messageId);
      return true;
    }
    if (e.kind.startsWith('message.')) {
      if (typeof e.messageId === 'number' && this.messageIds.has(e.messageId)) return true;
      return e.kind === 'message.duplicate' && typeof e.eventId === 'number' && this.eventIds.has(e.eventId);
    }
    return e.requestId === this.requestId;
  }
}

/** The request's id from "c-123", "123" or 123; null when it is none of these. */
export function parseRequestRef(ref: string | number): number | null {
  if (typeof ref === 'number') return Number.isInteger(ref) && ref > 0 ? ref : null;
  const m = /^\s*(?:c-|r-|#)?(\d+)\s*$/.exec(ref);
  return m ? Number(m[1]) : null;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function outcomeOf(reason: string, status: number): SpanOutcome {
  if (reason === 'ok' || reason === 'fallback') return 'ok';
  if (reason === 'timeout') return 'timeout';
  if (reason === 'short-circuited' || reason === 'bulkhead' || reason === 'rate-limited' || reason === 'queue-full' || reason === 'refused') return 'rejected';
  return status === 0 && reason === '' ? 'pending' : 'error';
}

function statusText(status: unknown, reason: unknown): string {
  const s = typeof status === 'number' && status > 0 ? String(status) : '';
  const r = str(reason);
  if (r === 'ok') return s || 'ok';
  return [s, r].filter(Boolean).join(' ');
}

/**
 * Builds the waterfall of request `requestId` from events in log order (other requests' events
 * are ignored; pass the output of RequestEventFilter or any superset). `nowMs` closes what is
 * still open (default: the last event's time).
 */
export function buildWaterfall(all: readonly LoggedEvent[], requestId: number, nowMs?: number): Waterfall {
  const filter = new RequestEventFilter(requestId, Infinity);
  for (const e of all) filter.accept(e);
  const events = filter.events;
  const spans: WaterfallSpan[] = [];
  const last = nowMs ?? (events.length > 0 ? events[events.length - 1]!.t : 0);

  let root: WaterfallSpan | null = null;
  /** Depth of the attempts a node makes: one below the attempt that reached it. */
  const depthOf = new Map<string, number>();
  const openAttempts: WaterfallSpan[] = [];
  /** The last attempt each node made (a retry.scheduled names no target: it follows that one). */
  const lastAttempt = new Map<string, WaterfallSpan>();
  const backoffs = new Map<string, WaterfallSpan>();
  const timeoutAt = new Map<string, { t: number; target: string }>();
  const publishes = new Map<number, WaterfallSpan>();
  const copies = new Map<number, WaterfallSpan>();
  const deliveries = new Map<number, WaterfallSpan>();
  const sagas = new Map<number, WaterfallSpan>();
  /** The open step or compensation span of each orchestrator. */
  const sagaWork = new Map<string, WaterfallSpan>();

  const add = (s: Omit<WaterfallSpan, 'open'> & { open?: boolean }): WaterfallSpan => {
    const span: WaterfallSpan = { open: false, ...s };
    spans.push(span);
    return span;
  };
  const instant = (e: LoggedEvent, kind: SpanKind, label: string, outcome: SpanOutcome, detail: string, target: string | null = null) =>
    add({ kind, label, node: e.node, target, startMs: e.t, endMs: e.t, depth: depthOf.get(e.node) ?? 1, outcome, detail });
  const close = (s: WaterfallSpan, t: number, outcome: SpanOutcome, detail?: string) => {
    s.endMs = t;
    s.open = false;
    s.outcome = outcome;
    if (detail !== undefined) s.detail = detail;
  };

  for (const e of events) {
    switch (e.kind) {
      case 'request.start': {
        root = add({ kind: 'request', label: `request ${requestId}`, node: e.node, target: str(e.target), startMs: e.t, endMs: last, open: true, depth: 0, outcome: 'pending', detail: `from ${e.node}` });
        depthOf.set(e.node, 1);
        break;
      }
      case 'request.end': {
        if (root) close(root, e.t, outcomeOf(str(e.reason), Number(e.status)), statusText(e.status, e.reason));
        break;
      }
      case 'attempt.start': {
        const target = str(e.target);
        const depth = depthOf.get(e.node) ?? 1;
        const n = Number(e.attempt);
        const backoff = backoffs.get(e.node);
        if (backoff) {
          close(backoff, Math.min(backoff.endMs, e.t), 'wait');
          backoffs.delete(e.node);
        }
        const span = add({ kind: 'attempt', label: `${e.node} → ${target}${n > 1 ? ` (attempt ${n})` : ''}`, node: e.node, target, startMs: e.t, endMs: last, open: true, depth, outcome: 'pending', detail: `attempt ${n}` });
        openAttempts.push(span);
        lastAttempt.set(e.node, span);
        depthOf.set(target, depth + 1);
        break;
      }
      case 'attempt.end': {
        const mine = openAttempts.filter((s) => s.node === e.node);
        if (mine.length === 0) break;
        const reason = str(e.reason);
        let pick = mine[0]!;
        const to = timeoutAt.get(e.node);
        if (reason === 'timeout' && to && to.t === e.t) pick = mine.find((s) => s.target === to.target) ?? pick;
        else if (mine.length > 1) {
          // Parallel calls: the attempt whose callee has nothing of its own still open answered.
          pick = mine.find((s) => !openAttempts.some((o) => o.node === s.target)) ?? pick;
        }
        openAttempts.splice(openAttempts.indexOf(pick), 1);
        close(pick, e.t, outcomeOf(reason, Number(e.status)), `${pick.detail}: ${statusText(e.status, reason)}`);
        break;
      }
      case 'retry.scheduled': {
        const delay = Number(e.delayMs);
        const prev = lastAttempt.get(e.node);
        const span = add({
          kind: 'backoff',
          label: `backoff before attempt ${str(e.attempt)}`,
          node: e.node,
          target: prev?.target ?? null,
          startMs: e.t,
          endMs: e.t + delay,
          depth: depthOf.get(e.node) ?? 1,
          outcome: 'wait',
          detail: `waits ${Math.round(delay * 10) / 10} ms`,
        });
        backoffs.set(e.node, span);
        break;
      }
      case 'timeout': {
        const target = str(e.target);
        timeoutAt.set(e.node, { t: e.t, target });
        instant(e, 'timeout', `timeout ${e.node} → ${target}`, 'timeout', `gave up waiting (attempt ${str(e.attempt)})`, target);
        const backoff = backoffs.get(e.node);
        if (backoff && backoff.endMs > e.t) close(backoff, e.t, 'timeout', `${backoff.detail}, cut short by the timeout`);
        break;
      }
      case 'breaker.reject':
        instant(e, 'reject', `breaker open: ${e.node} → ${str(e.target)}`, 'rejected', 'short-circuited: not sent', str(e.target));
        break;
      case 'bulkhead.reject':
        instant(e, 'reject', `bulkhead full: ${e.node} → ${str(e.target)}`, 'rejected', 'rejected at once', str(e.target));
        break;
      case 'ratelimit.reject':
        instant(e, 'reject', `rate limited at ${e.node}`, 'rejected', `429${typeof e.retryAfterSec === 'number' && e.retryAfterSec >= 0 ? `, retry after ${e.retryAfterSec} s` : ''}`);
        break;
      case 'service.reject':
        add({ kind: 'reject', label: `queue full at ${e.node}`, node: e.node, target: null, startMs: e.t, endMs: e.t, open: false, depth: depthOf.get(e.node) ?? 1, outcome: 'rejected', detail: `${str(e.status)} (instance ${str(e.instance)})` });
        break;
      case 'fallback':
        instant(e, 'fallback', `fallback at ${e.node}`, 'ok', `answered ${str(e.status)} in place of the failed call`);
        break;
      case 'response.late':
        instant(e, 'late', `late answer to ${e.node}`, 'info', `${str(e.status)} after ${Math.round(Number(e.wastedMs))} ms: nobody waits for it`);
        break;
      case 'network.drop':
      case 'network.duplicate':
      case 'network.abort':
        instant(e, 'network', `${e.kind.slice(8)} on ${e.node}${e.to ? ` → ${str(e.to)}` : ''}`, e.kind === 'network.duplicate' ? 'info' : 'error', `fault ${str(e.fault)}`);
        break;
      case 'message.publish': {
        const eventId = Number(e.eventId);
        const depth = (depthOf.get(e.node) ?? 1) + 0;
        const span = add({ kind: 'publish', label: `publish event ${eventId} → ${str(e.exchange)}${e.resend ? ' (resend)' : ''}`, node: e.node, target: str(e.exchange), startMs: e.t, endMs: e.t, depth, outcome: 'info', detail: `eventId ${eventId}` });
        if (!publishes.has(eventId)) publishes.set(eventId, span);
        break;
      }
      case 'message.route': {
        const id = Number(e.messageId);
        const parent = publishes.get(Number(e.eventId));
        copies.set(
          id,
          add({ kind: 'message', label: `copy ${id} in ${str(e.queue)}`, node: str(e.queue), target: str(e.queue), startMs: e.t, endMs: last, open: true, depth: (parent?.depth ?? 1) + 1, outcome: 'pending', detail: `event ${str(e.eventId)} via ${e.node}` }),
        );
        break;
      }
      case 'message.deliver': {
        const id = Number(e.messageId);
        const copy = copies.get(id);
        const d = add({ kind: 'delivery', label: `deliver ${id} to ${str(e.consumer)}${e.redelivered ? ' (redelivered)' : ''}`, node: str(e.consumer), target: e.node, startMs: e.t, endMs: last, open: true, depth: (copy?.depth ?? 2) + 1, outcome: 'pending', detail: `from ${e.node}` });
        deliveries.set(id, d);
        break;
      }
      case 'message.ack':
      case 'message.nack':
      case 'message.deadLetter':
      case 'message.drop': {
        const id = Number(e.messageId);
        const d = deliveries.get(id);
        const outcome: SpanOutcome = e.kind === 'message.ack' ? 'ok' : e.kind === 'message.deadLetter' ? 'dead-lettered' : e.kind === 'message.drop' ? 'dropped' : 'error';
        const what = e.kind === 'message.ack' ? 'acked' : e.kind === 'message.nack' ? `nacked${e.requeue ? ', requeued' : ''}` : e.kind === 'message.deadLetter' ? `dead-lettered (${str(e.reason)})` : `dropped (${str(e.reason)})`;
        if (d && d.open) {
          close(d, e.t, outcome, `${d.detail}: ${what}`);
          deliveries.delete(id);
        }
        const copy = copies.get(id);
        if (copy && e.kind !== 'message.nack') close(copy, e.t, outcome, `${copy.detail}: ${what}`);
        if (!copy && e.kind === 'message.drop') instant(e, 'message', `event ${str(e.eventId)} dropped at ${e.node}`, 'dropped', str(e.reason));
        break;
      }
      case 'message.duplicate':
        instant(e, 'message', `duplicate of event ${str(e.eventId)}`, 'info', typeof e.messageId === 'number' ? `copy ${e.messageId}` : 'publisher resend');
        break;
      case 'saga.start': {
        const id = Number(e.sagaId);
        sagas.set(id, add({ kind: 'saga', label: `saga ${id} at ${e.node}`, node: e.node, target: null, startMs: e.t, endMs: last, open: true, depth: depthOf.get(e.node) ?? 1, outcome: 'pending', detail: 'running' }));
        break;
      }
      case 'saga.step':
      case 'saga.compensate': {
        const step = Number(e.step) + 1;
        const comp = e.kind === 'saga.compensate';
        const prev = sagaWork.get(e.node);
        if (prev?.open) close(prev, e.t, 'error', `${prev.detail}: cut off`);
        sagaWork.set(
          e.node,
          add({ kind: comp ? 'compensation' : 'step', label: comp ? `undo step ${step}` : `step ${step}`, node: e.node, target: null, startMs: e.t, endMs: last, open: true, depth: depthOf.get(e.node) ?? 1, outcome: 'pending', detail: `saga ${str(e.sagaId)}` }),
        );
        break;
      }
      case 'saga.stepEnd':
      case 'saga.compensateEnd': {
        const span = sagaWork.get(e.node);
        if (span?.open) close(span, e.t, e.ok ? 'ok' : 'error', `${span.detail}: ${e.ok ? 'done' : 'failed'}`);
        break;
      }
      case 'saga.resume':
        instant(e, 'saga', `saga ${str(e.sagaId)} resumed`, 'info', `at step ${Number(e.step) + 1}, from the saga log`);
        break;
      case 'saga.completed':
      case 'saga.compensated':
      case 'saga.stuck': {
        const span = sagas.get(Number(e.sagaId));
        const what = e.kind.slice(5);
        if (span?.open) close(span, e.t, e.kind === 'saga.completed' ? 'ok' : e.kind === 'saga.compensated' ? 'rejected' : 'error', what);
        break;
      }
      default:
        break;
    }
  }

  // A backoff whose next attempt never came (the run ended first) stays as scheduled.
  for (const s of spans) if (s.open) s.endMs = Math.max(s.startMs, last);
  const r = root as WaterfallSpan | null;
  return {
    requestId,
    correlationId: `c-${requestId}`,
    complete: r !== null,
    startMs: r?.startMs ?? (events[0]?.t ?? 0),
    endMs: spans.reduce((m, s) => Math.max(m, s.endMs), r?.startMs ?? 0),
    status: r && !r.open ? Number(events.find((e) => e.kind === 'request.end')?.status ?? 0) : null,
    reason: r && !r.open ? str(events.find((e) => e.kind === 'request.end')?.reason) : null,
    spans,
    events,
  };
}

/**
 * The waterfall of `requestId` in `run`, up to its current time: from the event ring when it still
 * holds the request's start, else by running the document again to the same time and picking the
 * request's events as they stream past (a run is a pure function of its document). `rerun` says
 * which it took.
 */
export function traceRequest(scenario: Scenario, run: Run, requestId: number): { waterfall: Waterfall; rerun: boolean } {
  const ring = new RequestEventFilter(requestId);
  for (const e of run.eventLog()) ring.accept(e);
  if (ring.sawStart || requestId >= nextRequestIdBound(run)) return { waterfall: buildWaterfall(ring.events, requestId, run.nowMs), rerun: false };
  const again = createRun(scenario, { keepAllEvents: true, logCapacity: 1 });
  const picked = new RequestEventFilter(requestId);
  const until = run.nowMs;
  for (;;) {
    const before = again.events;
    const t = again.nowMs;
    again.advanceTo(until, 250_000);
    for (const e of again.drainEvents()) picked.accept(e);
    if (again.finished || (again.events === before && again.nowMs === t)) break;
  }
  return { waterfall: buildWaterfall(picked.events, requestId, until), rerun: true };
}

/** Requests get ids 1, 2, ... in order: ids at or past sent + 1 were never sent. */
function nextRequestIdBound(run: Run): number {
  return run.summary().requests.sent + 1;
}

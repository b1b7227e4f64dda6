/**
 * The simulated world of one run: the kernel, the seeded streams, the event log, the nodes and
 * the network between them, and the request accounting. Components (client, service, ...) are
 * small objects that schedule events on the world's kernel.
 */
import { EventLog, Kernel, Streams, constantOf, sampler } from '../engine';
import type { DistSpec, EventType, Sampler, TimerHandle } from '../engine';
import type { Scenario } from '../scenario/schema';
import { LogKind, NO_STATUS, Reason, statusKey } from './events';
import type { Attempt, Callee, Request, Token } from './request';
import { LatencyRecorder } from './latency';
import { coversHop, latencyDraw } from './faults';
import type { ActiveFault } from './faults';
import type { Messaging } from './broker/messaging';
import type { LiveBase } from './live';
export type { CallLive, NodeLive } from './live';

/** What every component exposes to the world and the run layer. */
export interface NodeModel {
  readonly id: string;
  readonly kind: string;
  readonly index: number;
  /** Accept an attempt (only kinds that can be called). */
  readonly callee?: Callee;
  /** Live state for the canvas (live.ts: one shape per kind). */
  live(): LiveBase;
  /** Summary metrics for the run summary. */
  summary(): Record<string, number | string | null>;
  /** The fault kinds this node applies itself (the others aimed at it act on its network hops). */
  readonly faultKinds?: ReadonlySet<string>;
  /** Start or end one of those faults on this node. */
  applyFault?(f: ActiveFault, on: boolean): void;
  /** Append accounting violations, if any. */
  checkInvariants?(out: string[]): void;
  /** Called once after every node is built (resolve references, schedule first events). */
  start?(): void;
}

/** Called at every request's end (for metrics over time); see World.onRequestEnd. */
export type RequestEndListener = (clientIndex: number, status: number, reason: Reason, latencyMs: number) => void;

export interface HopRecord {
  requestId: number;
  from: string;
  to: string;
  departMs: number;
  arriveMs: number;
  direction: 'request' | 'response';
  fate: 'pending' | 'ok' | 'error' | 'retry' | 'timeout' | 'short-circuited' | 'rejected' | 'duplicate' | 'dead-lettered' | 'dropped';
}

export interface WorldOptions {
  logCapacity?: number;
  keepAllEvents?: boolean;
  recordHops?: boolean;
  maxHopsPerTake?: number;
  /** Guardrail: the most requests in flight at once. */
  maxInFlight?: number;
  /** Guardrail: the longest any waiting line may grow when it has no limit of its own. */
  maxQueueLength?: number;
}

export const DEFAULT_LIMITS = {
  maxInFlight: 1_000_000,
  maxQueueLength: 1_000_000,
};

export class World {
  readonly kernel = new Kernel();
  readonly streams: Streams;
  readonly log: EventLog;
  readonly nodes: NodeModel[] = [];
  readonly ids: string[];
  private readonly indexById = new Map<string, number>();
  readonly limits: { maxInFlight: number; maxQueueLength: number };
  /** The broker, when the scenario has exchanges or queues. */
  messaging: Messaging | null = null;

  // The network: one latency sampler per directed pair, built on first use.
  private readonly linkSamplers: (Sampler | undefined)[];
  private readonly defaultLatency: DistSpec;
  private readonly linkLatency = new Map<string, DistSpec>();

  // Hops for the canvas.
  private readonly recordHops: boolean;
  private readonly maxHops: number;
  private hops: HopRecord[] = [];
  private hopsDropped = 0;

  // Request accounting (SCENARIO.md "What a run reports").
  nextRequestId = 1;
  sent = 0;
  ok = 0;
  failed = 0;
  /** Ended requests by outcome code (status * 64 + reason): integer keys keep the hot path string-free. */
  private readonly outcomes = new Map<number, number>();
  readonly latency = new LatencyRecorder();
  readonly violations: string[] = [];
  /** Listeners told of every request's end (the run layer's time series use this). */
  private readonly endListeners: RequestEndListener[] = [];

  onRequestEnd(listener: RequestEndListener): void {
    this.endListeners.push(listener);
  }

  /** Event types shared by every node: an attempt arriving at its callee. */
  readonly arrive: EventType<Attempt>;
  private readonly callback: EventType<() => void>;

  constructor(
    readonly scenario: Scenario,
    options: WorldOptions = {},
  ) {
    this.streams = new Streams(scenario.seed);
    this.log = new EventLog({ capacity: options.logCapacity ?? 10_000, keepAll: options.keepAllEvents ?? false });
    this.limits = {
      maxInFlight: options.maxInFlight ?? DEFAULT_LIMITS.maxInFlight,
      maxQueueLength: options.maxQueueLength ?? DEFAULT_LIMITS.maxQueueLength,
    };
    this.ids = scenario.nodes.map((n) => n.id);
    this.ids.forEach((id, i) => this.indexById.set(id, i));
    this.linkSamplers = new Array<Sampler | undefined>(this.ids.length * this.ids.length);
    this.defaultLatency = scenario.network.latency as DistSpec;
    for (const link of scenario.links) this.linkLatency.set(`${link.from}->${link.to}`, link.latency as DistSpec);
    this.recordHops = options.recordHops ?? false;
    this.maxHops = options.maxHopsPerTake ?? 5_000;
    this.callback = this.kernel.register('callback', (fn: () => void) => fn());
    this.arrive = this.kernel.register('attempt.arrive', (a: Attempt) => {
      const callee = this.nodes[a.to]!.callee;
      if (callee) callee.onArrive(a);
    });
  }

  get now(): number {
    return this.kernel.now;
  }

  /** Run `fn` after `delayMs` (policy timers; the hot path uses typed events instead). */
  after(delayMs: number, fn: () => void): TimerHandle {
    return this.kernel.schedule(delayMs, this.callback, fn);
  }

  private readonly siteNames = new Map<string, number>();

  /**
   * A stable name for a call site's streams: `a->b`, and `a->b#2`, `#3`... for a second and
   * third site between the same pair (two routes or calls to one target), so they draw apart.
   */
  callSiteName(from: number, target: number): string {
    const base = `${this.ids[from]}->${this.ids[target]}`;
    const n = (this.siteNames.get(base) ?? 0) + 1;
    this.siteNames.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }

  indexOf(id: string): number {
    const i = this.indexById.get(id);
    if (i === undefined) throw new Error(`no node "${id}"`);
    return i;
  }

  addNode(node: NodeModel): void {
    if (node.index !== this.nodes.length) throw new Error(`node ${node.id} built out of order`);
    this.nodes.push(node);
  }

  /**
   * One-way latency of the next hop from -> to: the link's own latency (a link applies in both
   * directions unless the reverse has its own entry), else the network default. Each directed
   * pair draws from its own stream.
   */
  hopLatency(from: number, to: number): number {
    const k = from * this.ids.length + to;
    let s = this.linkSamplers[k];
    if (!s) {
      const a = this.ids[from]!;
      const b = this.ids[to]!;
      const spec = this.linkLatency.get(`${a}->${b}`) ?? this.linkLatency.get(`${b}->${a}`) ?? this.defaultLatency;
      const c = constantOf(spec);
      s = c !== null ? () => c : sampler(spec, this.streams.get(`${a}->${b}`, 'latency'));
      this.linkSamplers[k] = s;
    }
    return s();
  }

  /** Send an attempt from its caller to its callee over the network. */
  sendAttempt(a: Attempt): void {
    let d = this.hopLatency(a.from, a.to);
    let dup = false;
    if (this.netFaults.length > 0) {
      const extra = this.networkFaults(a, a.from, a.to, true);
      if (extra < 0) return;
      d += extra;
      dup = this.dupHop;
    }
    this.kernel.schedule(d, this.arrive, a);
    if (this.recordHops) this.hop(a.inv.request.id, a.from, a.to, d, 'request', a.n > 1 ? 'retry' : 'pending');
    if (dup) {
      // The callee gets a second copy right behind the first and will work on both.
      const copy: Attempt = { ...a, cont: null, timer: -1, duplicateOf: a };
      this.kernel.schedule(d, this.arrive, copy);
      if (this.recordHops) this.hop(a.inv.request.id, a.from, a.to, d, 'request', 'duplicate');
    }
  }

  /** Send a callee's answer back to the caller: the caller's call site hears it on arrival. */
  sendResponse(a: Attempt, status: number, reason: Reason): void {
    a.status = status;
    a.reason = reason;
    let d = this.hopLatency(a.to, a.from);
    let dup = false;
    if (this.netFaults.length > 0) {
      const extra = this.networkFaults(a, a.to, a.from, false);
      if (extra < 0) return;
      d += extra;
      dup = this.dupHop;
    }
    this.kernel.schedule(d, a.inv.responseType, a);
    if (dup) this.kernel.schedule(d, a.inv.responseType, a);
    if (this.recordHops) {
      const fate = reason === Reason.ok ? 'ok' : reason === Reason.shortCircuited ? 'short-circuited' : reason === Reason.queueFull || reason === Reason.refused ? 'rejected' : 'error';
      this.hop(a.inv.request.id, a.to, a.from, d, 'response', fate);
    }
  }

  // --- network faults ---------------------------------------------------------------------

  private readonly netFaults: ActiveFault[] = [];
  /** Set by networkFaults(): the hop is to be delivered twice. */
  private dupHop = false;

  setNetworkFault(f: ActiveFault, on: boolean): void {
    const i = this.netFaults.indexOf(f);
    if (on && i < 0) this.netFaults.push(f);
    if (!on && i >= 0) this.netFaults.splice(i, 1);
  }

  /**
   * Apply the active network faults to one hop from -> to. Returns the extra delay, or -1 when
   * the hop is lost (or answered by an abort) and must not be delivered.
   */
  private networkFaults(a: Attempt, from: number, to: number, isRequest: boolean): number {
    let extra = 0;
    this.dupHop = false;
    for (const f of this.netFaults) {
      if (!coversHop(f, from, to)) continue;
      const spec = f.spec;
      switch (spec.kind) {
        case 'partition':
          return this.lose(a, from, to, f);
        case 'drop':
          if (f.draw() < spec.probability) return this.lose(a, from, to, f);
          break;
        case 'error':
          if (isRequest && f.draw() < spec.probability) {
            this.log.emit(this.kernel.now, LogKind.networkAbort, from, a.inv.request.id, spec.status, f.index);
            a.status = spec.status;
            a.reason = Reason.status;
            this.kernel.schedule(0, a.inv.responseType, a);
            return -1;
          }
          break;
        case 'latency':
          extra += latencyDraw(f);
          break;
        case 'reorder':
          if (f.draw() < spec.probability) extra += f.delay!();
          break;
        case 'duplicate':
          if (f.draw() < spec.probability) {
            this.dupHop = true;
            this.log.emit(this.kernel.now, LogKind.networkDuplicate, from, a.inv.request.id, to, f.index);
          }
          break;
        default:
          break;
      }
    }
    return extra > 0 ? extra : 0;
  }

  private lose(a: Attempt, from: number, to: number, f: ActiveFault): number {
    this.log.emit(this.kernel.now, LogKind.networkDrop, from, a.inv.request.id, to, f.index);
    if (this.recordHops) this.hop(a.inv.request.id, from, to, this.hopLatency(from, to) / 2, from === a.from ? 'request' : 'response', 'dropped');
    return -1;
  }

  hop(requestId: number, from: number, to: number, latencyMs: number, direction: HopRecord['direction'], fate: HopRecord['fate']): void {
    if (!this.recordHops) return;
    if (this.hops.length >= this.maxHops) {
      this.hopsDropped++;
      return;
    }
    const now = this.kernel.now;
    this.hops.push({ requestId, from: this.ids[from]!, to: this.ids[to]!, departMs: now, arriveMs: now + latencyMs, direction, fate });
  }

  takeHops(): { hops: HopRecord[]; dropped: number } {
    const out = { hops: this.hops, dropped: this.hopsDropped };
    this.hops = [];
    this.hopsDropped = 0;
    return out;
  }

  // --- requests ---------------------------------------------------------------------------

  /** A client sends a new request. Returns null when the in-flight guardrail stops the run. */
  startRequest(client: number, path: number, user: number, target: number, token: Token = 0, spoofedUserId = false): Request {
    const req: Request = { id: this.nextRequestId++, client, startMs: this.kernel.now, path, user, token, spoofedUserId, ended: false };
    this.sent++;
    this.log.emit(this.kernel.now, LogKind.requestStart, client, req.id, target);
    if (this.sent - this.ok - this.failed > this.limits.maxInFlight) {
      this.kernel.halt(
        `limit reached: more than ${this.limits.maxInFlight.toLocaleString('en-US')} requests in flight (driven by client "${this.ids[client]}")`,
      );
    }
    return req;
  }

  /** End a request: exactly once. */
  endRequest(req: Request, status: number, reason: Reason): void {
    if (req.ended) {
      this.violations.push(`request ${req.id} ended twice (second: ${statusKey(status, reason)} at ${this.kernel.now} ms)`);
      return;
    }
    req.ended = true;
    const now = this.kernel.now;
    if (reason === Reason.ok || reason === Reason.fallback) this.ok++;
    else this.failed++;
    const code = status * 64 + reason;
    this.outcomes.set(code, (this.outcomes.get(code) ?? 0) + 1);
    const latency = now - req.startMs;
    this.latency.record(latency);
    this.log.emit(now, LogKind.requestEnd, req.client, req.id, status, reason);
    for (let i = 0; i < this.endListeners.length; i++) this.endListeners[i]!(req.client, status, reason, latency);
  }

  /** Ended requests by status (the HTTP status, or the reason when no answer came back). */
  get byStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    this.outcomes.forEach((n, code) => {
      const key = statusKey(Math.floor(code / 64), (code % 64) as Reason);
      out[key] = (out[key] ?? 0) + n;
    });
    return out;
  }

  /** Failed requests by reason. */
  get byReason(): Record<string, number> {
    const out: Record<string, number> = {};
    this.outcomes.forEach((n, code) => {
      const reason = (code % 64) as Reason;
      if (reason === Reason.ok) return;
      const key = statusKey(NO_STATUS, reason);
      out[key] = (out[key] ?? 0) + n;
    });
    return out;
  }

  get inFlight(): number {
    return this.sent - this.ok - this.failed;
  }

  /** The request accounting plus every node's own, after (or during) a run. */
  checkInvariants(): string[] {
    const out = [...this.violations];
    if (this.ok + this.failed + this.inFlight !== this.sent) out.push('requests: sent != ok + failed + inFlight');
    if (this.inFlight < 0) out.push(`requests: ${-this.inFlight} more requests ended than were sent`);
    let ended = 0;
    const byStatus = this.byStatus;
    for (const k in byStatus) ended += byStatus[k]!;
    if (ended !== this.ok + this.failed) out.push(`requests: byStatus sums to ${ended}, but ${this.ok + this.failed} ended`);
    if (this.latency.count !== this.ok + this.failed) out.push('requests: a latency was not recorded for every ended request');
    for (const n of this.nodes) n.checkInvariants?.(out);
    this.messaging?.checkInvariants(out);
    return out;
  }
}

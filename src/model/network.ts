/**
 * The network between the nodes: the one-way latency of every hop (a link's own, else the
 * scenario's default; each directed pair draws from its own stream), the faults that act on hops
 * (partition, drop, duplicate, reorder, and latency/error aimed at a link or at a node's hops),
 * and the hops themselves, told to a listener when the run wants to draw them.
 */
import { constant, constantOf, sampler } from '../engine';
import type { DistSpec, EventType, Kernel, Sampler, Streams } from '../engine';
import type { Scenario } from '../scenario/schema';
import type { EventLog } from '../engine';
import { LogKind, Reason } from './events';
import type { Attempt } from './request';
import { coversHop, latencyDraw } from './faults';
import type { ActiveFault } from './faults';

/** What a hop carries: a request's attempt or answer, a broker message copy, or a published event. */
export type HopRef = 'request' | 'message' | 'event';

export type HopFate = 'pending' | 'ok' | 'error' | 'retry' | 'timeout' | 'short-circuited' | 'rejected' | 'duplicate' | 'dead-lettered' | 'dropped';

/** Told of every hop as it departs (node indexes; `id` is a request, message or event id as `ref` says). */
export type HopListener = (ref: HopRef, id: number, from: number, to: number, latencyMs: number, direction: 'request' | 'response', fate: HopFate) => void;

/** What the network needs of the world. */
export interface NetworkHost {
  readonly kernel: Kernel;
  readonly streams: Streams;
  readonly log: EventLog;
  readonly ids: readonly string[];
  /** Where an attempt arriving at node `to` goes. */
  deliver(a: Attempt): void;
}

const NO_FAULTS: ActiveFault[] = [];

export class Network {
  // One latency sampler per directed pair, built on first use.
  private readonly samplers: (Sampler | undefined)[];
  private readonly defaultLatency: DistSpec;
  private readonly linkLatency = new Map<string, DistSpec>();
  private readonly faults: ActiveFault[] = [];
  /** Set by applyFaults(): the hop is to be delivered twice. */
  private dupHop = false;
  private listener: HopListener | null = null;
  /** An attempt arriving at its callee. */
  readonly arrive: EventType<Attempt>;

  constructor(
    private readonly host: NetworkHost,
    scenario: Pick<Scenario, 'network' | 'links'>,
  ) {
    const n = host.ids.length;
    this.samplers = new Array<Sampler | undefined>(n * n);
    this.defaultLatency = scenario.network.latency as DistSpec;
    for (const link of scenario.links) this.linkLatency.set(`${link.from}->${link.to}`, link.latency as DistSpec);
    this.arrive = host.kernel.register('attempt.arrive', (a: Attempt) => host.deliver(a));
  }

  /** Hops are told to `listener` from now on (one listener: the run's hop recorder). */
  onHop(listener: HopListener | null): void {
    this.listener = listener;
  }

  /** Tell the listener of a hop departing now (a no-op unless someone draws hops). */
  hop(ref: HopRef, id: number, from: number, to: number, latencyMs: number, direction: 'request' | 'response', fate: HopFate): void {
    if (this.listener !== null) this.listener(ref, id, from, to, latencyMs, direction, fate);
  }

  /**
   * One-way latency of the next hop from -> to: the link's own latency (a link applies in both
   * directions unless the reverse has its own entry), else the network default.
   */
  latency(from: number, to: number): number {
    const ids = this.host.ids;
    const k = from * ids.length + to;
    let s = this.samplers[k];
    if (!s) {
      const a = ids[from]!;
      const b = ids[to]!;
      const spec = this.linkLatency.get(`${a}->${b}`) ?? this.linkLatency.get(`${b}->${a}`) ?? this.defaultLatency;
      const c = constantOf(spec);
      s = c !== null ? constant(c) : sampler(spec, this.host.streams.get(`${a}->${b}`, 'latency'));
      this.samplers[k] = s;
    }
    return s();
  }

  /** Send an attempt from its caller to its callee. */
  sendAttempt(a: Attempt): void {
    const k = this.host.kernel;
    let d = this.latency(a.from, a.to);
    let dup = false;
    if (this.faults.length > 0) {
      const extra = this.applyFaults(a, a.from, a.to, true);
      if (extra < 0) return;
      d += extra;
      dup = this.dupHop;
    }
    k.schedule(d, this.arrive, a);
    this.hop('request', a.inv.request.id, a.from, a.to, d, 'request', a.n > 1 ? 'retry' : 'pending');
    if (dup) {
      // The callee gets a second copy right behind the first and will work on both.
      const copy: Attempt = { ...a, cont: null, timer: -1, duplicateOf: a };
      k.schedule(d, this.arrive, copy);
      this.hop('request', a.inv.request.id, a.from, a.to, d, 'request', 'duplicate');
    }
  }

  /** Send a callee's answer back: the caller's call site hears it on arrival. */
  sendResponse(a: Attempt, status: number, reason: Reason): void {
    const k = this.host.kernel;
    a.status = status;
    a.reason = reason;
    let d = this.latency(a.to, a.from);
    let dup = false;
    if (this.faults.length > 0) {
      const extra = this.applyFaults(a, a.to, a.from, false);
      if (extra < 0) return;
      d += extra;
      dup = this.dupHop;
    }
    k.schedule(d, a.inv.responseType, a);
    if (dup) k.schedule(d, a.inv.responseType, a);
    if (this.listener !== null) {
      const fate = reason === Reason.ok ? 'ok' : reason === Reason.shortCircuited ? 'short-circuited' : reason === Reason.queueFull || reason === Reason.refused ? 'rejected' : 'error';
      this.hop('request', a.inv.request.id, a.to, a.from, d, 'response', fate);
    }
  }

  /**
   * The active network faults covering the hop between x and y (either direction), in the
   * order they started: the broker applies them to its own hops (broker/hops.ts).
   */
  faultsOn(x: number, y: number): ActiveFault[] {
    if (this.faults.length === 0) return NO_FAULTS;
    return this.faults.filter((f) => coversHop(f, x, y));
  }

  /** A network fault starts or ends. */
  setFault(f: ActiveFault, on: boolean): void {
    const i = this.faults.indexOf(f);
    if (on && i < 0) this.faults.push(f);
    if (!on && i >= 0) this.faults.splice(i, 1);
  }

  /**
   * Apply the active network faults to one hop from -> to. Returns the extra delay, or -1 when
   * the hop is lost (or answered by an abort) and must not be delivered.
   */
  private applyFaults(a: Attempt, from: number, to: number, isRequest: boolean): number {
    const { kernel, log } = this.host;
    let extra = 0;
    this.dupHop = false;
    for (const f of this.faults) {
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
            log.emit(kernel.now, LogKind.networkAbort, from, a.inv.request.id, spec.status, f.index);
            a.status = spec.status;
            a.reason = Reason.status;
            kernel.schedule(0, a.inv.responseType, a);
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
            log.emit(kernel.now, LogKind.networkDuplicate, from, a.inv.request.id, to, f.index);
          }
          break;
        default:
          break;
      }
    }
    return extra > 0 ? extra : 0;
  }

  private lose(a: Attempt, from: number, to: number, f: ActiveFault): number {
    this.host.log.emit(this.host.kernel.now, LogKind.networkDrop, from, a.inv.request.id, to, f.index);
    // No latency draw here: whether hops are drawn must never change the run's random streams.
    this.hop('request', a.inv.request.id, from, to, 0, from === a.from ? 'request' : 'response', 'dropped');
    return -1;
  }
}

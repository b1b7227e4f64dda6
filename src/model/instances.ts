/**
 * A service's instances as its callers see them: which are listed in the registry, which a
 * caller's cached copy of the registry still lists, which the outlier detector has ejected — and
 * what changes those: readiness and liveness probes, restarts (rolling, or after a failed
 * liveness probe), graceful shutdowns.
 *
 * - **Registry.** An instance is listed while it is registered and ready. Without `healthCheck`
 *   nothing watches the instances: a crashed one stays listed (only a shutdown deregisters), as a
 *   static list of addresses would.
 * - **Readiness** (`healthCheck`; Envoy's option names, Kubernetes' readiness-probe semantics:
 *   kubernetes.io "Configure Liveness, Readiness and Startup Probes"): every `intervalMs` each
 *   instance is probed; a probe fails at once when the process is down or refusing connections,
 *   and after `timeoutMs` when the process hangs; `unhealthyThreshold` failures in a row take it
 *   out of the registry (Kubernetes `failureThreshold`: removed from the Service's endpoints),
 *   `healthyThreshold` successes in a row put it back (`successThreshold`). A probe asks the
 *   process, not its work: a slow instance (a `slow` or `latency` fault) passes, as a /health
 *   endpoint served beside a saturated worker pool does.
 * - **Liveness** (`livenessProbe`; Kubernetes): `failureThreshold` failed probes in a row and the
 *   instance is killed (its work lost) and started again after `restartMs`. A restart clears a
 *   hang for that instance (the deadlocked process is gone).
 * - **Callers' caches** (`discovery`): each caller keeps a copy of the registry, fetched when
 *   its copy is older than `cacheTtlMs` (lazily, at its next call). A stale copy keeps sending to
 *   an instance the registry dropped — "clients will still route to it until their cache expires"
 *   (the course notes on client-side discovery); with `evictOnRefused` a refused connection drops
 *   that instance from the caller's copy at once.
 * - **Outlier detection** (`outlierDetection`; Envoy's consecutive-5xx ejection, envoyproxy.io
 *   "Outlier detection" architecture overview and the `OutlierDetection` proto): a 5xx answer, a
 *   refused connection or a call that timed out counts against the instance that took it; any
 *   other answer resets the count. At `consecutive5xx` in a row the instance is ejected — at once
 *   if none is ejected, else only while the ejected share is below `maxEjectionPercent` — for
 *   `baseEjectionTimeMs` × the number of times it has been ejected (at most `maxEjectionTimeMs`,
 *   or the base if that is larger); it returns at the first `intervalMs` sweep after that.
 *   Simplified: Envoy lowers the multiplier again for a host that stays healthy; here it never
 *   decreases. Envoy's panic threshold (route to every host when too few are healthy, 50% by
 *   default) is reduced to: when every candidate is ejected, the ejected ones are used.
 *   One detector per service, as if every caller went through one proxy.
 * - **Rolling restart** (a fault kind): instance 0, 1, ... in turn, the next one only once the
 *   restarted one is ready again (Kubernetes' rolling update with maxUnavailable 1). Graceful:
 *   deregister, keep accepting for `drainMs` (callers with a stale view), then refuse new work,
 *   finish what it holds (at most `gracePeriodMs` from the deregistration, then killed) and
 *   stop. Not graceful: deregistered and killed at once, its work lost.
 */
import type { EventType, Fifo, Uniform } from '../engine';
import type { Fault, ServiceNode } from '../scenario/schema';
import type { Balanced } from './balancer';
import { LogKind } from './events';
import type { ActiveFault } from './faults';
import type { World } from './world';

export type InstanceState = 'up' | 'down' | 'unready' | 'ejected' | 'draining' | 'stopped';

export interface Instance<J> extends Balanced {
  readonly index: number;
  /** The process runs and takes connections (false: down, stopped, or refusing new work while it finishes). */
  up: boolean;
  busy: number;
  readonly queue: Fifo<J>;
  /** Bumped whenever the process dies: jobs of an older epoch died with it. */
  epoch: number;
  /** Crash faults holding this instance down. */
  downBy: number;
  /** Stopped by a restart (rolling, or a failed liveness probe) until it starts again. */
  stopped: boolean;
  /** A graceful shutdown refuses new work while it finishes what it holds. */
  closing: boolean;
  /** Listed in the registry (a shutdown deregisters it; a start registers it again). */
  registered: boolean;
  /** Readiness: passing its probes (always true without health checks). */
  ready: boolean;
  ejected: boolean;
  ejections: number;
  ejectedAtMs: number;
  consecutive5xx: number;
  probeFails: number;
  probeOks: number;
  liveFails: number;
  /** Faults aimed at this instance only (`instance` on the fault). */
  readonly faults: { latency: ActiveFault[]; error: ActiveFault[]; slow: ActiveFault[]; hang: ActiveFault[] };
  slowFactor: number;
  /** Hang faults a restart of this instance cleared. */
  cleared: ActiveFault[];
  /** Attempts held back by a latency fault on this instance. */
  delayed: number;
  received: number;
}

export function makeInstance<J>(index: number, queue: Fifo<J>): Instance<J> {
  return {
    index,
    up: true,
    busy: 0,
    queue,
    epoch: 0,
    downBy: 0,
    stopped: false,
    closing: false,
    registered: true,
    ready: true,
    ejected: false,
    ejections: 0,
    ejectedAtMs: 0,
    consecutive5xx: 0,
    probeFails: 0,
    probeOks: 0,
    liveFails: 0,
    faults: { latency: [], error: [], slow: [], hang: [] },
    slowFactor: 1,
    cleared: [],
    delayed: 0,
    received: 0,
  };
}

/** What the fleet asks of its service. */
export interface FleetHost {
  readonly index: number;
  /** The process of `inst` ends now: its work is lost. Returns how many requests were lost. */
  down(inst: Instance<unknown>): number;
  /** The process of `inst` starts again (when no crash fault holds it down). */
  revive(inst: Instance<unknown>): void;
  /** Whether a hang holds `inst` now, for a probe (draws from `stream` when a hang is partial). */
  hangs(inst: Instance<unknown>, stream: Uniform): boolean;
}

interface CachedView<J> {
  list: Instance<J>[];
  expiresMs: number;
}

interface Rollout {
  readonly fault: ActiveFault;
  next: number;
  ended: boolean;
  /** The instance restarted and waiting to be ready, or -1. */
  waiting: number;
}

/** One instance's shutdown in a rollout (plain data: the payload of its timers). */
interface Shutdown<J> {
  readonly inst: Instance<J>;
  readonly spec: Extract<Fault, { kind: 'rolling-restart' }>;
  /** Stopped already (by its drain ending with no work left, or its grace period). */
  stopped: boolean;
}

export interface FleetStats {
  ejections: number;
  unready: number;
  cacheEvictions: number;
  livenessRestarts: number;
  shutdowns: number;
  lostInShutdown: number;
}

export class Fleet<J> {
  private listingCache: Instance<J>[];
  private dirty = false;
  private readonly views = new Map<number, CachedView<J>>();
  private ejectedCount = 0;
  private sweepAt = -1;
  private rollout: Rollout | null = null;
  private readonly probeStream: Uniform | null = null;
  private readonly probeTick: EventType<null> | null = null;
  private readonly probeTimeout: EventType<Instance<J>> | null = null;
  private readonly liveTick: EventType<null> | null = null;
  private readonly liveTimeout: EventType<Instance<J>> | null = null;
  private readonly sweep: EventType<null> | null = null;
  /** A liveness restart's process starts again. */
  private readonly restart: EventType<Instance<J>>;
  /** A rollout's instance: its drain ends, its grace period ends, its new process starts. */
  private readonly drained: EventType<Shutdown<J>>;
  private readonly graceOver: EventType<Shutdown<J>>;
  private readonly rolledBack: EventType<Shutdown<J>>;
  readonly stats: FleetStats = { ejections: 0, unready: 0, cacheEvictions: 0, livenessRestarts: 0, shutdowns: 0, lostInShutdown: 0 };

  constructor(
    private readonly world: World,
    private readonly host: FleetHost,
    readonly list: Instance<J>[],
    private readonly spec: Pick<ServiceNode, 'id' | 'healthCheck' | 'livenessProbe' | 'outlierDetection' | 'discovery'>,
  ) {
    this.listingCache = list;
    const k = world.kernel;
    const id = spec.id;
    this.restart = k.register(`${id}.restart`, (inst: Instance<J>) => this.startAgain(inst));
    this.drained = k.register(`${id}.drained`, (d: Shutdown<J>) => this.onDrained(d));
    this.graceOver = k.register(`${id}.graceOver`, (d: Shutdown<J>) => this.stop(d));
    this.rolledBack = k.register(`${id}.rolloutStart`, (d: Shutdown<J>) => {
      this.rollout!.waiting = d.inst.index;
      this.startAgain(d.inst);
    });
    if (spec.healthCheck || spec.livenessProbe) this.probeStream = world.streams.get(id, 'healthCheck');
    if (spec.healthCheck) {
      this.probeTick = k.register(`${id}.readinessProbe`, () => this.onProbeTick());
      this.probeTimeout = k.register(`${id}.readinessTimeout`, (inst: Instance<J>) => this.onProbe(inst, false));
    }
    if (spec.livenessProbe) {
      this.liveTick = k.register(`${id}.livenessProbe`, () => this.onLiveTick());
      this.liveTimeout = k.register(`${id}.livenessTimeout`, (inst: Instance<J>) => this.onLive(inst, false));
    }
    if (spec.outlierDetection) this.sweep = k.register(`${id}.outlierSweep`, () => this.onSweep());
  }

  /** Schedule the first probes. */
  start(): void {
    const k = this.world.kernel;
    if (this.spec.healthCheck) k.schedule(this.spec.healthCheck.intervalMs, this.probeTick!, null);
    if (this.spec.livenessProbe) k.schedule(this.spec.livenessProbe.intervalMs, this.liveTick!, null);
  }

  private get now(): number {
    return this.world.now;
  }

  private log(kind: number, inst: Instance<J>, b = 0, c = 0): void {
    this.world.log.emit(this.now, kind as never, this.host.index, inst.index, b, c);
  }

  // --- what callers see ----------------------------------------------------------------------

  /** Instances the registry lists now (registered and ready). */
  listing(): Instance<J>[] {
    if (this.dirty) {
      this.dirty = false;
      const listed = this.list.filter((i) => i.registered && i.ready);
      this.listingCache = listed.length === this.list.length ? this.list : listed;
    }
    return this.listingCache;
  }

  private changed(): void {
    this.dirty = true;
  }

  /** Whether the registry lists `inst` now. */
  listed(inst: Instance<J>): boolean {
    return inst.registered && inst.ready;
  }

  /** The instances a call from node `from` may go to now (possibly none). */
  candidates(from: number): readonly Instance<J>[] {
    let view = this.listing();
    const d = this.spec.discovery;
    if (d) {
      let c = this.views.get(from);
      if (!c) {
        c = { list: view, expiresMs: this.now + d.cacheTtlMs };
        this.views.set(from, c);
      } else if (this.now >= c.expiresMs) {
        c.list = view;
        c.expiresMs = this.now + d.cacheTtlMs;
      }
      view = c.list;
    }
    if (this.ejectedCount > 0) {
      const kept = view.filter((i) => !i.ejected);
      if (kept.length > 0) return kept;
    }
    return view;
  }

  /** A call from `from` found `inst` refusing connections (outlier detection hears of it from the service, as of any outcome). */
  refused(from: number, inst: Instance<J>): void {
    const d = this.spec.discovery;
    if (d?.evictOnRefused) {
      const c = this.views.get(from);
      if (c && c.list.includes(inst)) {
        c.list = c.list.filter((i) => i !== inst);
        this.stats.cacheEvictions++;
        this.world.log.emit(this.now, LogKind.cacheEvict, this.host.index, inst.index, from, 0);
      }
    }
  }

  // --- outlier detection -------------------------------------------------------------------

  /** How an attempt on `inst` ended, for outlier detection: a 5xx, refused or timed out (true), or anything else. */
  outcome(inst: Instance<J>, failed: boolean): void {
    const od = this.spec.outlierDetection;
    if (!od || inst.ejected) return;
    if (!failed) {
      inst.consecutive5xx = 0;
      return;
    }
    if (++inst.consecutive5xx < od.consecutive5xx) return;
    inst.consecutive5xx = 0;
    const n = this.list.length;
    if (this.ejectedCount > 0 && (this.ejectedCount * 100) / n >= od.maxEjectionPercent) return;
    inst.ejected = true;
    inst.ejections++;
    inst.ejectedAtMs = this.now;
    this.ejectedCount++;
    this.stats.ejections++;
    this.log(LogKind.instanceEjected, inst, this.ejectionMs(inst), inst.ejections);
    this.scheduleSweep();
  }

  /** How long `inst` stays out this time: the base × its ejections, capped (Envoy's max_ejection_time). */
  ejectionMs(inst: Instance<J>): number {
    const od = this.spec.outlierDetection!;
    return Math.min(od.baseEjectionTimeMs * inst.ejections, Math.max(od.baseEjectionTimeMs, od.maxEjectionTimeMs));
  }

  private scheduleSweep(): void {
    if (this.sweepAt >= 0) return;
    const every = this.spec.outlierDetection!.intervalMs;
    this.sweepAt = (Math.floor(this.now / every) + 1) * every;
    this.world.kernel.at(this.sweepAt, this.sweep!, null);
  }

  private onSweep(): void {
    this.sweepAt = -1;
    for (const inst of this.list) {
      if (inst.ejected && this.now >= inst.ejectedAtMs + this.ejectionMs(inst)) {
        inst.ejected = false;
        inst.consecutive5xx = 0;
        this.ejectedCount--;
        this.log(LogKind.instanceReturned, inst);
      }
    }
    if (this.ejectedCount > 0) this.scheduleSweep();
  }

  // --- readiness -----------------------------------------------------------------------------

  private onProbeTick(): void {
    const hc = this.spec.healthCheck!;
    for (const inst of this.list) {
      if (!inst.up || inst.stopped) this.onProbe(inst, false);
      else if (this.host.hangs(inst, this.probeStream!)) this.world.kernel.schedule(hc.timeoutMs, this.probeTimeout!, inst);
      else this.onProbe(inst, true);
    }
    this.world.kernel.schedule(hc.intervalMs, this.probeTick!, null);
  }

  private onProbe(inst: Instance<J>, ok: boolean): void {
    const hc = this.spec.healthCheck!;
    if (ok) {
      inst.probeFails = 0;
      inst.probeOks++;
      if (!inst.ready && inst.probeOks >= hc.healthyThreshold) {
        inst.ready = true;
        this.changed();
        this.log(LogKind.instanceReady, inst, inst.probeOks);
        this.onReady(inst);
      }
    } else {
      inst.probeOks = 0;
      inst.probeFails++;
      if (inst.ready && inst.probeFails >= hc.unhealthyThreshold) this.unready(inst, inst.probeFails);
    }
  }

  private unready(inst: Instance<J>, failures: number): void {
    inst.ready = false;
    inst.probeOks = 0;
    this.changed();
    this.stats.unready++;
    this.log(LogKind.instanceUnready, inst, failures);
  }

  // --- liveness ------------------------------------------------------------------------------

  private onLiveTick(): void {
    const lp = this.spec.livenessProbe!;
    for (const inst of this.list) {
      if (inst.stopped) continue; // already restarting
      if (!inst.up) this.onLive(inst, false);
      else if (this.host.hangs(inst, this.probeStream!)) this.world.kernel.schedule(lp.timeoutMs, this.liveTimeout!, inst);
      else this.onLive(inst, true);
    }
    this.world.kernel.schedule(lp.intervalMs, this.liveTick!, null);
  }

  private onLive(inst: Instance<J>, ok: boolean): void {
    if (ok) {
      inst.liveFails = 0;
      return;
    }
    if (inst.stopped) return;
    const lp = this.spec.livenessProbe!;
    if (++inst.liveFails < lp.failureThreshold) return;
    inst.liveFails = 0;
    this.stats.livenessRestarts++;
    const lost = this.host.down(inst);
    inst.stopped = true;
    this.log(LogKind.instanceKilled, inst, lost);
    // The kubelet marks a pod whose container died not ready until its readiness probe passes again.
    if (this.spec.healthCheck && inst.ready) this.unready(inst, 0);
    this.world.kernel.schedule(lp.restartMs, this.restart, inst);
  }

  /** A stopped instance starts again: registered, and ready at once or once its probes pass. */
  private startAgain(inst: Instance<J>): void {
    inst.stopped = false;
    inst.closing = false;
    inst.liveFails = 0;
    this.host.revive(inst);
    this.log(LogKind.instanceStart, inst);
    if (!inst.registered) {
      inst.registered = true;
      this.changed();
    }
    if (!this.spec.healthCheck) {
      this.onReady(inst);
    } else if (inst.ready) {
      // Started before its probes noticed it was gone: a new process must pass them again.
      this.unready(inst, 0);
    }
  }

  // --- rolling restart -------------------------------------------------------------------------

  /** A rolling-restart fault starts (one instance at a time) or ends (no further instance is taken down). */
  rollingRestart(f: ActiveFault, on: boolean): void {
    if (!on) {
      if (this.rollout?.fault === f) this.rollout.ended = true;
      return;
    }
    if (this.rollout && !this.rollout.ended) return; // one rollout at a time: a second one while it runs is ignored
    this.rollout = { fault: f, next: 0, ended: false, waiting: -1 };
    this.stopNext();
  }

  private stopNext(): void {
    const r = this.rollout!;
    if (r.ended || r.next >= this.list.length) {
      r.ended = true;
      return;
    }
    this.shutdown(this.list[r.next++]!, r.fault.spec as Extract<Fault, { kind: 'rolling-restart' }>);
  }

  private onReady(inst: Instance<J>): void {
    const r = this.rollout;
    if (r && r.waiting === inst.index) {
      r.waiting = -1;
      this.stopNext();
    }
  }

  private shutdown(inst: Instance<J>, spec: Extract<Fault, { kind: 'rolling-restart' }>): void {
    this.stats.shutdowns++;
    inst.registered = false;
    this.changed();
    this.log(LogKind.instanceDeregister, inst, spec.graceful ? 1 : 0);
    const d: Shutdown<J> = { inst, spec, stopped: false };
    if (!spec.graceful) {
      this.stop(d);
      return;
    }
    const k = this.world.kernel;
    k.schedule(spec.drainMs, this.drained, d);
    k.schedule(spec.gracePeriodMs, this.graceOver, d);
  }

  /** A rollout's instance stops (once): what it still holds is lost, and its new process starts after `restartMs`. */
  private stop(d: Shutdown<J>): void {
    if (d.stopped) return;
    d.stopped = true;
    const inst = d.inst;
    this.pendingStop.delete(inst);
    const lost = inst.up ? this.host.down(inst) : 0;
    this.stats.lostInShutdown += lost;
    inst.stopped = true;
    inst.closing = false;
    this.log(LogKind.instanceStop, inst, lost);
    this.world.kernel.schedule(d.spec.restartMs, this.rolledBack, d);
  }

  /** A rollout's drain ends: the instance refuses new work, and stops once it holds none. */
  private onDrained(d: Shutdown<J>): void {
    if (d.stopped) return;
    d.inst.closing = true;
    this.pendingStop.set(d.inst, d);
    this.workDone(d.inst);
  }

  /** The closing instances' shutdowns, waiting for their work to end. */
  private readonly pendingStop = new Map<Instance<J>, Shutdown<J>>();

  /** The service finished a piece of work on `inst` (a closing instance stops once it holds none). */
  workDone(inst: Instance<J>): void {
    if (!inst.closing || inst.busy > 0 || inst.queue.size > 0 || inst.delayed > 0) return;
    const d = this.pendingStop.get(inst);
    if (!d) return;
    this.pendingStop.delete(inst);
    this.stop(d);
  }

  /** What the canvas shows for each instance. */
  states(): InstanceState[] {
    return this.list.map((i) => (i.stopped ? 'stopped' : !i.up ? 'down' : i.closing || !i.registered ? 'draining' : i.ejected ? 'ejected' : !i.ready ? 'unready' : 'up'));
  }
}

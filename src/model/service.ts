/**
 * A service: instances behind a load balancer, each with `concurrency` workers and a waiting line
 * of at most `queueLimit` requests (full: 503). A worker is held for the whole request — its own
 * work (`serviceTime`) and then its downstream calls, sequential or parallel — which is how a slow
 * dependency exhausts a pool. The request fails with `errorStatus` at rate `errorRate`, or when a
 * non-optional call fails without a fallback (502, or 504 when that call timed out).
 *
 * Which instance takes a request: the balancer (balancer.ts) picks among the instances the caller
 * may use now — the registry, the caller's cached copy of it, minus ejected outliers
 * (instances.ts). A fault with `instance` hits that instance only: after the pick, a latency
 * fault holds the request back at that instance's door, an error fault answers for it, a slow
 * fault stretches its work, a hang parks it, a crash takes that instance down.
 */
import { Fifo, Histogram, sampler } from '../engine';
import type { DistSpec, EventType, Sampler, Uniform } from '../engine';
import type { ServiceNode } from '../scenario/schema';
import type { Messaging } from './broker/messaging';
import { CallSite, sumStats } from './callsite';
import { LogKind, NO_STATUS, Reason, statusKey } from './events';
import type { Attempt, Callee, Caller, Invocation } from './request';
import type { NodeModel, World } from './world';
import type { ServiceLive } from './live';
import { Entry } from './entry';
import { injectedAbort, injectedDelay } from './faults';
import type { ActiveFault } from './faults';
import { Balancer } from './balancer';
import { Fleet, makeInstance } from './instances';
import type { FleetHost, Instance as FleetInstance } from './instances';

type Instance = FleetInstance<Job>;

/** An attempt handed to an instance, watched for outlier detection and least-latency. */
interface Tracked {
  readonly inst: Instance;
  readonly sentMs: number;
}

class Job implements Caller {
  readonly epoch: number;
  startedMs = 0;
  nextCall = 0;
  pending = 0;
  failStatus = NO_STATUS;
  failReason: Reason = Reason.ok;
  /** Events published before the write (publishMode "before-commit"), until the request ends. */
  events: string[] | null = null;
  constructor(
    readonly service: Service,
    readonly attempt: Attempt,
    readonly instance: Instance,
    readonly arrivedMs: number,
  ) {
    this.epoch = instance.epoch;
  }
  get alive(): boolean {
    return this.epoch === this.instance.epoch;
  }
  get node(): number {
    return this.service.index;
  }
  onCallDone(inv: Invocation): void {
    this.service.onCallDone(this, inv);
  }
}

export class Service implements NodeModel, Callee, FleetHost {
  readonly kind = 'service';
  readonly callee = this;
  private readonly instances: Instance[];
  private readonly fleet: Fleet<Job>;
  private readonly balancer: Balancer;
  /** Attempts in an instance's hands, when something watches their outcome per instance. */
  private readonly tracked: Map<Attempt, Tracked> | null;
  /** Whether the document uses any of the instance features (their summary keys show only then). */
  private readonly fleetKeys: boolean;
  private readonly instanceDelayed: EventType<[Attempt, Instance]>;
  private noInstance = 0;
  private staleRouted = 0;
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private serviceTime: Sampler;
  private errorRate: number;
  private errorStatus: number;
  private readonly errorStream: Uniform;
  private readonly publishStream: Uniform;
  private readonly parallel: boolean;
  private sites: CallSite[] = [];
  private readonly workDone: EventType<Job>;
  private readonly entry: Entry;

  // Faults (faults.ts): active node faults by kind, and what they hold.
  private hangFaults: ActiveFault[] = [];
  private slowFaults: ActiveFault[] = [];
  private slowFactor = 1;
  private hung: Job[] = [];
  private lost = 0;
  private duplicates = 0;
  /** Jobs holding before-commit events: if they fail (or die in a crash), those events are ghosts. */
  private readonly announced = new Set<Job>();

  // Metrics.
  private received = 0;
  private ok = 0;
  private failed = 0;
  private rejected = 0;
  private refused = 0;
  private readonly byStatus: Record<string, number> = {};
  private queueMax = 0;
  private busyTotal = 0;
  private busyArea = 0;
  private busySince = 0;
  private wastedWorkMs = 0;
  /** Time from arrival to a worker picking the request up. */
  private readonly wait = new Histogram();
  /** Time from arrival to the answer leaving (own work and downstream calls included). */
  private readonly response = new Histogram();

  constructor(
    private readonly world: World,
    readonly index: number,
    private readonly spec: ServiceNode,
    /** The broker, for a service that publishes or consumes. */
    private readonly broker: Messaging | null,
  ) {
    const streams = world.streams;
    this.instances = Array.from({ length: spec.instances }, (_, i) => makeInstance(i, new Fifo<Job>()));
    this.concurrency = spec.concurrency;
    this.queueLimit = spec.queueLimit ?? world.guard.limits.maxQueueLength;
    this.serviceTime = sampler(spec.serviceTime as DistSpec, streams.get(spec.id, 'serviceTime'));
    this.errorRate = spec.errorRate;
    this.errorStatus = spec.errorStatus;
    this.errorStream = streams.get(spec.id, 'error');
    this.balancer = new Balancer(spec, streams.get(spec.id, 'loadBalancer'));
    this.publishStream = streams.get(spec.id, 'publishConfirm');
    this.fleet = new Fleet<Job>(world, this, this.instances, spec);
    this.tracked = spec.outlierDetection || spec.loadBalancer === 'least-latency' ? new Map() : null;
    const rolling = world.scenario.faults.some((f) => f.target === spec.id && (f.kind === 'rolling-restart' || ('instance' in f && f.instance !== undefined)));
    this.fleetKeys = rolling || !!(spec.healthCheck || spec.livenessProbe || spec.outlierDetection || spec.discovery) || spec.loadBalancer === 'weighted-round-robin' || spec.loadBalancer === 'consistent-hash' || spec.loadBalancer === 'least-latency';
    this.instanceDelayed = world.kernel.register(`${spec.id}.instanceDelayed`, ([a, inst]: [Attempt, Instance]) => {
      inst.delayed--;
      this.admit(a, inst);
    });
    this.parallel = spec.callMode === 'parallel';
    this.workDone = world.kernel.register(`${spec.id}.workDone`, (job: Job) => this.onWorkDone(job));
    this.entry = new Entry(world.kernel, spec.id, (a) => this.enter(a));
  }

  get id(): string {
    return this.spec.id;
  }

  start(): void {
    this.sites = this.spec.calls.map((c) => new CallSite(this.world, this.index, this.world.indexOf(c.target), c));
    if (this.spec.consumes.length > 0) this.broker!.addConsumers(this.index, this.spec, this.instances.length);
    this.fleet.start();
    if (this.publishesAny && this.spec.publishMode === 'outbox') this.broker!.startRelay(this.index, this.spec);
  }

  /** A timed change (changes.ts): the settings the service reads for every request. */
  setLive(key: 'errorRate' | 'errorStatus' | 'serviceTime', value: unknown): void {
    if (key === 'errorRate') this.errorRate = value as number;
    else if (key === 'errorStatus') this.errorStatus = value as number;
    // The same stream goes on: draws before the change are the original's.
    else this.serviceTime = sampler(value as DistSpec, this.world.streams.get(this.spec.id, 'serviceTime'));
  }

  /** It publishes: on its requests' success, or from its consumers' work (choreography). */
  private get publishesAny(): boolean {
    return this.spec.publishes.length > 0 || this.spec.consumes.some((c) => c.publishes.length > 0 || c.onFailurePublish.length > 0);
  }

  /** Its own call sites, then its consumers' (theirs count with its own in the summary and on the canvas). */
  private allSites(): readonly CallSite[] {
    const consumer = this.broker && this.spec.consumes.length > 0 ? this.broker.consumerSites(this.index) : [];
    return consumer.length > 0 ? [...this.sites, ...consumer] : this.sites;
  }

  /** The call site of `calls[i]` (for timed changes). */
  callSite(i: number): CallSite {
    return this.sites[i]!;
  }

  onArrive(a: Attempt): void {
    this.received++;
    if (a.duplicateOf) this.duplicates++;
    this.entry.arrive(a);
  }

  /** The request reaches the service proper (after any injected delay). */
  private enter(a: Attempt): void {
    const w = this.world;
    const abort = this.entry.abort();
    if (abort !== 0) {
      this.respond(a, abort, Reason.status);
      return;
    }
    const cands = this.fleet.candidates(a.from);
    if (cands.length === 0) {
      // Nothing listed to send it to: as a Kubernetes Service without ready endpoints, refused.
      this.noInstance++;
      this.respond(a, NO_STATUS, Reason.refused);
      return;
    }
    const inst = this.balancer.pick(cands, a.inv.request);
    inst.received++;
    if (this.tracked) {
      // Watched from the pick on: a timeout while it waits at the instance's door counts against the instance.
      this.tracked.set(a, { inst, sentMs: w.now });
      this.balancer.sent(inst.index);
    }
    if (this.spec.discovery && !this.fleet.listed(inst)) this.staleRouted++;
    const own = inst.faults;
    if (own.latency.length > 0 && inst.up) {
      const extra = injectedDelay(own.latency);
      if (extra > 0) {
        inst.delayed++;
        w.kernel.schedule(extra, this.instanceDelayed, [a, inst]);
        return;
      }
    }
    this.admit(a, inst);
  }

  /** The attempt reaches the instance the balancer chose. */
  private admit(a: Attempt, inst: Instance): void {
    const w = this.world;
    if (!inst.up || inst.closing) {
      this.refused++;
      this.fleet.refused(a.from, inst);
      this.settle(a, NO_STATUS, Reason.refused);
      this.respond(a, NO_STATUS, Reason.refused);
      return;
    }
    if (inst.faults.error.length > 0) {
      const status = injectedAbort(inst.faults.error);
      if (status !== 0) {
        this.entry.aborted++;
        this.settle(a, status, Reason.status);
        this.respond(a, status, Reason.status);
        return;
      }
    }
    const job = new Job(this, a, inst, w.now);
    if (inst.busy < this.concurrency) {
      this.begin(job);
    } else if (inst.queue.size < this.queueLimit) {
      inst.queue.push(job);
      if (inst.queue.size > this.queueMax) this.queueMax = inst.queue.size;
    } else {
      if (this.spec.queueLimit === null) {
        // An unbounded line has the guardrail as its limit: refuse the request and stop the run.
        w.guard.stop(`a waiting line reached ${w.guard.limits.maxQueueLength.toLocaleString('en-US')} requests (queueLimit is unbounded)`, `service "${this.id}" instance ${inst.index}`);
      }
      this.rejected++;
      w.log.emit(w.now, LogKind.serviceReject, this.index, a.inv.request.id, 503, inst.index);
      this.settle(a, 503, Reason.queueFull);
      this.respond(a, 503, Reason.queueFull);
    }
  }

  private setBusy(inst: Instance, delta: number): void {
    const now = this.world.now;
    this.busyArea += this.busyTotal * (now - this.busySince);
    this.busySince = now;
    this.busyTotal += delta;
    inst.busy += delta;
  }

  private begin(job: Job): void {
    this.setBusy(job.instance, 1);
    const now = this.world.now;
    job.startedMs = now;
    this.wait.record(now - job.arrivedMs);
    if (this.spec.publishMode === 'before-commit' && this.spec.publishes.length > 0) {
      // Publish first, write second: if the write (or anything after it) fails, the events announced what never happened.
      const m = this.broker!;
      job.events = this.spec.publishes.map((p) => m.publishFrom(this.index, p, job.attempt.inv.request, this.publishStream));
      this.announced.add(job);
    }
    const inst = job.instance;
    for (const f of this.hangFaults) {
      if (f.spec.kind === 'hang' && (inst.cleared.length === 0 || !inst.cleared.includes(f)) && f.draw() < f.spec.probability) {
        // Accepted, holding its worker, and never answered while the hang lasts.
        this.hung.push(job);
        return;
      }
    }
    for (const f of inst.faults.hang) {
      if (f.spec.kind === 'hang' && !inst.cleared.includes(f) && f.draw() < f.spec.probability) {
        this.hung.push(job);
        return;
      }
    }
    this.world.kernel.schedule(this.serviceTime() * this.slowFactor * inst.slowFactor, this.workDone, job);
  }

  /** Whether a hang holds `inst` now (for a probe; `stream` draws when the hang is partial). */
  hangs(inst: Instance, stream: Uniform): boolean {
    for (const list of [this.hangFaults, inst.faults.hang]) {
      for (const f of list) {
        if (f.spec.kind !== 'hang' || inst.cleared.includes(f)) continue;
        if (f.spec.probability >= 1 || stream() < f.spec.probability) return true;
      }
    }
    return false;
  }

  /** Outlier detection and least-latency hear how an attempt on an instance ended (once; not after its caller timed out). */
  private settle(a: Attempt, status: number, reason: Reason): void {
    const t = this.tracked?.get(a);
    if (!t) return;
    this.tracked!.delete(a);
    if ((a.duplicateOf ?? a).done) return; // its caller timed out already, and was counted then
    this.balancer.observed(t.inst.index, this.world.now - t.sentMs);
    this.fleet.outcome(t.inst, status >= 500 || reason === Reason.refused);
  }

  /** The caller stopped waiting for `a`: for outlier detection a timeout is a 5xx of the instance that took it. */
  onTimedOut(a: Attempt): void {
    const t = this.tracked?.get(a);
    if (!t) return;
    this.tracked!.delete(a);
    this.balancer.observed(t.inst.index, this.world.now - t.sentMs);
    this.fleet.outcome(t.inst, true);
  }

  private onWorkDone(job: Job): void {
    if (!job.alive) return;
    if (this.errorRate > 0 && this.errorStream() < this.errorRate) {
      this.finish(job, this.errorStatus, Reason.status);
      return;
    }
    const sites = this.sites;
    if (sites.length === 0) {
      this.finish(job, 200, Reason.ok);
    } else if (this.parallel) {
      job.pending = sites.length;
      for (let i = 0; i < sites.length; i++) sites[i]!.invoke(job.attempt.inv.request, job, i);
    } else {
      job.nextCall = 1;
      sites[0]!.invoke(job.attempt.inv.request, job, 0);
    }
  }

  onCallDone(job: Job, inv: Invocation): void {
    if (!job.alive) return;
    const site = this.sites[inv.slot]!;
    const failed = inv.reason !== Reason.ok && inv.reason !== Reason.fallback && !site.optional;
    if (failed && job.failReason === Reason.ok) {
      job.failReason = Reason.dependency;
      job.failStatus = inv.reason === Reason.timeout ? 504 : 502;
    }
    if (this.parallel) {
      if (--job.pending > 0) return;
    } else if (!failed && job.nextCall < this.sites.length) {
      this.sites[job.nextCall]!.invoke(job.attempt.inv.request, job, job.nextCall++);
      return;
    }
    if (job.failReason !== Reason.ok) this.finish(job, job.failStatus, job.failReason);
    else this.finish(job, 200, Reason.ok);
  }

  private finish(job: Job, status: number, reason: Reason): void {
    const inst = job.instance;
    this.setBusy(inst, -1);
    // Work finished after the caller stopped waiting is wasted.
    const now = this.world.now;
    if ((job.attempt.duplicateOf ?? job.attempt).done) this.wastedWorkMs += now - job.startedMs;
    this.response.record(now - job.arrivedMs);
    if (this.spec.publishes.length > 0) this.publishAtEnd(job, reason);
    this.settle(job.attempt, status, reason);
    this.respond(job.attempt, status, reason);
    const next = inst.queue.shift();
    if (next) this.begin(next);
    if (inst.closing) this.fleet.workDone(inst);
  }

  /** The request's end as its publish mode sees it: publish after the commit, write the outbox rows, or judge the events sent before the write. */
  private publishAtEnd(job: Job, reason: Reason): void {
    const m = this.broker!;
    const request = job.attempt.inv.request;
    switch (this.spec.publishMode) {
      case 'before-commit':
        this.announced.delete(job);
        if (reason !== Reason.ok && job.events) m.ghosts(this.index, job.events, request.id);
        break;
      case 'outbox':
        if (reason === Reason.ok) for (const p of this.spec.publishes) m.outboxWrite(this.index, p, request);
        break;
      default:
        if (reason === Reason.ok) for (const p of this.spec.publishes) m.publishFrom(this.index, p, request, this.publishStream);
        break;
    }
  }

  private respond(a: Attempt, status: number, reason: Reason): void {
    if (reason === Reason.ok) this.ok++;
    else {
      this.failed++;
      const key = statusKey(status, reason);
      this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    }
    this.world.net.sendResponse(a, status, reason);
  }

  applyFault(f: ActiveFault, on: boolean): void {
    const w = this.world;
    const spec = f.spec;
    if ('instance' in spec && spec.instance !== undefined && spec.kind !== 'crash') {
      this.applyInstanceFault(f, this.instances[spec.instance]!, on);
      return;
    }
    if (spec.kind === 'rolling-restart') {
      this.fleet.rollingRestart(f, on);
      return;
    }
    if (this.entry.applyFault(f, on)) return;
    const toggle = (list: ActiveFault[]) => (on ? [...list, f] : list.filter((x) => x !== f));
    switch (f.spec.kind) {
      case 'slow':
        this.slowFaults = toggle(this.slowFaults);
        this.slowFactor = this.slowFaults.reduce((x, g) => x * (g.spec.kind === 'slow' ? g.spec.factor : 1), 1);
        break;
      case 'hang':
        this.hangFaults = toggle(this.hangFaults);
        if (this.hangFaults.length === 0) this.resumeHung();
        break;
      case 'crash': {
        const one = f.spec.instance;
        const n = f.spec.instances === 'all' ? this.instances.length : Math.min(f.spec.instances, this.instances.length);
        for (let i = one ?? 0; i < (one !== undefined ? one + 1 : n); i++) {
          const inst = this.instances[i]!;
          inst.downBy += on ? 1 : -1;
          if (on && inst.downBy === 1) {
            // The process dies with its work: requests in service or waiting get no answer (their
            // callers learn only by timing out); new connections are refused until it restarts.
            const lostHere = inst.up ? this.loseWork(inst) : 0;
            w.log.emit(w.now, LogKind.instanceCrash, this.index, i, lostHere, f.index);
            this.broker?.instanceChanged(this.index, i, false);
          } else if (!on && inst.downBy === 0 && !inst.stopped) {
            inst.up = true;
            w.log.emit(w.now, LogKind.instanceRestart, this.index, i, 0, f.index);
            this.broker?.instanceChanged(this.index, i, true);
          }
        }
        break;
      }
      default:
        break;
    }
  }

  /** The parked requests whose instance no hang holds any more get on with their work. */
  private resumeHung(): void {
    const parked = this.hung;
    this.hung = [];
    for (const job of parked) {
      if (!job.alive) continue;
      const inst = job.instance;
      if (this.hangFaults.length > 0 || inst.faults.hang.length > 0) {
        if (this.stillHung(inst)) {
          this.hung.push(job);
          continue;
        }
      }
      this.world.kernel.schedule(this.serviceTime() * this.slowFactor * inst.slowFactor, this.workDone, job);
    }
  }

  private stillHung(inst: Instance): boolean {
    for (const f of this.hangFaults) if (!inst.cleared.includes(f)) return true;
    for (const f of inst.faults.hang) if (!inst.cleared.includes(f)) return true;
    return false;
  }

  /** A fault aimed at one instance (`instance` on the fault). */
  private applyInstanceFault(f: ActiveFault, inst: Instance, on: boolean): void {
    const kind = f.spec.kind;
    if (kind !== 'latency' && kind !== 'error' && kind !== 'slow' && kind !== 'hang') return;
    const list = inst.faults[kind];
    inst.faults[kind] = on ? [...list, f] : list.filter((x) => x !== f);
    if (kind === 'slow') inst.slowFactor = inst.faults.slow.reduce((x, g) => x * (g.spec.kind === 'slow' ? g.spec.factor : 1), 1);
    if (kind === 'hang' && !on) {
      inst.cleared = inst.cleared.filter((x) => x !== f);
      this.resumeHung();
    }
  }

  /** The process of `inst` dies: its requests in service and waiting are lost. */
  private loseWork(inst: Instance): number {
    const lostHere = inst.busy + inst.queue.size;
    this.lost += lostHere;
    // Events published before a write that now never happens announced what never happened.
    for (const job of this.announced) {
      if (job.instance !== inst) continue;
      this.announced.delete(job);
      if (job.events) this.broker!.ghosts(this.index, job.events, job.attempt.inv.request.id);
    }
    inst.queue.drain();
    this.setBusy(inst, -inst.busy);
    inst.epoch++;
    inst.up = false;
    if (this.tracked) {
      for (const [a, t] of this.tracked) if (t.inst === inst) this.tracked.delete(a);
      this.balancer.forget(inst.index);
    }
    return lostHere;
  }

  /** FleetHost: a restart or a shutdown ends the process of `inst`. */
  down(inst: FleetInstance<unknown>): number {
    const i = inst as Instance;
    if (!i.up) return 0;
    const lost = this.loseWork(i);
    this.broker?.instanceChanged(this.index, i.index, false);
    return lost;
  }

  /** FleetHost: the process of `inst` starts again, clear of the hangs that held the old one. */
  revive(inst: FleetInstance<unknown>): void {
    const i = inst as Instance;
    i.cleared = [...this.hangFaults, ...i.faults.hang];
    if (i.downBy > 0 || i.up) return;
    i.up = true;
    this.broker?.instanceChanged(this.index, i.index, true);
  }

  live(): ServiceLive {
    const now = this.world.now;
    const capacity = this.instances.length * this.concurrency;
    const area = this.busyArea + this.busyTotal * (now - this.busySince);
    const messages = this.broker && this.spec.consumes.length > 0 ? this.broker.consumerLive(this.index) : undefined;
    let queued = 0;
    let up = 0;
    for (const inst of this.instances) {
      queued += inst.queue.size;
      if (inst.up) up++;
    }
    return {
      kind: 'service',
      busy: this.busyTotal,
      capacity: this.instances.length * this.concurrency,
      queued,
      instancesUp: up,
      instances: this.instances.length,
      instanceStates: this.fleet.states(),
      received: this.received,
      ok: this.ok,
      failed: this.failed,
      byStatus: { ...this.byStatus },
      calls: this.allSites().map((s) => s.live()),
      utilization: now > 0 && capacity > 0 ? round6(area / (capacity * now)) : 0,
      queueMax: this.queueMax,
      ...(messages ? { messages } : {}),
      ...this.messagingLive(),
    };
  }

  /** A state-machine consumer's counts and a compensating consumer's undos, for the canvas (only when the service has them). */
  private messagingLive(): Pick<ServiceLive, 'ordering' | 'compensations'> {
    const m = this.broker;
    if (!m) return {};
    const o = m.orderTotals(this.index);
    const comp = m.compensationsBy.get(this.index);
    return {
      ...(o ? { ordering: { applied: o.applied, outOfOrder: o.outOfOrder, rejected: o.rejected, parked: o.parked, staleIgnored: o.staleIgnored } } : {}),
      ...(comp ? { compensations: comp.run } : {}),
    };
  }

  summary(): Record<string, number | string | null> {
    const now = this.world.now;
    const area = this.busyArea + this.busyTotal * (now - this.busySince);
    const capacity = this.instances.length * this.concurrency;
    const calls = sumStats(this.allSites());
    return {
      kind: this.kind,
      received: this.received,
      ok: this.ok,
      failed: this.failed,
      rejected: this.rejected,
      refused: this.refused,
      attempts: calls.attempts,
      retries: calls.retries,
      timeouts: calls.timeouts,
      breakerOpens: calls.breakerOpens,
      shortCircuited: calls.shortCircuited,
      bulkheadRejected: calls.bulkheadRejected,
      fallbacks: calls.fallbacks,
      utilization: now > 0 ? round6(area / (capacity * now)) : 0,
      queueMax: this.queueMax,
      waitMeanMs: round6(this.wait.mean),
      waitP99Ms: round6(this.wait.percentile(99)),
      responseMeanMs: round6(this.response.mean),
      responseP50Ms: round6(this.response.percentile(50)),
      responseP90Ms: round6(this.response.percentile(90)),
      responseP99Ms: round6(this.response.percentile(99)),
      responseMaxMs: round6(this.response.max),
      wastedWorkMs: round6(this.wastedWorkMs),
      lostInCrash: this.lost,
      faultAborted: this.entry.aborted,
      duplicatesReceived: this.duplicates,
      ...this.fleetSummary(),
      ...this.messagingSummary(),
    };
  }

  /** The instance features' numbers, when the document uses them (docs/format-extensions.md). */
  private fleetSummary(): Record<string, number | string> {
    if (!this.fleetKeys) return {};
    const s = this.fleet.stats;
    return {
      receivedByInstance: this.instances.map((i) => i.received).join('/'),
      noInstance: this.noInstance,
      staleRouted: this.staleRouted,
      cacheEvictions: s.cacheEvictions,
      ejections: s.ejections,
      unready: s.unready,
      livenessRestarts: s.livenessRestarts,
      shutdowns: s.shutdowns,
      lostInShutdown: s.lostInShutdown,
    };
  }

  private messagingSummary(): Record<string, number> {
    const m = this.broker;
    if (!m) return {};
    const pub = m.publisherTotals(this.index);
    const con = m.serviceTotals(this.index);
    const out: Record<string, number> = { published: pub.published, publishResends: pub.resends, consumed: con.consumed, duplicateSideEffects: con.duplicateSideEffects };
    if (this.spec.consumes.some((c) => c.calls.length > 0)) {
      out.messageWorkOk = con.workOk;
      out.messageWorkFailed = con.workFailed;
    }
    const order = m.orderTotals(this.index);
    if (order) {
      out.eventsApplied = order.applied;
      out.outOfOrder = order.outOfOrder;
      out.outOfOrderRejected = order.rejected;
      out.parked = order.parked;
      out.parkRetries = order.parkRetries;
      out.staleIgnored = order.staleIgnored;
      out.entities = order.entities;
      out.entitiesIncomplete = order.entitiesIncomplete;
      out.entitiesInconsistent = order.entitiesInconsistent;
    }
    const comp = m.compensationsBy.get(this.index);
    if (comp) {
      out.compensationsRun = comp.run;
      out.compensationEvents = comp.published;
    }
    if (this.publishesAny) {
      out.lostEvents = pub.lostEvents;
      out.ghostEvents = pub.ghostEvents;
      out.duplicateEvents = pub.duplicateEvents;
      out.publishNacks = pub.publishNacks;
      if (this.spec.publishMode === 'outbox') {
        out.outboxWritten = pub.outboxWritten;
        out.outboxPending = pub.outboxPending;
      }
    }
    return out;
  }

  checkInvariants(out: string[]): void {
    let queued = 0;
    for (const inst of this.instances) {
      queued += inst.queue.size;
      if (inst.busy < 0 || inst.busy > this.concurrency) out.push(`${this.id}: instance ${inst.index} has ${inst.busy} busy workers of ${this.concurrency}`);
      if (inst.queue.size > this.queueLimit) out.push(`${this.id}: instance ${inst.index} queue ${inst.queue.size} over its limit ${this.queueLimit}`);
    }
    let delayed = this.entry.delayed;
    for (const inst of this.instances) delayed += inst.delayed;
    const held = this.ok + this.failed + this.busyTotal + queued + delayed + this.lost;
    if (this.received !== held) {
      out.push(
        `${this.id}: received ${this.received} != answered ${this.ok + this.failed} + in service ${this.busyTotal} + queued ${queued} + delayed ${delayed} + lost in crashes ${this.lost}`,
      );
    }
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Sagas: a distributed transaction as a sequence of local ones, each with a compensating action
 * that undoes it if a later step fails (Garcia-Molina & Salem, "Sagas", 1987; the course notes'
 * orchestrated order saga: reserve inventory, charge payment, confirm — and on failure refund,
 * release, cancel).
 *
 * The orchestrator (kind `orchestrator`) starts one saga per request it takes and runs the steps
 * in order, each a call through its own call site (timeout, retry, breaker ... as any call). When
 * a step fails, the compensations of the steps that completed run in reverse order; the step that
 * failed is not compensated (its local transaction did not commit). A compensation that fails —
 * after its own policy's retries — is run again after `compensationRetryDelayMs`, up to
 * `compensationRounds` runs; then it is given up, the remaining compensations still run, and the
 * saga ends **stuck** (someone must repair it by hand). A saga ends exactly once: completed,
 * compensated or stuck — or is still running when the run ends.
 *
 * The caller's answer: 200 when completed, `compensatedStatus` (409) when compensated,
 * `stuckStatus` (500) when stuck.
 *
 * A crash of the orchestrator cuts every caller's connection (their requests get no answer and
 * time out). With `persistState` the sagas' progress is in a durable log: when the orchestrator
 * restarts, each saga resumes where it was, running again the step or compensation whose call was
 * in flight (its outcome was never recorded: at-least-once, counted in `stepsRepeated`). Without
 * it the progress dies with the process: every running saga is stuck at once, its completed steps
 * never compensated.
 *
 * Simplified: the orchestrator has no worker pool or queue (its work is waiting on calls); its
 * saga log write is the `overhead` before each call.
 */
import { constantOf, sampler } from '../engine';
import type { DistSpec, EventType, Sampler } from '../engine';
import type { OrchestratorNode } from '../scenario/schema';
import { CallSite, sumStats } from './callsite';
import { LogKind, NO_STATUS, Reason, isSuccess, statusKey } from './events';
import type { Attempt, Callee, Caller, Invocation, Request } from './request';
import type { NodeModel, World } from './world';
import type { OrchestratorLive } from './live';
import type { ActiveFault } from './faults';

export type SagaOutcome = 'completed' | 'compensated' | 'stuck';

/** The world's saga accounting: every saga ends exactly once, or is still running at the end. */
export class SagaAccounting {
  started = 0;
  completed = 0;
  compensated = 0;
  stuck = 0;
  private endedTwice = 0;
  private readonly ended = new Set<number>();

  /** Whether any saga-running kind is in the scenario (the summary shows `sagas` only then). */
  used = false;
  /** The choreographed sagas (broker/choreography.ts), counted in the totals too; their share is shown apart. */
  choreographed: { summary(): { started: number; completed: number; compensated: number; stuck: number; running: number } } | null = null;

  start(): number {
    return ++this.started;
  }

  end(id: number, outcome: SagaOutcome): void {
    if (this.ended.has(id)) {
      this.endedTwice++;
      return;
    }
    this.ended.add(id);
    this[outcome]++;
  }

  get running(): number {
    return this.started - this.completed - this.compensated - this.stuck;
  }

  check(out: string[]): void {
    if (this.endedTwice > 0) out.push(`sagas: ${this.endedTwice} ended more than once`);
    if (this.running < 0) out.push(`sagas: ${this.started} started < ${this.completed} completed + ${this.compensated} compensated + ${this.stuck} stuck`);
  }

  summary(): { started: number; completed: number; compensated: number; stuck: number; running: number; choreographed?: { started: number; completed: number; compensated: number; stuck: number; running: number } } {
    const out = { started: this.started, completed: this.completed, compensated: this.compensated, stuck: this.stuck, running: this.running };
    return this.choreographed ? { ...out, choreographed: this.choreographed.summary() } : out;
  }
}

const FORWARD = 0;
const COMPENSATING = 1;

class Saga implements Caller {
  /** The caller's attempt, while its connection lives. */
  attempt: Attempt | null;
  phase = FORWARD;
  /** Forward: the step running; compensating: the step being compensated. */
  step = 0;
  /** Runs of the current compensation so far. */
  rounds = 0;
  /** Some compensation was given up. */
  gaveUp = false;
  /** Its call is on the wire (not waiting on overhead or a retry delay). */
  inCall = false;
  ended = false;
  /** The call whose answer the saga waits for (an answer to any other is stale: made before a crash). */
  current: Invocation | null = null;
  /** Bumped by every wait scheduled for it: a wait scheduled before a crash finds a newer one. */
  wake = 0;
  constructor(
    readonly orchestrator: Orchestrator,
    readonly id: number,
    readonly request: Request,
    attempt: Attempt,
    public epoch: number,
  ) {
    this.attempt = attempt;
  }
  get node(): number {
    return this.orchestrator.index;
  }
  onCallDone(inv: Invocation): void {
    this.orchestrator.onCallDone(this, inv);
  }
}

export class Orchestrator implements NodeModel, Callee {
  readonly kind = 'orchestrator';
  readonly callee = this;
  private steps: CallSite[] = [];
  private comps: (CallSite | null)[] = [];
  private readonly running = new Set<Saga>();
  private epoch = 0;
  private crashed = 0;
  private readonly overhead: Sampler | null;
  private readonly proceed: EventType<[Saga, number]>;
  /** A failed compensation's next round, after `compensationRetryDelayMs` (unless the saga moved on or the orchestrator restarted). */
  private readonly retryCompensation: EventType<[Saga, number]>;

  // Metrics.
  private received = 0;
  private ok = 0;
  private failed = 0;
  private refused = 0;
  private lost = 0;
  private readonly byStatus: Record<string, number> = {};
  private stepsRun = 0;
  private stepsFailed = 0;
  private stepsRepeated = 0;
  private compensationsRun = 0;
  private compensationsFailed = 0;
  private resumed = 0;
  private started = 0;
  private completed = 0;
  private compensated = 0;
  private stuck = 0;

  constructor(
    private readonly world: World,
    readonly index: number,
    private readonly spec: OrchestratorNode,
  ) {
    world.sagas.used = true;
    const o = spec.overhead as DistSpec;
    const c = constantOf(o);
    this.overhead = c === 0 ? null : c !== null ? () => c : sampler(o, world.streams.get(spec.id, 'overhead'));
    this.proceed = world.kernel.register(`${spec.id}.proceed`, ([s, wake]: [Saga, number]) => {
      if (s.wake === wake) this.call(s);
    });
    this.retryCompensation = world.kernel.register(`${spec.id}.compensationRetry`, ([s, wake]: [Saga, number]) => {
      if (s.wake === wake && s.epoch === this.epoch && !s.ended) this.next(s);
    });
  }

  get id(): string {
    return this.spec.id;
  }

  start(): void {
    const w = this.world;
    this.steps = this.spec.steps.map((s) => new CallSite(w, this.index, w.indexOf(s.target), s));
    this.comps = this.spec.steps.map((s) => (s.compensation ? new CallSite(w, this.index, w.indexOf(s.compensation.target), s.compensation) : null));
  }

  onArrive(a: Attempt): void {
    const w = this.world;
    this.received++;
    if (this.crashed > 0) {
      this.refused++;
      this.respond(a, NO_STATUS, Reason.refused);
      return;
    }
    const id = w.sagas.start();
    this.started++;
    const s = new Saga(this, id, a.inv.request, a, this.epoch);
    this.running.add(s);
    w.log.emit(w.now, LogKind.sagaStart, this.index, s.request.id, id);
    this.next(s);
  }

  /** After the bookkeeping (overhead), the saga's next call. */
  private next(s: Saga): void {
    s.inCall = false;
    s.current = null;
    const wake = ++s.wake;
    if (this.overhead) this.world.kernel.schedule(this.overhead(), this.proceed, [s, wake]);
    else this.call(s);
  }

  private call(s: Saga): void {
    if (s.epoch !== this.epoch || s.ended) return;
    const w = this.world;
    s.inCall = true;
    if (s.phase === FORWARD) {
      this.stepsRun++;
      w.log.emit(w.now, LogKind.sagaStep, this.index, s.request.id, s.id, s.step);
      s.current = this.steps[s.step]!.invoke(s.request, s, s.step);
    } else {
      this.compensationsRun++;
      w.log.emit(w.now, LogKind.sagaCompensate, this.index, s.request.id, s.id, s.step);
      s.current = this.comps[s.step]!.invoke(s.request, s, s.step);
    }
  }

  onCallDone(s: Saga, inv: Invocation): void {
    // An answer to a call made before a crash: nobody is waiting for it any more.
    if (inv !== s.current || s.ended) return;
    const w = this.world;
    const ok = isSuccess(inv.reason);
    s.inCall = false;
    s.current = null;
    if (s.phase === FORWARD) {
      w.log.emit(w.now, LogKind.sagaStepEnd, this.index, s.request.id, s.step, ok ? 1 : 0);
      if (ok) {
        s.step++;
        if (s.step === this.steps.length) this.end(s, 'completed');
        else this.next(s);
        return;
      }
      this.stepsFailed++;
      // The failed step did not commit: compensate the ones before it, last first.
      s.phase = COMPENSATING;
      s.step--;
      this.nextCompensation(s);
      return;
    }
    w.log.emit(w.now, LogKind.sagaCompensateEnd, this.index, s.request.id, s.step, ok ? 1 : 0);
    if (ok) {
      s.step--;
      s.rounds = 0;
      this.nextCompensation(s);
      return;
    }
    this.compensationsFailed++;
    if (++s.rounds < this.spec.compensationRounds) {
      w.kernel.schedule(this.spec.compensationRetryDelayMs, this.retryCompensation, [s, ++s.wake]);
      return;
    }
    // Given up: someone must repair this one by hand. The others are still undone.
    s.gaveUp = true;
    s.step--;
    s.rounds = 0;
    this.nextCompensation(s);
  }

  /** The next compensation down from `s.step` (steps without one are skipped), or the saga's end. */
  private nextCompensation(s: Saga): void {
    while (s.step >= 0 && this.comps[s.step] === null) s.step--;
    if (s.step < 0) this.end(s, s.gaveUp ? 'stuck' : 'compensated');
    else this.next(s);
  }

  private end(s: Saga, outcome: 'completed' | 'compensated' | 'stuck'): void {
    const w = this.world;
    s.ended = true;
    this.running.delete(s);
    w.sagas.end(s.id, outcome);
    if (outcome === 'completed') {
      this.completed++;
      w.log.emit(w.now, LogKind.sagaCompleted, this.index, s.request.id, s.id);
    } else if (outcome === 'compensated') {
      this.compensated++;
      w.log.emit(w.now, LogKind.sagaCompensated, this.index, s.request.id, s.id);
    } else {
      this.stuck++;
      w.log.emit(w.now, LogKind.sagaStuck, this.index, s.request.id, s.id, s.step);
    }
    const a = s.attempt;
    s.attempt = null;
    if (!a) return;
    if (outcome === 'completed') this.respond(a, 200, Reason.ok);
    else this.respond(a, outcome === 'compensated' ? this.spec.compensatedStatus : this.spec.stuckStatus, Reason.status);
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
    if (f.spec.kind !== 'crash') return;
    const w = this.world;
    this.crashed += on ? 1 : -1;
    if (on && this.crashed === 1) {
      // The process dies: every caller's connection with it; in-flight calls' answers will find nobody.
      this.epoch++;
      w.log.emit(w.now, LogKind.instanceCrash, this.index, 0, this.running.size, f.index);
      for (const s of [...this.running]) {
        s.wake++;
        s.current = null; // an answer to a call made before the crash finds nobody
        if (s.attempt) {
          s.attempt = null;
          this.lost++;
        }
        if (!this.spec.persistState) this.end(s, 'stuck');
      }
    } else if (!on && this.crashed === 0) {
      w.log.emit(w.now, LogKind.instanceRestart, this.index, 0, 0, f.index);
      // Restarted: with a durable saga log, each saga goes on from where it was.
      for (const s of this.running) {
        s.epoch = this.epoch;
        this.resumed++;
        if (s.inCall) this.stepsRepeated++;
        w.log.emit(w.now, LogKind.sagaResume, this.index, s.request.id, s.id, s.step);
        this.next(s);
      }
    }
  }

  private sites(): CallSite[] {
    return [...this.steps, ...this.comps.filter((c): c is CallSite => c !== null)];
  }

  live(): OrchestratorLive {
    return {
      kind: 'orchestrator',
      received: this.received,
      ok: this.ok,
      failed: this.failed,
      byStatus: { ...this.byStatus },
      calls: this.sites().map((s) => s.live()),
      running: this.running.size,
      started: this.started,
      completed: this.completed,
      compensated: this.compensated,
      stuck: this.stuck,
      down: this.crashed > 0,
    };
  }

  summary(): Record<string, number | string | null> {
    const calls = sumStats(this.sites());
    return {
      kind: this.kind,
      received: this.received,
      ok: this.ok,
      failed: this.failed,
      refused: this.refused,
      lostInCrash: this.lost,
      sagasStarted: this.started,
      sagasCompleted: this.completed,
      sagasCompensated: this.compensated,
      sagasStuck: this.stuck,
      sagasRunning: this.running.size,
      stepsRun: this.stepsRun,
      stepsFailed: this.stepsFailed,
      stepsRepeated: this.stepsRepeated,
      compensationsRun: this.compensationsRun,
      compensationsFailed: this.compensationsFailed,
      resumed: this.resumed,
      attempts: calls.attempts,
      retries: calls.retries,
      timeouts: calls.timeouts,
      breakerOpens: calls.breakerOpens,
      shortCircuited: calls.shortCircuited,
    };
  }

  checkInvariants(out: string[]): void {
    let waiting = 0;
    for (const s of this.running) if (s.attempt) waiting++;
    if (this.received !== this.ok + this.failed + this.lost + waiting) {
      out.push(`${this.id}: received ${this.received} != answered ${this.ok + this.failed} + lost in crashes ${this.lost} + sagas running with their caller waiting ${waiting}`);
    }
    if (this.started !== this.completed + this.compensated + this.stuck + this.running.size) {
      out.push(`${this.id}: sagas started ${this.started} != completed ${this.completed} + compensated ${this.compensated} + stuck ${this.stuck} + running ${this.running.size}`);
    }
  }
}

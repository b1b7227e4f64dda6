/**
 * The request accounting (SCENARIO.md "What a run reports"): every request is born at a client
 * and ends exactly once — ok, failed with a reason, or still in flight when the run ends. Ended
 * requests are counted by outcome, their latencies recorded, and listeners told (the run's time
 * series attach here).
 *
 * A consumer whose consume entry calls services does each delivery's work as a request too, born
 * at the consumer (`startWork`, kind "message"): its calls carry it like any request, and it ends
 * exactly once. It is counted apart (`work`), so `sent`, `ok`, `failed`, the latencies and the
 * time series keep meaning what the clients sent.
 */
import type { EventLog, Kernel } from '../engine';
import { LogKind, NO_STATUS, Reason, isSuccess, statusKey } from './events';
import { LatencyRecorder } from './latency';
import type { Request, Token } from './request';

/** Called at every request's end. */
export type RequestEndListener = (clientIndex: number, status: number, reason: Reason, latencyMs: number) => void;

export class RequestAccounting {
  private nextId = 1;
  sent = 0;
  ok = 0;
  failed = 0;
  /** Ended requests by outcome code (status * 64 + reason): integer keys keep the hot path string-free. */
  private readonly outcomes = new Map<number, number>();
  readonly latency = new LatencyRecorder();
  readonly violations: string[] = [];
  private readonly endListeners: RequestEndListener[] = [];
  /** Requests born at consumers (one per delivery worked by an entry that calls services). */
  readonly work = { started: 0, ok: 0, failed: 0, byReason: new Map<Reason, number>() };

  constructor(
    private readonly kernel: Kernel,
    private readonly log: EventLog,
  ) {}

  onEnd(listener: RequestEndListener): void {
    this.endListeners.push(listener);
  }

  /** A client sends a new request. */
  start(client: number, path: number, user: number, target: number, token: Token = 0, spoofedUserId = false): Request {
    const now = this.kernel.now;
    const req: Request = { id: this.nextId++, client, startMs: now, path, user, token, spoofedUserId, ended: false, messageId: undefined };
    this.sent++;
    this.log.emit(now, LogKind.requestStart, client, req.id, target);
    return req;
  }

  /** A consumer (`service`) starts its work on one delivery of message copy `messageId` from `queue`. */
  startWork(service: number, messageId: number, queue: number): Request {
    const now = this.kernel.now;
    const req: Request = { id: this.nextId++, client: service, startMs: now, path: 0, user: 0, token: 0, spoofedUserId: false, ended: false, messageId };
    this.work.started++;
    this.log.emit(now, LogKind.workStart, service, req.id, messageId, queue);
    return req;
  }

  /** End a request: exactly once. */
  end(req: Request, status: number, reason: Reason): void {
    const now = this.kernel.now;
    if (req.ended) {
      this.violations.push(`request ${req.id} ended twice (second: ${statusKey(status, reason)} at ${now} ms)`);
      return;
    }
    req.ended = true;
    if (req.messageId !== undefined) {
      const w = this.work;
      if (isSuccess(reason)) w.ok++;
      else {
        w.failed++;
        w.byReason.set(reason, (w.byReason.get(reason) ?? 0) + 1);
      }
      this.log.emit(now, LogKind.workEnd, req.client, req.id, status, reason);
      return;
    }
    if (isSuccess(reason)) this.ok++;
    else this.failed++;
    const code = status * 64 + reason;
    this.outcomes.set(code, (this.outcomes.get(code) ?? 0) + 1);
    const latency = now - req.startMs;
    this.latency.record(latency);
    this.log.emit(now, LogKind.requestEnd, req.client, req.id, status, reason);
    for (let i = 0; i < this.endListeners.length; i++) this.endListeners[i]!(req.client, status, reason, latency);
  }

  get inFlight(): number {
    return this.sent - this.ok - this.failed;
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

  /** Consumers' work still going on. */
  get workInFlight(): number {
    return this.work.started - this.work.ok - this.work.failed;
  }

  /** The consumers' work in the summary's shape: failures by reason name. */
  workSummary(): { started: number; ok: number; failed: number; inFlight: number; byReason: Record<string, number> } {
    const byReason: Record<string, number> = {};
    for (const [reason, n] of [...this.work.byReason].sort((a, b) => a[0] - b[0])) byReason[statusKey(NO_STATUS, reason)] = n;
    return { started: this.work.started, ok: this.work.ok, failed: this.work.failed, inFlight: this.workInFlight, byReason };
  }

  /** Append the accounting's violations. */
  check(out: string[]): void {
    out.push(...this.violations);
    if (this.workInFlight < 0) out.push(`requests: ${-this.workInFlight} more consumer work requests ended than were started`);
    if (this.ok + this.failed + this.inFlight !== this.sent) out.push('requests: sent != ok + failed + inFlight');
    if (this.inFlight < 0) out.push(`requests: ${-this.inFlight} more requests ended than were sent`);
    let ended = 0;
    const byStatus = this.byStatus;
    for (const k in byStatus) ended += byStatus[k]!;
    if (ended !== this.ok + this.failed) out.push(`requests: byStatus sums to ${ended}, but ${this.ok + this.failed} ended`);
    if (this.latency.count !== this.ok + this.failed) out.push('requests: a latency was not recorded for every ended request');
  }
}

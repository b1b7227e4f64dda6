/**
 * A client: the load. Arrivals are `poisson` (exponential gaps), `constant` (one every
 * 1000/ratePerSec ms, the first at 0), `closed` (`users` users, each sending, waiting for the
 * answer, thinking for `thinkTime`, sending again; each user starts after one think time so they
 * don't all fire at t = 0) or `script` (exactly the given send times). Each request picks a path
 * by weight and goes to `target` through the client's own policy (timeout, retry, ...).
 *
 * Tokens that expire (`auth.expired`, a share beside valid, invalid and missing): a gateway that
 * checks tokens answers such a request 401; the client then gets a fresh token (`tokenRefreshMs`,
 * the round trip to its identity provider) and sends the request again, once, as an OAuth client
 * does on `invalid_token` (RFC 6750 §3.1). The request's latency includes the refresh.
 */
import { constant, sampler } from '../engine';
import type { DistSpec, EventType, Sampler, Uniform } from '../engine';
import type { ClientNode } from '../scenario/schema';
import { CallSite } from './callsite';
import { Reason, statusKey } from './events';
import { Token } from './request';
import type { Caller, Invocation, Request } from './request';
import type { NodeModel, World } from './world';
import type { ClientLive } from './live';

export class Client implements NodeModel, Caller {
  readonly kind = 'client';
  private site!: CallSite;
  private target = -1;
  private readonly arrival: EventType<number>;
  private gap: Sampler | null;
  private readonly think: Sampler | null;
  private readonly script: number[];
  private scriptNext = 0;
  private readonly pathStream: Uniform;
  private readonly authStream: Uniform;
  private readonly spoofStream: Uniform;
  private readonly authShares: [number, number, number];
  private readonly refresh: EventType<Request> | null;
  private readonly refreshDelay: Sampler | null;
  private refreshes = 0;
  private readonly pathWeights: number[];
  private readonly weightSum: number;

  private sent = 0;
  private ok = 0;
  private failed = 0;
  private readonly byStatus: Record<string, number> = {};

  constructor(
    private readonly world: World,
    readonly index: number,
    private readonly spec: ClientNode,
  ) {
    const streams = world.streams;
    const arr = spec.arrival;
    this.gap = null;
    this.think = null;
    this.script = [];
    if (arr.type === 'poisson') {
      this.gap = sampler({ dist: 'exponential', meanMs: 1000 / arr.ratePerSec }, streams.get(spec.id, 'arrival'));
    } else if (arr.type === 'constant') {
      this.gap = constant(1000 / arr.ratePerSec);
    } else if (arr.type === 'closed') {
      this.think = sampler(arr.thinkTime as DistSpec, streams.get(spec.id, 'thinkTime'));
    } else {
      this.script = [...arr.atMs].sort((a, b) => a - b);
    }
    this.pathStream = streams.get(spec.id, 'path');
    this.authStream = streams.get(spec.id, 'auth');
    this.spoofStream = streams.get(spec.id, 'spoof');
    // Shares are relative: valid, invalid, missing.
    const a = spec.auth;
    const expired = a.expired ?? 0;
    const total = a.valid + a.invalid + a.missing + expired;
    this.authShares = [a.valid / total, (a.valid + a.invalid) / total, (a.valid + a.invalid + expired) / total];
    this.refresh = expired > 0 ? world.kernel.register(`${spec.id}.tokenRefresh`, (req: Request) => this.resend(req)) : null;
    this.refreshDelay = expired > 0 ? sampler(spec.tokenRefreshMs as DistSpec, streams.get(spec.id, 'tokenRefresh')) : null;
    this.pathWeights = spec.requests.map((r) => r.weight);
    this.weightSum = this.pathWeights.reduce((a, b) => a + b, 0);
    this.arrival = world.kernel.register(`${spec.id}.arrival`, (user: number) => this.onArrival(user));
  }

  get id(): string {
    return this.spec.id;
  }

  get node(): number {
    return this.index;
  }

  start(): void {
    this.target = this.world.indexOf(this.spec.target);
    this.site = new CallSite(this.world, this.index, this.target, this.spec);
    const k = this.world.kernel;
    const arr = this.spec.arrival;
    if (arr.type === 'poisson') k.schedule(this.gap!(), this.arrival, 0);
    else if (arr.type === 'constant') k.schedule(0, this.arrival, 0);
    else if (arr.type === 'closed') for (let u = 0; u < arr.users; u++) k.schedule(this.think!(), this.arrival, u);
    else if (this.script.length > 0) k.at(this.script[0]!, this.arrival, 0);
  }

  /** A timed change (changes.ts): a new rate from the next gap on, drawn from the same stream. */
  setRate(ratePerSec: number): void {
    if (this.spec.arrival.type === 'poisson') this.gap = sampler({ dist: 'exponential', meanMs: 1000 / ratePerSec }, this.world.streams.get(this.spec.id, 'arrival'));
    else if (this.spec.arrival.type === 'constant') {
      this.gap = constant(1000 / ratePerSec);
    }
  }

  /** The client's own call site (for timed changes). */
  callSite(): CallSite {
    return this.site;
  }

  private pickPath(): number {
    const weights = this.pathWeights;
    if (weights.length === 1) return 0;
    let x = this.pathStream() * this.weightSum;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** The credential of the next request (draws only when the shares are mixed). */
  private pickToken(): Token {
    const [valid, invalid, expired] = this.authShares;
    if (valid >= 1) return Token.valid;
    const x = this.authStream();
    return x < valid ? Token.valid : x < invalid ? Token.invalid : x < expired ? Token.expired : Token.missing;
  }

  private onArrival(user: number): void {
    const w = this.world;
    const spoof = this.spec.spoofUserIdHeader > 0 && this.spoofStream() < this.spec.spoofUserIdHeader;
    const req = w.requests.start(this.index, this.pickPath(), user, this.target, this.pickToken(), spoof);
    w.guard.checkInFlight(w.requests.inFlight, this.id);
    this.sent++;
    this.site.invoke(req, this, 0);
    const arr = this.spec.arrival;
    if (this.gap) w.kernel.schedule(this.gap(), this.arrival, 0);
    else if (arr.type === 'script' && ++this.scriptNext < this.script.length) w.kernel.at(this.script[this.scriptNext]!, this.arrival, 0);
  }

  onCallDone(inv: Invocation): void {
    const req = inv.request;
    if (req.token === Token.expired && inv.status === 401 && this.refresh) {
      // invalid_token: get a fresh one, then send the request again.
      req.token = Token.valid;
      this.refreshes++;
      this.world.kernel.schedule(this.refreshDelay!(), this.refresh, req);
      return;
    }
    this.world.requests.end(req, inv.status, inv.reason);
    if (inv.reason === Reason.ok || inv.reason === Reason.fallback) this.ok++;
    else {
      this.failed++;
      const key = statusKey(inv.status, inv.reason);
      this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    }
    if (this.think) this.world.kernel.schedule(this.think(), this.arrival, req.user);
  }

  private resend(req: Request): void {
    this.site.invoke(req, this, 0);
  }

  live(): ClientLive {
    return {
      kind: 'client',
      received: this.sent,
      ok: this.ok,
      failed: this.failed,
      byStatus: { ...this.byStatus },
      calls: this.site ? [this.site.live()] : [],
    };
  }

  summary(): Record<string, number | string | null> {
    const s = this.site?.stats;
    return {
      kind: this.kind,
      sent: this.sent,
      ok: this.ok,
      failed: this.failed,
      inFlight: this.sent - this.ok - this.failed,
      attempts: s?.attempts ?? 0,
      retries: s?.retries ?? 0,
      timeouts: s?.timeouts ?? 0,
      breakerOpens: s?.breakerOpens ?? 0,
      shortCircuited: s?.shortCircuited ?? 0,
      ...(this.refresh ? { tokenRefreshes: this.refreshes } : {}),
    };
  }
}

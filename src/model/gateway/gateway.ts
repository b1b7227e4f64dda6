/**
 * The API gateway: the edge every client request goes through before it reaches a service.
 *
 * What happens to an attempt that arrives, in this order:
 *  1. X-User-Id hygiene. When `auth.required`, a client-sent X-User-Id is stripped from every
 *     request at the edge (the verified id is injected in its place once the token checks out);
 *     the request is marked de-spoofed (`req.spoofedUserId = false`). Without auth nothing is
 *     verified and nothing is stripped: a spoofed id passes through to the service.
 *  2. Routing: the longest matching route prefix wins; no route → 404 (`Reason.notFound`).
 *     Kong's router runs before any plugin, so an unknown path is a 404 whatever the credential.
 *  3. Auth, when `auth.required`: a missing, invalid or expired token → 401 (`Reason.unauthorized`);
 *     a client whose token expired refreshes it and sends again (model/client.ts).
 *  4. Rate limit: over the limit → 429 (`Reason.rateLimited`) with Retry-After when the algorithm
 *     gives one (carried back as `attempt.retryAfterMs`, logged as `ratelimit.reject`). The
 *     gateway's limit first, then the route's own (`routes[].rateLimit`), as Kong runs a
 *     service- or route-scoped rate-limiting plugin beside a global one: a request the global
 *     limit refuses uses none of the route's quota.
 *     Auth runs before the limiter, as Kong orders its plugins (jwt 1450, key-auth 1250 before
 *     rate-limiting 910): an unauthenticated flood still gets 401s and does not use up the quota
 *     of anyone, and `per: "client"` counts only authenticated traffic. (An Express app with
 *     express-rate-limit mounted before its auth middleware would count the 401s too.)
 *  5. `overhead` (a Dist) is spent, then the request is forwarded through the route's CallSite,
 *     which applies the route's policy (timeout, retry, breaker, bulkhead, fallback).
 * Rejections (404, 401, 429) are answered at once: no overhead. The gateway has no worker pool
 * and no waiting line: it is a delay, not a queueing station.
 *
 * Route matching (`matchRoute`): a prefix matches a path that equals it, or that continues it
 * after a `/` — path segments, as Express's `app.use('/apple')` matches `/apple` and
 * `/apple/images` but not `/applesauce`. A prefix ending in `/` (and so `/`) matches every path
 * under it. Case-sensitive; the query string and fragment are ignored. Among matching routes the
 * longest prefix wins (Kong: "the longest path wins"); equal prefixes: the first listed.
 *
 * The answer to the caller (`answerFor`), from how the route call ended:
 *  - ok or fallback: the upstream's (or the fallback's) status, its reason kept;
 *  - the upstream answered with a status (its own error, 503 queue full, 502/504 dependency, a
 *    401/404/429 of a gateway behind this one, a fault's abort): that status and reason, as is;
 *  - the route call timed out: 504; the upstream refused the connection: 503 (what Envoy answers
 *    on a connect failure); the route's breaker short-circuited or its bulkhead was full: 503;
 *    anything else without a status: 502. These are the gateway's own answers about an upstream
 *    it could not use, so their reason is `Reason.dependency`, like a service whose call failed:
 *    the caller sees an HTTP status from the gateway (which its own retryOn and breaker judge by
 *    that status), not a timeout or short-circuit of its own.
 *
 * Counting: `received` counts arriving attempts (retries and network duplicates included), as
 * for services. The X-User-Id counters count requests: a request is counted once however many
 * times a client retries it (the first arrival carrying the header strips it; without auth, the
 * invocation that brought it is marked: `Invocation.marks`).
 */
import { constant, constantOf, sampler } from '../../engine';
import type { DistSpec, EventType, Sampler } from '../../engine';
import type { ClientNode, GatewayNode } from '../../scenario/schema';
import { CallSite, sumStats } from '../callsite';
import { LogKind, NO_STATUS, Reason, statusKey } from '../events';
import { Token } from '../request';
import type { Attempt, Callee, Caller, Invocation } from '../request';
import type { NodeModel, World } from '../world';
import type { GatewayLive } from '../live';
import { Entry } from '../entry';
import type { ActiveFault } from '../faults';
import { createRateLimiter } from './rateLimit';
import type { RateLimitConfig, RateLimiter } from './rateLimit';
import { matchRoute } from '../../scenario/routes';

export { matchRoute, prefixMatches } from '../../scenario/routes';

/** What the gateway answers its caller when a route call ended with `status`/`reason`. */
export function answerFor(status: number, reason: Reason): { status: number; reason: Reason } {
  return { status: answerStatus(status, reason), reason: answerReason(status, reason) };
}

/** The status part of `answerFor`. */
function answerStatus(status: number, reason: Reason): number {
  if (reason === Reason.ok) return status === NO_STATUS ? 200 : status;
  if (status !== NO_STATUS) return status;
  switch (reason) {
    case Reason.timeout:
      return 504;
    case Reason.refused:
    case Reason.shortCircuited:
    case Reason.bulkhead:
    case Reason.queueFull:
      return 503;
    default:
      return 502;
  }
}

/** The reason part of `answerFor`: the upstream's when it answered (or ok), else the gateway's own (dependency). */
function answerReason(status: number, reason: Reason): Reason {
  return reason === Reason.ok || status !== NO_STATUS ? reason : Reason.dependency;
}

/** Marks on an invocation arriving here: its spoofed X-User-Id is counted (only needed when nothing is stripped), and counted as passed through. */
const SPOOF_COUNTED = 1;
const SPOOF_PASS_COUNTED = 2;

/** One request being forwarded: waits out the overhead, then hears how the route call ended. */
class Forward implements Caller {
  constructor(
    readonly gateway: Gateway,
    readonly attempt: Attempt,
    readonly route: number,
  ) {}
  get node(): number {
    return this.gateway.index;
  }
  onCallDone(inv: Invocation): void {
    this.gateway.onRouteDone(this, inv);
  }
}

export class Gateway implements NodeModel, Callee {
  readonly kind = 'gateway';
  readonly callee = this;
  private crashed = 0;
  private refused = 0;
  private readonly entry: Entry;
  private sites: CallSite[] = [];
  private readonly prefixes: string[];
  private readonly authRequired: boolean;
  private readonly limiter: RateLimiter | null;
  private readonly routeLimiters: (RateLimiter | null)[];
  private tokenExpired = 0;
  private routeRateLimited = 0;
  private readonly overhead: Sampler | null;
  private readonly forward: EventType<Forward>;
  /** Per client node index: the route of each of its request paths (-1: none), built on first use. */
  private readonly routeOfPath = new Map<number, Int32Array>();

  // Metrics.
  private received = 0;
  private ok = 0;
  private failed = 0;
  /** Requests forwarded and not yet answered (overhead or upstream call under way). */
  private pending = 0;
  private notFound = 0;
  private unauthorized = 0;
  private rateLimited = 0;
  private spoofAttempts = 0;
  private spoofStripped = 0;
  private spoofPassedThrough = 0;
  private readonly byStatus: Record<string, number> = {};

  constructor(
    private readonly world: World,
    readonly index: number,
    private readonly spec: GatewayNode,
  ) {
    this.prefixes = spec.routes.map((r) => r.prefix);
    this.authRequired = spec.auth.required;
    this.limiter = spec.rateLimit ? createRateLimiter(spec.rateLimit as RateLimitConfig, 0) : null;
    this.routeLimiters = spec.routes.map((r) => (r.rateLimit ? createRateLimiter(r.rateLimit as RateLimitConfig, 0) : null));
    const overhead = spec.overhead as DistSpec;
    const c = constantOf(overhead);
    this.overhead = c === 0 ? null : c !== null ? constant(c) : sampler(overhead, world.streams.get(spec.id, 'overhead'));
    this.forward = world.kernel.register(`${spec.id}.forward`, (f: Forward) => this.send(f));
    this.entry = new Entry(world.kernel, spec.id, (a) => this.handle(a));
  }

  applyFault(f: ActiveFault, on: boolean): void {
    if (f.spec.kind === 'crash') this.crashed += on ? 1 : -1;
    else this.entry.applyFault(f, on);
  }

  get id(): string {
    return this.spec.id;
  }

  start(): void {
    this.sites = this.spec.routes.map((r) => new CallSite(this.world, this.index, this.world.indexOf(r.target), r));
  }

  /** The call site of `routes[i]` (for timed changes). */
  routeSite(i: number): CallSite {
    return this.sites[i]!;
  }

  /** The route for a client's request path (cached per client). */
  private routeFor(client: number, path: number): number {
    let table = this.routeOfPath.get(client);
    if (table === undefined) {
      const spec = this.world.scenario.nodes[client] as ClientNode;
      const paths = spec.kind === 'client' ? spec.requests : [];
      table = Int32Array.from(paths, (r) => matchRoute(this.prefixes, r.path));
      this.routeOfPath.set(client, table);
    }
    return path < table.length ? table[path]! : -1;
  }

  onArrive(a: Attempt): void {
    this.received++;
    if (this.crashed > 0) {
      this.refused++;
      this.respond(a, NO_STATUS, Reason.refused);
      return;
    }
    this.entry.arrive(a);
  }

  /** The request reaches the gateway proper (after any injected delay). */
  private handle(a: Attempt): void {
    const w = this.world;
    const req = a.inv.request;
    const abort = this.entry.abort();
    if (abort !== 0) {
      this.respond(a, abort, Reason.status);
      return;
    }

    // 1. X-User-Id: stripped at the edge when the gateway verifies identities.
    if (req.spoofedUserId) {
      if (this.authRequired) {
        this.spoofAttempts++;
        this.spoofStripped++;
        req.spoofedUserId = false;
      } else if ((a.inv.marks & SPOOF_COUNTED) === 0) {
        a.inv.marks |= SPOOF_COUNTED;
        this.spoofAttempts++;
      }
    }

    // 2. Routing.
    const route = this.routeFor(req.client, req.path);
    if (route < 0) {
      this.notFound++;
      this.respond(a, 404, Reason.notFound);
      return;
    }

    // 3. Auth.
    if (this.authRequired && req.token !== Token.valid) {
      this.unauthorized++;
      if (req.token === Token.expired) this.tokenExpired++;
      this.respond(a, 401, Reason.unauthorized);
      return;
    }

    // 4. Rate limit.
    if (this.limiter && this.overLimit(this.limiter, a)) return;
    const own = this.routeLimiters[route];
    if (own && this.overLimit(own, a)) {
      this.routeRateLimited++;
      return;
    }

    // 5. Overhead, then forward.
    if (req.spoofedUserId && (a.inv.marks & SPOOF_PASS_COUNTED) === 0) {
      a.inv.marks |= SPOOF_PASS_COUNTED;
      this.spoofPassedThrough++;
    }
    this.pending++;
    const f = new Forward(this, a, route);
    if (this.overhead) w.kernel.schedule(this.overhead(), this.forward, f);
    else this.send(f);
  }

  /** Counts a hit on `limiter`; over the limit, answers 429 (with Retry-After when the algorithm gives one) and says so. */
  private overLimit(limiter: RateLimiter, a: Attempt): boolean {
    const w = this.world;
    const req = a.inv.request;
    if (limiter.allow(w.ids[req.client]!, w.now)) return false;
    this.rateLimited++;
    const sec = limiter.retryAfterSec;
    if (sec >= 0) a.retryAfterMs = sec * 1000;
    w.log.emit(w.now, LogKind.ratelimitReject, this.index, req.id, sec);
    this.respond(a, 429, Reason.rateLimited);
    return true;
  }

  private send(f: Forward): void {
    this.sites[f.route]!.invoke(f.attempt.inv.request, f, f.route);
  }

  onRouteDone(f: Forward, inv: Invocation): void {
    this.pending--;
    const status = answerStatus(inv.status, inv.reason);
    // Pass on a Retry-After the upstream sent with its 429 or 503.
    if (inv.retryAfterMs >= 0 && status === inv.status) f.attempt.retryAfterMs = inv.retryAfterMs;
    this.respond(f.attempt, status, answerReason(inv.status, inv.reason));
  }

  private respond(a: Attempt, status: number, reason: Reason): void {
    if (reason === Reason.ok || reason === Reason.fallback) this.ok++;
    else {
      this.failed++;
      const key = statusKey(status, reason);
      this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    }
    this.world.net.sendResponse(a, status, reason);
  }

  live(): GatewayLive {
    return {
      kind: 'gateway',
      pending: this.pending,
      spoofAttempts: this.spoofAttempts,
      spoofStripped: this.spoofStripped,
      received: this.received,
      ok: this.ok,
      failed: this.failed,
      byStatus: { ...this.byStatus },
      calls: this.sites.map((s) => s.live()),
    };
  }

  summary(): Record<string, number | string | null> {
    const calls = sumStats(this.sites);
    return {
      kind: this.kind,
      received: this.received,
      ok: this.ok,
      failed: this.failed,
      refused: this.refused,
      faultAborted: this.entry.aborted,
      notFound: this.notFound,
      unauthorized: this.unauthorized,
      rateLimited: this.rateLimited,
      ...(this.routeLimiters.some((l) => l !== null) ? { routeRateLimited: this.routeRateLimited } : {}),
      ...(this.world.scenario.nodes.some((n) => n.kind === 'client' && (n.auth.expired ?? 0) > 0) ? { tokenExpired: this.tokenExpired } : {}),
      spoofAttempts: this.spoofAttempts,
      spoofStripped: this.spoofStripped,
      spoofPassedThrough: this.spoofPassedThrough,
      attempts: calls.attempts,
      retries: calls.retries,
      timeouts: calls.timeouts,
      breakerOpens: calls.breakerOpens,
      shortCircuited: calls.shortCircuited,
      bulkheadRejected: calls.bulkheadRejected,
      fallbacks: calls.fallbacks,
    };
  }

  checkInvariants(out: string[]): void {
    const delayed = this.entry.delayed;
    if (this.received !== this.ok + this.failed + this.pending + delayed) {
      out.push(`${this.id}: received ${this.received} != answered ${this.ok + this.failed} + forwarding ${this.pending} + delayed ${delayed}`);
    }
    if (this.pending < 0) out.push(`${this.id}: ${-this.pending} more route calls ended than were started`);
    if (this.spoofStripped + this.spoofPassedThrough > this.spoofAttempts) {
      out.push(`${this.id}: ${this.spoofStripped} stripped + ${this.spoofPassedThrough} passed through > ${this.spoofAttempts} spoof attempts`);
    }
    if (this.authRequired && (this.spoofStripped !== this.spoofAttempts || this.spoofPassedThrough !== 0)) {
      out.push(`${this.id}: with auth required every client-sent X-User-Id is stripped (${this.spoofStripped} of ${this.spoofAttempts}, ${this.spoofPassedThrough} passed)`);
    }
  }
}

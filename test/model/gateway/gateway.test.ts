import { describe, expect, it } from 'vitest';
import { createStream } from '../../../src/engine';
import { Reason, World, buildNodes } from '../../../src/model';
import { NO_STATUS } from '../../../src/model/events';
import { answerFor, matchRoute, prefixMatches } from '../../../src/model/gateway/gateway';
import type { Attempt } from '../../../src/model/request';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent } from '../../../src/run/types';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>) {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants).toEqual({ ok: true, violations: [] });
  return { summary, events: r.eventLog(), live: r.nodeStates() };
}

const of = (events: LoggedEvent[], kind: string, node?: string) => events.filter((e) => e.kind === kind && (node === undefined || e.node === node));
const ends = (events: LoggedEvent[], client: string) => of(events, 'request.end', client).map((e) => [e.t, e.status]);

/** A script client `id` sending `path` at `atMs` to the gateway `gw`. */
const client = (id: string, atMs: number[], extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'client',
  target: 'gw',
  arrival: { type: 'script', atMs },
  requests: [{ path: '/api/orders' }],
  ...extra,
});
const orders = { id: 'orders', kind: 'service', serviceTime: 0 };

describe('route matching', () => {
  it('matches on path segments, like Express app.use(path)', () => {
    expect(prefixMatches('/api/orders', '/api/orders')).toBe(true);
    expect(prefixMatches('/api/orders', '/api/orders/42')).toBe(true);
    expect(prefixMatches('/api/orders', '/api/orders/')).toBe(true);
    expect(prefixMatches('/api/orders', '/api/orders?page=2')).toBe(true);
    expect(prefixMatches('/api/orders', '/api/orders#top')).toBe(true);
    expect(prefixMatches('/api/orders', '/api/ordersx')).toBe(false);
    expect(prefixMatches('/api/orders', '/api/order')).toBe(false);
    expect(prefixMatches('/api/orders', '/api')).toBe(false);
    expect(prefixMatches('/api/orders', '/API/orders')).toBe(false); // case-sensitive
    expect(prefixMatches('/api/orders', '/api/ordersx?q=/')).toBe(false); // the query is not the path
  });

  it('a prefix ending in / matches everything under it; "/" matches every path', () => {
    expect(prefixMatches('/api/', '/api/x')).toBe(true);
    expect(prefixMatches('/api/', '/api/')).toBe(true);
    expect(prefixMatches('/api/', '/api')).toBe(false);
    expect(prefixMatches('/', '/')).toBe(true);
    expect(prefixMatches('/', '/anything/at/all')).toBe(true);
  });

  it('the longest matching prefix wins, whatever the order; equal prefixes: the first listed', () => {
    const prefixes = ['/', '/api', '/api/orders/special', '/api/orders', '/api/orders'];
    expect(matchRoute(prefixes, '/api/orders/42')).toBe(3);
    expect(matchRoute(prefixes, '/api/orders/special/7')).toBe(2);
    expect(matchRoute(prefixes, '/api/orders/specialx')).toBe(3);
    expect(matchRoute(prefixes, '/api/ordersx')).toBe(1);
    expect(matchRoute(prefixes, '/health')).toBe(0);
    expect(matchRoute(['/api', '/admin'], '/health')).toBe(-1);
    expect(matchRoute([], '/')).toBe(-1);
  });

  it('routes each request end to end to its longest match; no match is a 404 answered at once', () => {
    const { summary, events } = run({
      seed: 1,
      durationMs: 1_000,
      network: { latency: 1 },
      nodes: [
        client('a', [0, 10], { requests: [{ path: '/api/orders/42' }] }),
        client('b', [0], { requests: [{ path: '/api/ordersx' }] }),
        client('c', [0, 10, 20], { requests: [{ path: '/api/orders/special/1' }] }),
        client('d', [5], { requests: [{ path: '/nope' }] }),
        {
          id: 'gw',
          kind: 'gateway',
          routes: [
            { prefix: '/api', target: 'catchall' },
            { prefix: '/api/orders', target: 'orders' },
            { prefix: '/api/orders/special', target: 'special' },
          ],
        },
        orders,
        { id: 'catchall', kind: 'service', serviceTime: 0 },
        { id: 'special', kind: 'service', serviceTime: 0 },
      ],
    });
    expect(summary.nodes.orders).toMatchObject({ received: 2 });
    expect(summary.nodes.catchall).toMatchObject({ received: 1 });
    expect(summary.nodes.special).toMatchObject({ received: 3 });
    expect(summary.nodes.gw).toMatchObject({ kind: 'gateway', received: 7, ok: 6, failed: 1, notFound: 1, attempts: 6 });
    // The 404 comes straight back: one hop there, one back.
    expect(ends(events, 'd')).toEqual([[7, 404]]);
    expect(of(events, 'request.end', 'd')[0]).toMatchObject({ reason: 'not-found' });
    expect(summary.requests.byStatus).toEqual({ '200': 6, '404': 1 });
  });
});

describe('auth at the edge', () => {
  it('a missing or an invalid token is a 401 and never reaches a service; the count follows the client\'s draws', () => {
    const seed = 'auth-shares';
    const { summary, events } = run({
      seed,
      durationMs: 20_000,
      network: { latency: 0 },
      nodes: [
        { id: 'users', kind: 'client', target: 'gw', arrival: { type: 'poisson', ratePerSec: 100 }, requests: [{ path: '/api/orders' }], auth: { valid: 8, invalid: 1, missing: 1 } },
        { id: 'gw', kind: 'gateway', auth: { required: true }, routes: [{ prefix: '/api/orders', target: 'orders' }] },
        { ...orders, serviceTime: 1 },
      ],
    });
    const sent = summary.nodes.users!.sent as number;
    // Replay the client's credential draws (its own stream, one draw per request when the shares are mixed).
    const auth = createStream(seed, 'users', 'auth');
    let bad = 0;
    for (let i = 0; i < sent; i++) if (auth() >= 0.8) bad++;
    const gw = summary.nodes.gw!;
    expect(gw.unauthorized).toBe(bad);
    expect(summary.requests.byStatus['401']).toBe(bad);
    expect(summary.nodes.orders!.received).toBe(sent - bad);
    expect(of(events, 'request.end').filter((e) => e.status === 401)).toHaveLength(bad);
    // Pinned for this seed, and about 20%.
    expect([sent, bad]).toEqual([1995, 412]);
    expect(Math.abs(bad / sent - 0.2)).toBeLessThan(0.02);
  });

  it('without auth required, every credential passes', () => {
    const { summary } = run({
      seed: 2,
      durationMs: 1_000,
      nodes: [
        client('c', [0, 1, 2, 3], { auth: { valid: 0, invalid: 1, missing: 1 } }),
        { id: 'gw', kind: 'gateway', routes: [{ prefix: '/api', target: 'orders' }] },
        orders,
      ],
    });
    expect(summary.nodes.gw).toMatchObject({ unauthorized: 0, ok: 4 });
  });
});

describe('X-User-Id', () => {
  /** Build the world by hand and watch what the service sees of each request. */
  function watch(doc: Record<string, unknown>) {
    const world = new World(scenario(doc));
    buildNodes(world);
    const svc = world.nodes[world.indexOf('orders')]!.callee!;
    const seen: boolean[] = [];
    const onArrive = svc.onArrive.bind(svc);
    svc.onArrive = (a: Attempt) => {
      seen.push(a.inv.request.spoofedUserId);
      onArrive(a);
    };
    world.kernel.run({ untilMs: world.scenario.durationMs });
    return { world, seen, gw: world.nodes[world.indexOf('gw')]!.summary() };
  }
  const doc = (required: boolean, extra: Record<string, unknown> = {}) => ({
    seed: 'spoof',
    durationMs: 10_000,
    network: { latency: 0 },
    nodes: [
      { id: 'users', kind: 'client', target: 'gw', arrival: { type: 'constant', ratePerSec: 50 }, requests: [{ path: '/api/orders' }], spoofUserIdHeader: 0.3, ...extra },
      { id: 'gw', kind: 'gateway', auth: { required }, routes: [{ prefix: '/api/orders', target: 'orders' }] },
      { id: 'orders', kind: 'service', serviceTime: 2 },
    ],
  });
  const spoofDraws = (n: number) => {
    const s = createStream('spoof', 'users', 'spoof');
    let k = 0;
    for (let i = 0; i < n; i++) if (s() < 0.3) k++;
    return k;
  };

  it('with auth required the client-sent header is stripped from every request: no service sees it', () => {
    const { world, seen, gw } = watch(doc(true));
    const spoofed = spoofDraws(world.requests.sent);
    expect(spoofed).toBeGreaterThan(100);
    expect(gw).toMatchObject({ spoofAttempts: spoofed, spoofStripped: spoofed, spoofPassedThrough: 0 });
    expect(seen).toHaveLength(world.requests.sent);
    expect(seen.every((s) => !s)).toBe(true);
    expect(world.checkInvariants()).toEqual([]);
  });

  it('without auth nothing is verified: a spoofed id passes through to the service', () => {
    const { world, seen, gw } = watch(doc(false));
    const spoofed = spoofDraws(world.requests.sent);
    expect(gw).toMatchObject({ spoofAttempts: spoofed, spoofStripped: 0, spoofPassedThrough: spoofed });
    expect(seen.filter((s) => s)).toHaveLength(spoofed);
  });

  it('counts requests, not attempts: a client retrying a spoofed request is counted once, stripped or not', () => {
    for (const required of [true, false]) {
      // 100 requests, every one answered 503 and retried twice.
      const retrying = doc(required, { arrival: { type: 'script', atMs: Array.from({ length: 100 }, (_, i) => i * 20) }, retry: { maxAttempts: 3, baseDelayMs: 1, jitter: 'none' } });
      const { world, gw } = watch({ ...retrying, nodes: [...retrying.nodes.slice(0, 2), { id: 'orders', kind: 'service', serviceTime: 1, errorRate: 1, errorStatus: 503 }] });
      expect(world.requests.sent).toBe(100);
      const spoofed = spoofDraws(world.requests.sent);
      expect(gw.received).toBe(3 * world.requests.sent);
      expect(gw).toMatchObject(required ? { spoofAttempts: spoofed, spoofStripped: spoofed } : { spoofAttempts: spoofed, spoofPassedThrough: spoofed });
    }
  });

  it('spoofed requests rejected at the edge count as attempts and are stripped, but never pass through', () => {
    const nodes = (required: boolean) => [
      client('c', [0, 1, 2], { requests: [{ path: '/nope' }], spoofUserIdHeader: 1 }),
      { id: 'gw', kind: 'gateway', auth: { required }, routes: [{ prefix: '/api', target: 'orders' }] },
      orders,
    ];
    expect(run({ seed: 3, durationMs: 100, nodes: nodes(true) }).summary.nodes.gw).toMatchObject({ notFound: 3, spoofAttempts: 3, spoofStripped: 3, spoofPassedThrough: 0 });
    expect(run({ seed: 3, durationMs: 100, nodes: nodes(false) }).summary.nodes.gw).toMatchObject({ notFound: 3, spoofAttempts: 3, spoofStripped: 0, spoofPassedThrough: 0 });
  });
});

describe('rate limiting', () => {
  const gateway = (rateLimit: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id: 'gw',
    kind: 'gateway',
    routes: [{ prefix: '/api/orders', target: 'orders' }],
    rateLimit,
    ...extra,
  });

  it('fixed window per client: each client has its own window; 429 with Retry-After = ceil((reset - now) / 1 s)', () => {
    const { summary, events, live } = run({
      seed: 4,
      durationMs: 100_000,
      network: { latency: 0 },
      nodes: [
        // a's window: [0, 60000); b's: [20000, 80000).
        client('a', [0, 1000, 2000, 3000, 4000, 60000]),
        client('b', [20000, 30000, 40000, 50000]),
        gateway({ algorithm: 'fixed-window', limit: 3, windowMs: 60000, per: 'client' }),
        orders,
      ],
    });
    expect(ends(events, 'a')).toEqual([[0, 200], [1000, 200], [2000, 200], [3000, 429], [4000, 429], [60000, 200]]);
    expect(ends(events, 'b')).toEqual([[20000, 200], [30000, 200], [40000, 200], [50000, 429]]);
    const rejects = of(events, 'ratelimit.reject', 'gw');
    expect(rejects.map((e) => [e.t, e.retryAfterSec])).toEqual([[3000, 57], [4000, 56], [50000, 30]]);
    expect(rejects.map((e) => e.requestId)).toEqual([4, 5, 9]);
    expect(summary.nodes.gw).toMatchObject({ rateLimited: 3, failed: 3, ok: 7 });
    expect(summary.requests.byStatus).toEqual({ '200': 7, '429': 3 });
    expect(summary.requests.byReason).toEqual({ 'rate-limited': 3 });
    expect(live.gw!.byStatus).toEqual({ '429': 3 });
  });

  it('global: one window for all clients together', () => {
    const { summary, events } = run({
      seed: 4,
      durationMs: 100_000,
      network: { latency: 0 },
      nodes: [
        client('a', [0, 1000, 2000, 3000, 4000, 60000]),
        client('b', [20000, 30000, 40000, 50000]),
        gateway({ algorithm: 'fixed-window', limit: 3, windowMs: 60000, per: 'global' }),
        orders,
      ],
    });
    // The one window opens at 0 and resets at 60000: a's first three fill it.
    expect(ends(events, 'b').map((e) => e[1])).toEqual([429, 429, 429, 429]);
    expect(of(events, 'ratelimit.reject').map((e) => e.retryAfterSec)).toEqual([57, 56, 40, 30, 20, 10]);
    expect(summary.nodes.gw).toMatchObject({ rateLimited: 6 });
    expect(summary.requests.byStatus).toEqual({ '200': 4, '429': 6 });
  });

  it('the Retry-After travels back on the 429: a client honouring it waits exactly that long', () => {
    const { events } = run({
      seed: 5,
      durationMs: 100_000,
      network: { latency: 0 },
      nodes: [
        client('a', [0, 1000, 3000], { retry: { maxAttempts: 2, retryOn: [429], honorRetryAfter: true, baseDelayMs: 5, jitter: 'none' } }),
        gateway({ algorithm: 'fixed-window', limit: 2, windowMs: 10000 }),
        orders,
      ],
    });
    // Third request at 3000: reset at 10000, Retry-After 7 s; the retry goes at 10000 and passes.
    expect(of(events, 'retry.scheduled', 'a').map((e) => [e.t, e.delayMs])).toEqual([[3000, 7000]]);
    expect(ends(events, 'a')).toEqual([[0, 200], [1000, 200], [10000, 200]]);
  });

  it('token bucket (Envoy): starts full, refills tokensPerFill every fillIntervalMs, no Retry-After', () => {
    const { summary, events } = run({
      seed: 6,
      durationMs: 10_000,
      network: { latency: 0 },
      nodes: [
        client('a', [0, 100, 200, 999, 1000, 1001, 2500], { retry: { maxAttempts: 2, retryOn: [429], honorRetryAfter: true, baseDelayMs: 50, jitter: 'none', multiplier: 1 } }),
        client('b', [0, 1, 2]),
        gateway({ algorithm: 'token-bucket', maxTokens: 2, tokensPerFill: 1, fillIntervalMs: 1000 }),
        orders,
      ],
    });
    // a: 2 tokens at 0; 0 and 100 take them; 200 refused, its retry at 250 too; 999 refused; the
    // fill at 1000 gives 1 token, which the request of 1000 takes; 1001 refused; the retries of
    // 999 and 1001 (at 1049 and 1051) refused; 2500: the fill at 2000 gave 1.
    expect(ends(events, 'a')).toEqual([[0, 200], [100, 200], [250, 429], [1000, 200], [1049, 429], [1051, 429], [2500, 200]]);
    // Without Retry-After the client's own backoff is used.
    expect(of(events, 'retry.scheduled', 'a').map((e) => [e.t, e.delayMs])).toEqual([[200, 50], [999, 50], [1001, 50]]);
    expect(of(events, 'ratelimit.reject', 'gw').every((e) => e.retryAfterSec === -1)).toBe(true);
    // b has its own bucket.
    expect(ends(events, 'b')).toEqual([[0, 200], [1, 200], [2, 429]]);
    expect(summary.nodes.gw).toMatchObject({ rateLimited: 7 });
  });

  it('sliding window: exactly the allowed requests of the last windowMs; Retry-After until the oldest leaves', () => {
    const { summary, events } = run({
      seed: 7,
      durationMs: 20_000,
      network: { latency: 0 },
      nodes: [client('a', [0, 1000, 2500, 4999, 5000, 6000, 6001]), gateway({ algorithm: 'sliding-window', limit: 2, windowMs: 5000 }), orders],
    });
    expect(ends(events, 'a')).toEqual([[0, 200], [1000, 200], [2500, 429], [4999, 429], [5000, 200], [6000, 200], [6001, 429]]);
    expect(of(events, 'ratelimit.reject').map((e) => e.retryAfterSec)).toEqual([3, 1, 4]);
    expect(summary.nodes.gw).toMatchObject({ rateLimited: 3 });
  });

  it('checks in order 404, 401, 429: unauthenticated floods get 401s and use up no quota', () => {
    const { summary, events } = run({
      seed: 8,
      durationMs: 10_000,
      network: { latency: 0 },
      nodes: [
        client('bad', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { auth: { valid: 0, invalid: 1, missing: 0 } }),
        client('lost', [10, 11], { auth: { valid: 0, invalid: 0, missing: 1 }, requests: [{ path: '/nope' }] }),
        client('good', [100, 200, 300]),
        gateway({ algorithm: 'fixed-window', limit: 2, windowMs: 60000, per: 'global' }, { auth: { required: true } }),
        orders,
      ],
    });
    expect(ends(events, 'bad').map((e) => e[1])).toEqual(Array(10).fill(401));
    expect(ends(events, 'lost').map((e) => e[1])).toEqual([404, 404]);
    // The global window saw only the good client's requests.
    expect(ends(events, 'good')).toEqual([[100, 200], [200, 200], [300, 429]]);
    expect(summary.nodes.gw).toMatchObject({ notFound: 2, unauthorized: 10, rateLimited: 1, ok: 2, failed: 13 });
    expect(summary.requests.byReason).toEqual({ 'not-found': 2, 'rate-limited': 1, unauthorized: 10 });
  });
});

describe('overhead and answers', () => {
  it('overhead is added once per forwarded request: constant overhead + service time = exact latency', () => {
    const { summary, events } = run({
      seed: 9,
      durationMs: 10_000,
      network: { latency: 1 },
      nodes: [
        client('a', [0, 10, 20, 5000]),
        client('lost', [30], { requests: [{ path: '/nope' }] }),
        { id: 'gw', kind: 'gateway', overhead: 3, routes: [{ prefix: '/api/orders', target: 'orders' }] },
        { ...orders, serviceTime: 10 },
      ],
    });
    // 1 (client → gw) + 3 overhead + 1 (gw → orders) + 10 + 1 + 1 = 17; the 404 pays no overhead: 2.
    expect(ends(events, 'a')).toEqual([[17, 200], [27, 200], [37, 200], [5017, 200]]);
    expect(ends(events, 'lost')).toEqual([[32, 404]]);
    expect(of(events, 'attempt.start', 'gw').map((e) => e.t)).toEqual([4, 14, 24, 5004]);
    expect(summary.latencyMs.max).toBe(17);
  });

  it('a random overhead draws from its own stream and stays within its bounds', () => {
    const { summary } = run({
      seed: 10,
      durationMs: 10_000,
      network: { latency: 0 },
      nodes: [
        { id: 'a', kind: 'client', target: 'gw', arrival: { type: 'poisson', ratePerSec: 50 }, requests: [{ path: '/x' }] },
        { id: 'gw', kind: 'gateway', overhead: { dist: 'uniform', minMs: 2, maxMs: 4 }, routes: [{ prefix: '/', target: 'orders' }] },
        orders,
      ],
    });
    expect(summary.latencyMs.max).toBeLessThanOrEqual(4);
    expect(summary.latencyMs.p50).toBeGreaterThanOrEqual(2);
    expect(Math.abs(summary.latencyMs.mean - 3)).toBeLessThan(0.1);
  });

  it('maps how the route call ended to the answer', () => {
    expect(answerFor(200, Reason.ok)).toEqual({ status: 200, reason: Reason.ok });
    expect(answerFor(NO_STATUS, Reason.ok)).toEqual({ status: 200, reason: Reason.ok });
    expect(answerFor(203, Reason.fallback)).toEqual({ status: 203, reason: Reason.fallback });
    expect(answerFor(500, Reason.status)).toEqual({ status: 500, reason: Reason.status });
    expect(answerFor(503, Reason.queueFull)).toEqual({ status: 503, reason: Reason.queueFull });
    expect(answerFor(504, Reason.dependency)).toEqual({ status: 504, reason: Reason.dependency });
    expect(answerFor(429, Reason.rateLimited)).toEqual({ status: 429, reason: Reason.rateLimited });
    expect(answerFor(NO_STATUS, Reason.timeout)).toEqual({ status: 504, reason: Reason.dependency });
    expect(answerFor(NO_STATUS, Reason.refused)).toEqual({ status: 503, reason: Reason.dependency });
    expect(answerFor(NO_STATUS, Reason.shortCircuited)).toEqual({ status: 503, reason: Reason.dependency });
    expect(answerFor(NO_STATUS, Reason.bulkhead)).toEqual({ status: 503, reason: Reason.dependency });
  });

  it('end to end: upstream status kept, route timeout 504, route retries counted, short-circuit 503, fallback ok', () => {
    const { summary, events } = run({
      seed: 11,
      durationMs: 10_000,
      network: { latency: 0 },
      nodes: [
        client('a', [0], { requests: [{ path: '/err' }] }),
        client('b', [0], { requests: [{ path: '/slow' }] }),
        client('c', [0, 100, 200], { requests: [{ path: '/flaky' }] }),
        client('d', [0], { requests: [{ path: '/fb' }] }),
        {
          id: 'gw',
          kind: 'gateway',
          routes: [
            { prefix: '/err', target: 'err' },
            { prefix: '/slow', target: 'slow', timeoutMs: 50 },
            { prefix: '/flaky', target: 'flaky', retry: { maxAttempts: 2, baseDelayMs: 10, jitter: 'none' }, breaker: { model: 'consecutive', failureThreshold: 2, resetTimeoutMs: 60000 } },
            { prefix: '/fb', target: 'err', fallback: { status: 200, label: 'cached' } },
          ],
        },
        { id: 'err', kind: 'service', serviceTime: 1, errorRate: 1, errorStatus: 500 },
        { id: 'slow', kind: 'service', serviceTime: 100 },
        { id: 'flaky', kind: 'service', serviceTime: 1, errorRate: 1, errorStatus: 503 },
      ],
    });
    expect(of(events, 'request.end', 'a')[0]).toMatchObject({ t: 1, status: 500, reason: 'status' });
    expect(of(events, 'request.end', 'b')[0]).toMatchObject({ t: 50, status: 504, reason: 'dependency' });
    // c: the first request fails twice (503, retried after 10 ms) and opens the breaker; the next two are short-circuited.
    expect(of(events, 'request.end', 'c').map((e) => [e.t, e.status, e.reason])).toEqual([
      [12, 503, 'status'],
      [100, 503, 'dependency'],
      [200, 503, 'dependency'],
    ]);
    expect(of(events, 'request.end', 'd')[0]).toMatchObject({ t: 1, status: 200, reason: 'fallback' });
    expect(summary.nodes.gw).toMatchObject({ received: 6, ok: 1, failed: 5, attempts: 5, retries: 1, timeouts: 1, shortCircuited: 2, breakerOpens: 1, fallbacks: 1 });
    expect(summary.requests).toMatchObject({ sent: 6, ok: 1, failed: 5, inFlight: 0 });
  });

  it('accounting holds mid-run with requests inside the gateway, and at the end', () => {
    const r = createRun(
      scenario({
        seed: 12,
        durationMs: 30_000,
        nodes: [
          { id: 'users', kind: 'client', target: 'gw', arrival: { type: 'poisson', ratePerSec: 200 }, requests: [{ path: '/api/orders/1', weight: 5 }, { path: '/api/users' }, { path: '/x' }], auth: { valid: 9, missing: 1 }, spoofUserIdHeader: 0.1, timeoutMs: 500, retry: { maxAttempts: 3 } },
          { id: 'bots', kind: 'client', target: 'gw', arrival: { type: 'poisson', ratePerSec: 100 }, requests: [{ path: '/api/orders' }] },
          {
            id: 'gw',
            kind: 'gateway',
            auth: { required: true },
            overhead: { dist: 'exponential', meanMs: 2 },
            rateLimit: { algorithm: 'token-bucket', maxTokens: 50, tokensPerFill: 10, fillIntervalMs: 100 },
            routes: [
              { prefix: '/api/orders', target: 'orders', timeoutMs: 100, retry: { maxAttempts: 2 } },
              { prefix: '/api/users', target: 'users-svc', bulkhead: { maxConcurrent: 2, maxQueue: 0 } },
            ],
          },
          { id: 'orders', kind: 'service', concurrency: 4, queueLimit: 20, serviceTime: { dist: 'exponential', meanMs: 15 }, errorRate: 0.05 },
          { id: 'users-svc', kind: 'service', serviceTime: 5 },
        ],
      }),
    );
    r.advanceTo(10_000);
    const mid = r.summary();
    expect(mid.invariants).toEqual({ ok: true, violations: [] });
    expect(r.nodeStates().gw).toMatchObject({ kind: 'gateway' });
    r.runToEnd();
    const s = r.summary();
    expect(s.invariants).toEqual({ ok: true, violations: [] });
    const gw = s.nodes.gw!;
    for (const k of ['notFound', 'unauthorized', 'rateLimited', 'spoofStripped', 'retries', 'timeouts']) expect(gw[k], k).toBeGreaterThan(0);
    const live = r.nodeStates().gw!;
    expect(live.byStatus['401']).toBe(gw.unauthorized);
    expect(live.byStatus['429']).toBe(gw.rateLimited);
  });
});

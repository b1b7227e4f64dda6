/**
 * Per-route rate limits and tokens that expire (src/model/gateway/gateway.ts, src/model/client.ts).
 * Kong runs a route-scoped rate-limiting plugin beside a global one (docs.konghq.com, "Rate
 * Limiting" plugin, scopes: global, service, route, consumer); a refusal by either is a 429. An
 * OAuth 2.0 bearer token that expired is answered 401 with error="invalid_token" (RFC 6750 §3.1),
 * and the client obtains a new token and retries.
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent } from '../../../src/run/types';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>) {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants).toEqual({ ok: true, violations: [] });
  return { summary, events: r.eventLog() };
}

const ends = (events: LoggedEvent[], client: string) => events.filter((e) => e.kind === 'request.end' && e.node === client).map((e) => [e.t, e.status]);

describe('per-route rate limits', () => {
  const doc = (routeLimit: unknown, gatewayLimit: unknown = null) => ({
    seed: 'routes',
    durationMs: 1000,
    network: { latency: 0 },
    nodes: [
      { id: 'shop', kind: 'client', target: 'gw', arrival: { type: 'script', atMs: [0, 10, 20, 30, 40] }, requests: [{ path: '/api/orders' }] },
      { id: 'search', kind: 'client', target: 'gw', arrival: { type: 'script', atMs: [0, 10, 20, 30, 40] }, requests: [{ path: '/api/search' }] },
      {
        id: 'gw',
        kind: 'gateway',
        rateLimit: gatewayLimit,
        routes: [
          { prefix: '/api/orders', target: 'orders' },
          { prefix: '/api/search', target: 'orders', rateLimit: routeLimit },
        ],
      },
      { id: 'orders', kind: 'service', serviceTime: 0 },
    ],
  });

  it("a route's own limit refuses only that route's requests past its limit", () => {
    const { summary, events } = run(doc({ algorithm: 'fixed-window', limit: 2, windowMs: 1000, per: 'global' }));
    expect(ends(events, 'search')).toEqual([
      [0, 200],
      [10, 200],
      [20, 429],
      [30, 429],
      [40, 429],
    ]);
    expect(ends(events, 'shop').every(([, s]) => s === 200)).toBe(true);
    expect(summary.nodes.gw).toMatchObject({ rateLimited: 3, routeRateLimited: 3 });
  });

  it("the gateway's limit is checked first: what it refuses uses none of the route's quota", () => {
    // The global token bucket lets the first six requests through (three of each client, in send order).
    const { summary, events } = run(doc({ algorithm: 'fixed-window', limit: 3, windowMs: 1000, per: 'global' }, { algorithm: 'token-bucket', maxTokens: 6, fillIntervalMs: 100_000, per: 'global' }));
    expect(ends(events, 'search').map(([, s]) => s)).toEqual([200, 200, 200, 429, 429]);
    expect(summary.nodes.gw).toMatchObject({ rateLimited: 4, routeRateLimited: 0 });
  });
});

describe('tokens that expire', () => {
  const doc = (authRequired: boolean) => ({
    seed: 'tokens',
    durationMs: 20_000,
    network: { latency: 1 },
    nodes: [
      { id: 'app', kind: 'client', target: 'gw', arrival: { type: 'constant', ratePerSec: 50 }, auth: { valid: 0.8, expired: 0.2 }, tokenRefreshMs: 40, requests: [{ path: '/api' }] },
      { id: 'gw', kind: 'gateway', auth: { required: authRequired }, routes: [{ prefix: '/api', target: 'api' }] },
      { id: 'api', kind: 'service', serviceTime: 5 },
    ],
  });

  it('a request with an expired token gets 401, the client refreshes and sends it again: it succeeds, later', () => {
    const { summary, events } = run(doc(true));
    expect(summary.requests.failed).toBe(0);
    const refreshes = Number(summary.nodes.app!.tokenRefreshes);
    // One request in five carries an expired token.
    expect(refreshes / summary.requests.sent).toBeGreaterThan(0.15);
    expect(refreshes / summary.requests.sent).toBeLessThan(0.25);
    expect(summary.nodes.gw).toMatchObject({ unauthorized: refreshes, tokenExpired: refreshes });
    // Each refreshed request took two round trips and the refresh: 401 (2 ms) + 40 ms + the call (2 + 2 + 5 ms).
    expect(summary.latencyMs.max).toBeCloseTo(2 + 40 + 9, 0);
    const attempts = events.filter((e) => e.kind === 'attempt.start' && e.node === 'app').length;
    expect(attempts).toBe(summary.requests.sent + refreshes);
  });

  it('a gateway that checks no tokens lets an expired one through: nothing is refreshed', () => {
    const { summary } = run(doc(false));
    expect(summary.nodes.app!.tokenRefreshes).toBe(0);
    expect(summary.latencyMs.max).toBeCloseTo(9, 0);
  });
});

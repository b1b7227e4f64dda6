import { describe, expect, it } from 'vitest';
import { serviceFigures } from '../../src/app/kinds/service';
import { gatewayFigures } from '../../src/app/kinds/gateway';
import { queueFigures } from '../../src/app/kinds/queue';
import { clientFigures } from '../../src/app/kinds/client';
import { exchangeFigures } from '../../src/app/kinds/exchange';
import { aFigure, figureLinesThatFit, PRESENTER_PX, presenterBox } from '../../src/app/kinds/shared';
import { PRESENTER_GROW } from '../../src/app/kinds/define';
import { APP_KINDS } from '../../src/app/kinds';
import { GAP_X, GAP_Y } from '../../src/app/canvas/layout';
import { callOf, guardText } from '../../src/app/canvas/edges';
import type { NodeState } from '../../src/run/types';

type Service = Extract<NodeState, { kind: 'service' }>;
const base = { received: 0, ok: 0, failed: 0, byStatus: {}, calls: [] };
const service = (over: Partial<Service>): Service => ({ kind: 'service', busy: 0, capacity: 4, queued: 0, instancesUp: 1, instances: 1, utilization: 0, queueMax: 0, ...base, ...over });
const text = (fs: { value: string; label: string }[]) => fs.map((f) => `${f.value} ${f.label}`);

describe('the figures each kind shows at the presenter level of detail', () => {
  it('a service: ok and failed first, what waits when something does, utilization', () => {
    expect(text(serviceFigures('api', service({ received: 120, ok: 117, failed: 3, utilization: 0.1634 })))).toEqual(['117 ok', '3 failed', '16% utilization']);
    expect(text(serviceFigures('api', service({ queued: 7 }))).slice(2)).toEqual(['7 queued', '0% utilization']);
  });

  it('a consuming service: processed, then its duplicates, the harm first when it is not idempotent; no 0 ok when it answers no requests', () => {
    const messages = { deliveries: 110, processed: 100, duplicatesSkipped: 10, duplicateSideEffects: 0, idempotent: true };
    expect(text(serviceFigures('pay', service({ messages })))).toEqual(['100 processed', '10 dups skipped', '0 dup side effects', '0% utilization']);
    const careless = { deliveries: 110, processed: 110, duplicatesSkipped: 0, duplicateSideEffects: 10, idempotent: false };
    const figures = serviceFigures('loyalty', service({ messages: careless }));
    expect(text(figures).slice(0, 3)).toEqual(['110 processed', '10 dup side effects', '0 dups skipped']);
    expect(figures[1]!.tone).toBe('bad');
    expect(text(serviceFigures('both', service({ messages, received: 5, ok: 5 }))).slice(3, 5)).toEqual(['5 ok', '0 failed']);
  });

  it('a gateway: allowed, denied (its own 401s and 429s), other failures and stripped spoofed ids when there are any', () => {
    const live: Extract<NodeState, { kind: 'gateway' }> = { kind: 'gateway', pending: 0, spoofAttempts: 30, spoofStripped: 30, received: 200, ok: 150, failed: 50, byStatus: { '401': 30, '429': 12, '503': 8 }, calls: [] };
    expect(text(gatewayFigures('edge', live))).toEqual(['150 allowed', '42 denied (30×401, 12×429)', '8 failed', '30/30 spoofed ids stripped']);
    expect(text(gatewayFigures('edge', { ...live, spoofAttempts: 0, spoofStripped: 0, failed: 0, byStatus: {} }))).toEqual(['150 allowed', '0 denied']);
  });

  it('a queue, a client, an exchange', () => {
    expect(text(queueFigures('q', { kind: 'queue', depth: 12, unacked: 3, deadLettered: 2, dropped: 0, ...base, ok: 40 }))).toEqual(['12 depth', '40 acked', '2 dead-lettered']);
    expect(text(clientFigures('c', { kind: 'client', ...base, ok: 9, failed: 1 }, 20))).toEqual(['20.0/s sent', '9 ok', '1 failed']);
    expect(text(exchangeFigures('x', { kind: 'exchange', unroutable: 0, ...base, received: 7 }))).toEqual(['7 published']);
  });

  it('counts the figure lines a box holds at a zoom, so none is drawn clipped', () => {
    const p = PRESENTER_PX;
    const chrome = 2 * (p.border + p.padY) + p.nameLine;
    expect(figureLinesThatFit(100, (chrome + 2 * p.figureLine) / 100)).toBe(2);
    expect(figureLinesThatFit(100, (chrome + 2 * p.figureLine - 1) / 100)).toBe(1);
    expect(figureLinesThatFit(100, 0.1)).toBe(0);
  });

  it('grows the boxes into less than the room the layout leaves between them', () => {
    expect(PRESENTER_GROW.width).toBeLessThan(GAP_X);
    expect(PRESENTER_GROW.height).toBeLessThan(GAP_Y);
    expect(presenterBox(APP_KINDS.service.size)).toEqual({ width: APP_KINDS.service.size.width + PRESENTER_GROW.width, height: APP_KINDS.service.size.height + PRESENTER_GROW.height });
  });
});

describe("an edge's bulkhead and fallback figures", () => {
  const call = (target: string, bulkheadRejected: number, fallbacks: number) => ({ target, breaker: null, attempts: 0, retries: 0, timeouts: 0, shortCircuited: 0, breakerOpens: 0, bulkheadRejected, fallbacks });
  it('finds the nth call to a target and says what its bulkhead refused and its fallback answered', () => {
    const calls = [call('pricing', 0, 0), call('recs', 12, 12), call('recs', 0, 1)];
    expect(guardText(callOf(calls, 'recs'))).toBe('12 bulkhead-rejected · 12 fallbacks');
    expect(guardText(callOf(calls, 'recs', 1))).toBe('1 fallback');
    expect(guardText(callOf(calls, 'pricing'))).toBe('');
    expect(guardText(callOf(calls, 'nowhere'))).toBe('');
  });
});

describe("run A's line at the presenter level of detail, in compare view", () => {
  it("says A's ok and failed, or a consumer's messages", () => {
    expect(aFigure('api', service({ received: 10, ok: 9, failed: 1 }))).toMatchObject({ value: 'A', label: '9 ok · 1 failed', testId: 'fig-api-a' });
    const messages = { deliveries: 12, processed: 12, duplicatesSkipped: 0, duplicateSideEffects: 2, idempotent: false };
    expect(aFigure('loyalty', service({ messages })).label).toBe('2 dup effects · 12 processed');
  });
});

/**
 * The saga orchestrator (src/model/saga.ts). The rules come from the saga pattern as Garcia-Molina
 * and Salem defined it ("Sagas", SIGMOD 1987: a saga runs T1..Tn, or T1..Tj then the
 * compensations Cj..C1 — in reverse, and only of the transactions that committed) and from the
 * course notes' orchestrated order saga (reserve inventory, charge payment, confirm order; on a
 * failed payment: release inventory, cancel).
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';
import { buildWaterfall } from '../../src/run/waterfall';
import { scenario } from '../helpers/scenarios';

interface Out {
  summary: RunSummary;
  events: LoggedEvent[];
}

function run(doc: Record<string, unknown>): Out {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants).toEqual({ ok: true, violations: [] });
  return { summary, events: r.eventLog() };
}

const steps = [
  { name: 'create order', target: 'orders', compensation: { target: 'orders' } },
  { name: 'reserve stock', target: 'inventory', compensation: { target: 'inventory' } },
  { name: 'charge card', target: 'payments', timeoutMs: 1000, compensation: { target: 'payments' } },
  { name: 'ship', target: 'shipping' },
];

function shop(extra: { orchestrator?: Record<string, unknown>; faults?: unknown[]; atMs?: number[]; durationMs?: number } = {}): Record<string, unknown> {
  return {
    seed: 'saga',
    durationMs: extra.durationMs ?? 10000,
    network: { latency: 1 },
    nodes: [
      { id: 'users', kind: 'client', target: 'saga', arrival: { type: 'script', atMs: extra.atMs ?? [100] }, timeoutMs: 5000 },
      { id: 'saga', kind: 'orchestrator', steps, ...extra.orchestrator },
      { id: 'orders', kind: 'service', serviceTime: 5 },
      { id: 'inventory', kind: 'service', serviceTime: 5 },
      { id: 'payments', kind: 'service', serviceTime: 5 },
      { id: 'shipping', kind: 'service', serviceTime: 5 },
    ],
    faults: extra.faults ?? [],
  };
}

const sagaEvents = (events: LoggedEvent[]) =>
  events.filter((e) => e.kind.startsWith('saga.')).map((e) => (e.kind === 'saga.step' || e.kind === 'saga.compensate' ? `${e.kind.slice(5)} ${Number(e.step) + 1}` : e.kind === 'saga.stepEnd' || e.kind === 'saga.compensateEnd' ? `${e.kind.slice(5)} ${Number(e.step) + 1} ${e.ok ? 'ok' : 'failed'}` : e.kind.slice(5)));

describe('an orchestrated saga', () => {
  it('runs its steps in order; all succeed: completed, and the caller gets 200', () => {
    const { summary, events } = run(shop());
    expect(sagaEvents(events)).toEqual(['start', 'step 1', 'stepEnd 1 ok', 'step 2', 'stepEnd 2 ok', 'step 3', 'stepEnd 3 ok', 'step 4', 'stepEnd 4 ok', 'completed']);
    expect(summary.sagas).toEqual({ started: 1, completed: 1, compensated: 0, stuck: 0, running: 0 });
    expect(summary.requests.byStatus).toEqual({ '200': 1 });
  });

  it('a failed step: the completed steps are compensated in reverse; the failed one is not (it never committed)', () => {
    const { summary, events } = run(shop({ faults: [{ atMs: 0, target: 'payments', kind: 'error', status: 402 }] }));
    expect(sagaEvents(events)).toEqual([
      'start',
      'step 1',
      'stepEnd 1 ok',
      'step 2',
      'stepEnd 2 ok',
      'step 3',
      'stepEnd 3 failed',
      'compensate 2',
      'compensateEnd 2 ok',
      'compensate 1',
      'compensateEnd 1 ok',
      'compensated',
    ]);
    expect(summary.sagas).toMatchObject({ started: 1, compensated: 1 });
    // The caller hears compensatedStatus (409 by default).
    expect(summary.requests.byStatus).toEqual({ '409': 1 });
  });

  it('a step that times out counts as failed and is compensated from the step before it', () => {
    const { events } = run(shop({ faults: [{ atMs: 0, target: 'payments', kind: 'hang' }] }));
    const end = events.find((e) => e.kind === 'saga.stepEnd' && e.step === 2)!;
    expect(end.ok).toBe(false);
    expect(end.t).toBeCloseTo(100 + 1 + 6 + 1 + 6 + 1 + 1000, 0);
  });

  it('a compensation that keeps failing is run compensationRounds times, then given up: stuck, and cancelling the order still runs', () => {
    const { summary, events } = run(
      shop({
        orchestrator: { compensationRounds: 3, compensationRetryDelayMs: 500 },
        faults: [
          { atMs: 0, target: 'payments', kind: 'error', status: 402 },
          // Inventory breaks after the reservation (which it took at 108 ms) and before its release (117 ms).
          { atMs: 115, target: 'inventory', kind: 'error', status: 503 },
        ],
      }),
    );
    const seq = sagaEvents(events);
    expect(seq.filter((x) => x === 'compensateEnd 2 failed')).toHaveLength(3);
    expect(seq.slice(-3)).toEqual(['compensate 1', 'compensateEnd 1 ok', 'stuck']);
    expect(summary.sagas).toMatchObject({ started: 1, stuck: 1, compensated: 0 });
    expect(summary.requests.byStatus).toEqual({ '500': 1 });
    const rounds = events.filter((e) => e.kind === 'saga.compensate' && e.step === 1).map((e) => e.t);
    expect(rounds[1]! - rounds[0]!).toBeGreaterThanOrEqual(500);
  });
});

describe('an orchestrator that crashes', () => {
  const crash = [{ atMs: 110, untilMs: 3000, target: 'saga', kind: 'crash' }];

  it('with its state persisted, each saga resumes after the restart and completes; the caller, cut off, times out', () => {
    const { summary, events } = run(shop({ orchestrator: { persistState: true }, faults: crash }));
    expect(summary.sagas).toEqual({ started: 1, completed: 1, compensated: 0, stuck: 0, running: 0 });
    expect(events.find((e) => e.kind === 'saga.resume')!.t).toBe(3000);
    // The step in flight at the crash is run again: its outcome was never recorded.
    expect(summary.nodes.saga!.stepsRepeated).toBe(1);
    expect(summary.requests.byStatus).toEqual({ timeout: 1 });
  });

  it('with its state in memory, every running saga is stuck at the crash, its completed steps never undone', () => {
    const { summary, events } = run(shop({ orchestrator: { persistState: false }, faults: crash }));
    expect(summary.sagas).toEqual({ started: 1, completed: 0, compensated: 0, stuck: 1, running: 0 });
    expect(events.find((e) => e.kind === 'saga.stuck')!.t).toBe(110);
    expect(events.filter((e) => e.kind === 'saga.compensate')).toEqual([]);
  });

  it('a saga still running when the run ends is counted as running', () => {
    const { summary } = run(shop({ orchestrator: { persistState: true }, faults: [{ atMs: 110, target: 'saga', kind: 'crash' }] }));
    expect(summary.sagas).toEqual({ started: 1, completed: 0, compensated: 0, stuck: 0, running: 1 });
  });

  it('while down it refuses new sagas', () => {
    const { summary } = run(shop({ atMs: [100, 1000, 2000], faults: [{ atMs: 500, untilMs: 2500, target: 'saga', kind: 'crash' }] }));
    expect(summary.nodes.saga!.refused).toBe(2);
    expect(summary.sagas!.started).toBe(1);
  });
});

describe("one saga's waterfall", () => {
  it('draws the saga, its steps and its compensations on the timeline of the request that started it', () => {
    const { events } = run(shop({ faults: [{ atMs: 0, target: 'payments', kind: 'error', status: 402 }] }));
    const w = buildWaterfall(events, 1);
    const kinds = w.spans.filter((s) => s.kind === 'saga' || s.kind === 'step' || s.kind === 'compensation').map((s) => [s.kind, s.label, s.outcome]);
    expect(kinds).toEqual([
      ['saga', 'saga 1 at saga', 'rejected'],
      ['step', 'step 1', 'ok'],
      ['step', 'step 2', 'ok'],
      ['step', 'step 3', 'error'],
      ['compensation', 'undo step 2', 'ok'],
      ['compensation', 'undo step 1', 'ok'],
    ]);
    // The calls of each step sit inside its span.
    const step3 = w.spans.find((s) => s.label === 'step 3')!;
    const payment = w.spans.find((s) => s.kind === 'attempt' && s.target === 'payments')!;
    expect(payment.startMs).toBeGreaterThanOrEqual(step3.startMs);
    expect(payment.endMs).toBeLessThanOrEqual(step3.endMs);
  });
});

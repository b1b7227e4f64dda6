import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { parseScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';
import type { Hop, HopFlow } from '../../src/run/types';

/** Users -> api -> db, with db failing a tenth of its calls and api retrying them. */
const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'hops',
  seed: 'hops',
  durationMs: 10_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 400 } },
    { id: 'api', kind: 'service', concurrency: 64, serviceTime: 2, calls: [{ target: 'db', timeoutMs: 500, retry: { maxAttempts: 2, baseDelayMs: 5 } }] },
    { id: 'db', kind: 'service', concurrency: 64, serviceTime: { dist: 'exponential', meanMs: 3 }, errorRate: 0.1 },
  ],
};

const total = (flows: readonly HopFlow[]) => flows.reduce((a, f) => a + Object.values(f.counts).reduce((b, n) => b + n, 0), 0);

function lanes(hops: readonly Hop[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of hops) out.set(`${h.from}>${h.to} ${h.direction}`, (out.get(`${h.from}>${h.to} ${h.direction}`) ?? 0) + 1);
  return out;
}

describe('the hop recorder', () => {
  it('keeps every hop while they fit, and counts each by lane and fate', () => {
    const run = createRun(parseScenario(doc), { recordHops: true, maxHopsPerTake: 1_000_000 });
    run.advanceTo(2_000);
    const { hops, dropped, flows } = run.takeHops();
    expect(dropped).toBe(0);
    expect(hops.length).toBeGreaterThan(2_000);
    expect(total(flows)).toBe(hops.length);
    for (const f of flows) {
      const kept = hops.filter((h) => h.from === f.from && h.to === f.to && h.direction === f.direction);
      for (const [fate, n] of Object.entries(f.counts)) expect(kept.filter((h) => h.fate === fate)).toHaveLength(n);
    }
    // Lanes of this graph: users<->api and api<->db, requests and responses; db's failures show as errors.
    expect(flows.map((f) => `${f.from}>${f.to} ${f.direction}`).sort()).toEqual(['api>db request', 'api>users response', 'db>api response', 'users>api request']);
    expect(flows.find((f) => f.from === 'db' && f.direction === 'response')?.counts.error).toBeGreaterThan(0);
  });

  it('past the cap keeps an even sample across the whole take, while the flows still count every hop', () => {
    const all = createRun(parseScenario(doc), { recordHops: true, maxHopsPerTake: 1_000_000 });
    const capped = createRun(parseScenario(doc), { recordHops: true, maxHopsPerTake: 1_000 });
    all.advanceTo(3_000);
    capped.advanceTo(3_000);
    const every = all.takeHops();
    const sample = capped.takeHops();
    expect(sample.flows).toEqual(every.flows);
    expect(sample.hops.length).toBeGreaterThan(500);
    expect(sample.hops.length).toBeLessThanOrEqual(1_000);
    expect(sample.hops.length + sample.dropped).toBe(every.hops.length);
    // Every 2^k-th hop of the same sequence, from the first to near the last: not the first 300.
    const stride = Math.round(every.hops.length / sample.hops.length);
    expect(2 ** Math.round(Math.log2(stride))).toBe(stride);
    sample.hops.forEach((h, i) => expect(h).toEqual(every.hops[i * stride]));
    expect(sample.hops[sample.hops.length - 1]!.departMs).toBeGreaterThan(3_000 - 3_000 / 500);
    // Lanes keep their share of the sample (to within sampling noise: about 0.02 for 600 hops).
    const sampled = lanes(sample.hops);
    for (const [lane, n] of lanes(every.hops)) expect(Math.abs((sampled.get(lane) ?? 0) / sample.hops.length - n / every.hops.length)).toBeLessThan(0.05);
  });

  it('starts each take afresh', () => {
    const run = createRun(parseScenario(doc), { recordHops: true, maxHopsPerTake: 100 });
    run.advanceTo(1_000);
    const first = run.takeHops();
    run.advanceTo(1_050);
    const second = run.takeHops();
    expect(first.dropped).toBeGreaterThan(0);
    expect(second.hops.every((h) => h.departMs > 1_000)).toBe(true);
    expect(total(second.flows)).toBe(second.hops.length + second.dropped);
    expect(run.takeHops()).toEqual({ hops: [], dropped: 0, flows: [] });
  });

  it('recording hops changes nothing the run computes', () => {
    const plain = createRun(parseScenario(doc));
    const recorded = createRun(parseScenario(doc), { recordHops: true, maxHopsPerTake: 50 });
    plain.advanceTo(4_000);
    for (let t = 100; t <= 4_000; t += 100) {
      recorded.advanceTo(t);
      recorded.takeHops();
    }
    expect(recorded.summary().traceHash).toBe(plain.summary().traceHash);
  });
});

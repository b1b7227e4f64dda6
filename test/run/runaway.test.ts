import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run';
import { parseScenario } from '../../src/scenario/validate';
import { PRESETS } from '../../src/scenario/presets';
import { variantDocument, variantNames } from '../../src/scenario/variants';
import { busyStation, standardHour, thirtyNodes } from '../helpers/heavy';
import type { Run } from '../../src/run';

const fixture = (name: string) => parseScenario(JSON.parse(readFileSync(`test/fixtures/runaway/${name}.json`, 'utf8')));
/** The too-fast rule judged over 150,000 events instead of three million keeps the tests quick; the rule is the same. */
const runaway = { fastEvents: 150_000 };

/** Run to the end in slices of one look, returning the highest pace (events per simulated ms) over any 100,000 events. */
function peakPace(run: Run): number {
  const times: number[] = [0];
  let peak = 0;
  while (!run.finished) {
    run.advanceTo(run.durationMs, 50_000);
    times.push(run.nowMs);
    if (times.length > 2 && run.events % 50_000 === 0) peak = Math.max(peak, 100_000 / Math.max(1e-9, times[times.length - 1]! - times[times.length - 3]!));
  }
  return peak;
}

describe('the runaway detector', () => {
  it('stops a closed loop with no think time, no work and no latency, naming the client, at simulated time 0', () => {
    const run = createRun(fixture('closed-loop'), { runaway });
    run.runToEnd();
    const s = run.summary();
    expect(s.events).toBe(150_000);
    expect(s.simTimeMs).toBe(0);
    expect(s.stoppedBy).toMatch(/^limit reached: a runaway — 150,000 events while simulated time moved 0\.0 ms/);
    expect(s.stoppedBy).toMatch(/driven by client "users" \(\d[\d,]* requests sent in the last 50,000 events\), at 0\.0 ms/);
    expect(s.invariants.ok).toBe(true);
  });

  it('stops a retry storm (four hops of ten retries onto a failing leaf) within 400,000 events, its pace still rising, naming a service that retries', () => {
    const run = createRun(fixture('retry-storm'));
    run.runToEnd();
    const s = run.summary();
    expect(s.stoppedBy).toMatch(
      /^limit reached: a runaway — the pace of events kept rising, [\d,]+ → [\d,]+ → [\d,]+ → [\d,]+ events per simulated ms over the last 300,000 events \(driven by service "[a-d]" retrying its calls \([\d,]+ retries of [\d,]+ attempts in the last 50,000 events\), at \d+\.\d ms\)$/,
    );
    expect(s.events).toBeLessThanOrEqual(400_000);
    expect(s.simTimeMs).toBeLessThan(200);
    expect(s.invariants.ok).toBe(true);
  });

  it('the rising rule leaves alone a storm that could reach its end within the event limit', () => {
    const doc = JSON.parse(readFileSync('test/fixtures/runaway/retry-storm.json', 'utf8')) as { durationMs: number };
    const run = createRun(parseScenario({ ...doc, durationMs: 150 }));
    run.runToEnd();
    expect(run.summary().stoppedBy).toBeNull();
    expect(run.summary().simTimeMs).toBe(150);
  });

  it('stops at the same event with the same sentence however the run is sliced', () => {
    const straight = createRun(fixture('retry-storm'));
    straight.runToEnd();
    const sliced = createRun(fixture('retry-storm'));
    let t = 0;
    let step = 7;
    while (!sliced.finished) {
      sliced.advanceTo(t, 12_345 + step);
      t += 0.5;
      step = (step * 31) % 997;
    }
    expect(sliced.summary().events).toBe(straight.summary().events);
    expect(sliced.summary().stoppedBy).toBe(straight.summary().stoppedBy);
    expect(sliced.summary().traceHash).toBe(straight.summary().traceHash);
  });

  it('names the component that drove the run when the event limit stops it', () => {
    const run = createRun(fixture('retry-storm'), { maxEvents: 60_000 });
    run.runToEnd();
    expect(run.summary().stoppedBy).toMatch(/^limit reached: 60,000 events in one run \(driven by (service "[a-d]" retrying its calls|client "users") .*in the last 10,000 events\)/);
  });

  it('names the culprit when the event limit falls on a look', () => {
    const run = createRun(fixture('retry-storm'), { maxEvents: 100_000 });
    run.runToEnd();
    expect(run.summary().stoppedBy).toMatch(/^limit reached: 100,000 events in one run \(driven by (service "[a-d]" retrying its calls|client "users") .*in the last 50,000 events\)/);
  });

  it('stops a run whose pending events pile up', () => {
    const run = createRun(fixture('retry-storm'), { maxEvents: 2_000_000, runaway: { maxPending: 5_000, maxEventsPerSimMs: 1e12, risingPace: Infinity } });
    run.runToEnd();
    expect(run.summary().stoppedBy).toMatch(/^limit reached: more than 5,000 events pending at once \([\d,]+ requests in flight; driven by /);
  });

  it('leaves a heavy but steady scenario alone', () => {
    const doc = parseScenario({
      format: 'faultline/1',
      name: 'steady',
      durationMs: 2_000,
      nodes: [
        { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 20_000 } },
        { id: 'api', kind: 'service', concurrency: 1000, serviceTime: 1, calls: [{ target: 'db', retry: { maxAttempts: 3 } }] },
        { id: 'db', kind: 'service', concurrency: 1000, serviceTime: 1, errorRate: 0.2 },
      ],
    });
    const run = createRun(doc, { runaway });
    run.runToEnd();
    expect(run.summary().stoppedBy).toBeNull();
    expect(run.summary().simTimeMs).toBe(2_000);
  });

  it('leaves every preset and each of its variants alone', () => {
    for (const p of PRESETS) {
      const docs = [p.document, ...variantNames(p.document).map((v) => {
        const r = variantDocument(p.document, v);
        if (!r.ok) throw new Error(`${p.slug}: variant ${v}`);
        return r.document;
      })];
      for (const doc of docs) {
        const run = createRun(parseScenario(doc), { runaway: { fastEvents: 50_000 } });
        run.runToEnd();
        expect(run.summary().stoppedBy, p.slug).toBeNull();
      }
    }
  });

  it('leaves thirty nodes for ten minutes alone, its pace far below either rule', () => {
    const run = createRun(parseScenario(thirtyNodes()));
    expect(peakPace(run)).toBeLessThan(100);
    expect(run.summary().stoppedBy).toBeNull();
    expect(run.summary().simTimeMs).toBe(600_000);
  });

  it('leaves the standard scenario at 1,000 requests/s alone (a minute of its steady hour)', () => {
    const run = createRun(parseScenario(standardHour(60_000)));
    expect(peakPace(run)).toBeLessThan(100);
    expect(run.summary().stoppedBy).toBeNull();
    expect(run.summary().simTimeMs).toBe(60_000);
  });

  it('leaves M/M/1 at 100,000 requests/s and M/M/1000 at a million requests/s alone', () => {
    for (const [doc, pace] of [
      [busyStation(100_000, 1, 5_000), 1_000],
      [busyStation(1_000_000, 1000, 300), 5_000],
    ] as const) {
      const run = createRun(parseScenario(doc));
      expect(peakPace(run)).toBeLessThan(pace);
      expect(run.summary().stoppedBy).toBeNull();
      expect(run.summary().simTimeMs).toBe(doc.durationMs);
    }
  });
});

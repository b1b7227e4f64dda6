import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run';
import { parseScenario } from '../../src/scenario/validate';

const fixture = (name: string) => parseScenario(JSON.parse(readFileSync(`test/fixtures/runaway/${name}.json`, 'utf8')));
/** Smaller looks than the default (a million events) keep the tests quick; the rule is the same. */
const runaway = { windowEvents: 50_000 };
/** The storm takes a few simulated ms to pass the default rate (about 2 million events): a lower rate stops it sooner here. */
const stormRunaway = { windowEvents: 50_000, maxEventsPerSimMs: 2_000 };

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

  it('stops a retry storm (four hops of ten retries onto a failing leaf) early, naming a service that retries', () => {
    const run = createRun(fixture('retry-storm'), { runaway: stormRunaway });
    run.runToEnd();
    const s = run.summary();
    expect(s.stoppedBy).toMatch(/^limit reached: a runaway — 150,000 events while simulated time moved [\d.]+ ms, faster than 2,000 events per simulated ms \(driven by service "[a-d]" retrying its calls/);
    expect(s.simTimeMs).toBeLessThan(1_000);
    expect(s.invariants.ok).toBe(true);
  });

  it('stops at the same event with the same sentence however the run is sliced', () => {
    const straight = createRun(fixture('retry-storm'), { runaway: stormRunaway });
    straight.runToEnd();
    const sliced = createRun(fixture('retry-storm'), { runaway: stormRunaway });
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
    const run = createRun(fixture('retry-storm'), { maxEvents: 60_000, runaway });
    run.runToEnd();
    expect(run.summary().stoppedBy).toMatch(/^limit reached: 60,000 events in one run \(driven by (service "[a-d]" retrying its calls|client "users")/);
  });

  it('stops a run whose pending events pile up', () => {
    const run = createRun(fixture('retry-storm'), { maxEvents: 2_000_000, runaway: { windowEvents: 50_000, maxPending: 5_000, maxEventsPerSimMs: 1e12 } });
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
});

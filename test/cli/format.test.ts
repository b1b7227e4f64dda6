import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/format';
import { createRun } from '../../src/run/run';
import { presetBySlug } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/validate';

function summaryOf(slug: string) {
  const run = createRun(parseScenario(presetBySlug(slug)!.document), { logCapacity: 16 });
  run.runToEnd();
  return run.summary();
}

describe('the readable summary', () => {
  it('shows the choreographed sagas as their own row of the sagas table', () => {
    const s = summaryOf('choreography-compensation');
    const c = s.sagas!.choreographed!;
    const text = formatSummary(s);
    const row = text.split('\n').find((l) => l.startsWith('choreographed'));
    expect(row).toBeDefined();
    const cells = row!.trim().split(/\s+/).slice(1).map((v) => Number(v.replace(/,/g, '')));
    expect(cells).toEqual([c.started, c.completed, c.compensated, c.stuck, c.running]);
    expect(text).toMatch(/compensationsRun/);
  });

  it('shows a state-machine consumer\'s counts as columns of the service table', () => {
    const text = formatSummary(summaryOf('out-of-order-events'));
    for (const col of ['eventsApplied', 'outOfOrder', 'outOfOrderRejected', 'parked', 'staleIgnored', 'entitiesIncomplete', 'entitiesInconsistent']) expect(text).toContain(col);
    expect(text.split('\n').some((l) => l.startsWith('choreographed'))).toBe(false);
  });
});

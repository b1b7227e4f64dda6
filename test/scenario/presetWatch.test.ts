import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/scenario/presets';
import { validateScenario } from '../../src/scenario/validate';
import { createRun } from '../../src/run/run';
import { metricValue } from '../../src/run/expect';

/**
 * Every figure a preset's Watch note names is a summary path that names a number in that
 * preset's run: the Story tab draws each one live, so none can name something the app never shows.
 */
describe('the figures the Watch notes name', () => {
  it.each(PRESETS.map((p) => [p.slug, p] as const))('%s: each note names figures, each a number of its run', (_slug, p) => {
    const v = validateScenario(p.document);
    if (!v.ok) throw new Error(v.problems.map((x) => x.message).join('\n'));
    const run = createRun(v.scenario, {});
    run.advanceTo(v.scenario.durationMs);
    const summary = run.summary();
    for (const note of p.watch) {
      expect(note.text.length, note.text).toBeGreaterThan(10);
      expect(note.figures.length, `"${note.text}" names no figure`).toBeGreaterThan(0);
      for (const path of note.figures) {
        const m = metricValue(summary, path);
        expect(m.ok ? 'ok' : m.message, `${p.slug}: ${path}`).toBe('ok');
        if (m.ok) expect(typeof m.value === 'number' || m.value === null, path).toBe(true);
      }
    }
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { shareUrl } from '../../src/scenario/codec';
import { PRESETS } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/validate';

describe('presets through the CLI', () => {
  it('every preset runs from its share URL to the summary the library computes', () => {
    for (const preset of PRESETS) {
      const url = shareUrl('https://faultline.example/', preset.document);
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', url, '--json'], { encoding: 'utf8' });
      expect(r.status, `${preset.slug}: ${r.stderr}`).toBe(0);
      const run = createRun(parseScenario(preset.document));
      run.runToEnd();
      expect(JSON.parse(r.stdout), preset.slug).toEqual(run.summary());
    }
  }, 120_000);
});

/**
 * The command line's comparisons: `sim --set` and `--variant`, exit status 4 for a failed
 * expectation, and `npm run sweep` (rows equal to `sim --set` runs, shards that make up the whole,
 * a guardrail that marks one row, the confirmation a large sweep needs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'faultline-compare-'));

function cli(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', cwd: process.cwd(), input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const sim = (...args: string[]) => cli('src/cli/sim.ts', ...args);
const sweep = (...args: string[]) => cli('src/cli/sweep.ts', ...args);

const doc = {
  format: 'faultline/1',
  name: 'CLI compare',
  seed: 'cmp',
  durationMs: 3000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 100 } },
    { id: 'api', kind: 'service', concurrency: 8, serviceTime: 2, calls: [{ target: 'db', timeoutMs: 60, retry: { maxAttempts: 3, jitter: 'none' } }] },
    { id: 'db', kind: 'service', concurrency: 4, serviceTime: { dist: 'exponential', meanMs: 10 }, errorRate: 0.2 },
  ],
  variants: [{ name: 'no retry', set: { 'nodes[api].calls[db].retry.maxAttempts': 1 } }],
  sweep: {
    params: [
      { path: 'nodes[api].calls[db].retry.maxAttempts', values: [1, 3] },
      { path: 'nodes[api].calls[db].retry.jitter', values: ['none', 'full'] },
    ],
    seeds: 2,
    metrics: ['requests.successRate', 'amplification'],
  },
};
const file = join(dir, 'compare.json');
writeFileSync(file, JSON.stringify(doc));

const json = (text: string) => JSON.parse(text) as { traceHash: string; expectations?: unknown[]; requests: { successRate: number } };

describe('sim --set and --variant', () => {
  it('--set replaces settings; --variant runs the variant; both are the same run when they set the same', () => {
    const plain = json(sim(file, '--json').stdout);
    const set = sim(file, '--json', '--set', 'nodes[api].calls[db].retry.maxAttempts=1');
    const variant = sim(file, '--json', '--variant', 'no retry');
    expect(set.code).toBe(0);
    expect(variant.code).toBe(0);
    expect(json(set.stdout).traceHash).toBe(json(variant.stdout).traceHash);
    expect(json(set.stdout).traceHash).not.toBe(plain.traceHash);
  });

  it('the readable summary says which run it is: the variant and each --set under the title (a CI log of several runs of one document)', () => {
    const r = sim(file, '--variant', 'no retry', '--set', 'nodes[api].calls[db].retry.jitter=full', '--set', 'nodes[db].errorRate=0.1');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['CLI compare  (seed "cmp")', 'run as: variant "no retry", --set nodes[api].calls[db].retry.jitter="full", --set nodes[db].errorRate=0.1']);
    expect(sim(file).stdout.split('\n')[1]).toMatch(/^simulated /);
  });

  it('a path that names nothing, or a bad value, is exit status 2 naming the path', () => {
    const r = sim(file, '--set', 'nodes[api].calls[dbb].timeoutMs=5', '--set', 'nodes[api].concurency=2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nodes[api].calls[dbb].timeoutMs: names nothing: no element of nodes[api].calls has target "dbb" — did you mean "db"?');
    expect(r.stderr).toContain('nodes[api].concurency: names nothing: nodes[api] has no key "concurency" — did you mean "concurrency"?');
    const bad = sim(file, '--set', 'nodes[api].calls[db].retry.jitter=fulll');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('nodes[api].calls[db].retry.jitter: must be one of none, full, equal, decorrelated — got "fulll"');
    const variant = sim(file, '--variant', 'no retries');
    expect(variant.code).toBe(2);
    expect(variant.stderr).toContain('no variant is named "no retries" — did you mean "no retry"?');
  });
});

describe('expectations and exit status 4', () => {
  it('expectations that hold: exit 0, and the summary reports them', () => {
    const r = sim(file, '--json', '--set', 'expect=[{"metric":"requests.successRate","min":0.5},{"metric":"nodes.db.received","min":1}]');
    expect(r.code).toBe(0);
    expect(json(r.stdout).expectations).toEqual([
      { metric: 'requests.successRate', min: 0.5, max: null, actual: json(r.stdout).requests.successRate, ok: true },
      expect.objectContaining({ metric: 'nodes.db.received', ok: true }),
    ]);
  });

  it('an expectation that fails: exit 4, each failure printed', () => {
    const r = sim(file, '--set', 'expect=[{"metric":"requests.successRate","min":0.999},{"metric":"latencyMs.p99","max":1},{"metric":"requests.sent","min":1}]');
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('expectations: 1 of 3 hold');
    const failures = r.stderr.trim().split('\n');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^expectation failed: requests\.successRate = 0\.\d+, below the min 0\.999$/);
    expect(failures[1]).toMatch(/^expectation failed: latencyMs\.p99 = [\d.]+, above the max 1$/);
  });

  it('a metric no summary has is exit status 2', () => {
    const r = sim(file, '--set', 'expect=[{"metric":"nodes.db.recieved","min":1}]');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nodes.db.recieved: names nothing — nodes.db has no "recieved"');
  });
});

describe('npm run sweep', () => {
  const whole = sweep(file, '--csv', '--jobs', '2');
  const lines = whole.stdout.trim().split('\n');

  it('prints one row per run: params by path, seed, traceHash, metrics', () => {
    expect(whole.code).toBe(0);
    expect(lines[0]).toBe('nodes[api].calls[db].retry.maxAttempts,nodes[api].calls[db].retry.jitter,seed,traceHash,requests.successRate,amplification,stoppedBy');
    expect(lines).toHaveLength(1 + 2 * 2 * 2);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '1,none,cmp/1', '1,none,cmp/2', '1,full,cmp/1', '1,full,cmp/2',
      '3,none,cmp/1', '3,none,cmp/2', '3,full,cmp/1', '3,full,cmp/2',
    ]);
  });

  it('a row equals sim --set with the same settings and seed (traceHash)', () => {
    const [attempts, jitter, seed, hash, successRate] = lines[7]!.split(',');
    const r = sim(file, '--json', '--set', `nodes[api].calls[db].retry.maxAttempts=${attempts}`, '--set', `nodes[api].calls[db].retry.jitter=${jitter}`, '--seed', seed!);
    expect(json(r.stdout).traceHash).toBe(hash);
    expect(String(json(r.stdout).requests.successRate)).toBe(successRate);
  });

  it('one worker or two, the same rows', () => {
    expect(sweep(file, '--csv', '--jobs', '1').stdout).toBe(whole.stdout);
  });

  it('the shards concatenate to the whole', () => {
    const shards = [0, 1, 2].map((i) => sweep(file, '--csv', '--jobs', '1', '--shard', `${i}/3`));
    for (const s of shards) expect(s.code).toBe(0);
    const joined = shards.map((s) => s.stdout).join('');
    const rows = joined.trim().split('\n');
    expect(rows[0]).toBe(lines[0]); // only shard 0 prints the header
    expect(rows.filter((r) => r === lines[0])).toHaveLength(1);
    expect(rows.slice(1).sort()).toEqual(lines.slice(1).sort());
    expect(shards[1]!.stdout.trim().split('\n')).toEqual([lines[2], lines[5], lines[8]]);
  });

  it('--param and --json: JSON lines with the same keys', () => {
    const r = sweep(file, '--json', '--jobs', '1', '--param', 'nodes[db].errorRate=0,0.5', '--seeds', '1', '--metric', 'requests.ok');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { 'nodes[db].errorRate': 0, seed: 'cmp', traceHash: expect.stringMatching(/^[0-9a-f]{16}$/), 'requests.ok': expect.any(Number), stoppedBy: null },
      { 'nodes[db].errorRate': 0.5, seed: 'cmp', traceHash: expect.stringMatching(/^[0-9a-f]{16}$/), 'requests.ok': expect.any(Number), stoppedBy: null },
    ]);
    expect(rows[1]['requests.ok']).toBeLessThan(rows[0]['requests.ok']);
  });

  it('a run that hits a guardrail marks its row, not the whole sweep', () => {
    const r = sweep(file, '--json', '--jobs', '2', '--param', 'nodes[users].arrival.ratePerSec=10,2000,20', '--seeds', '1', '--max-events', '8000');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.stoppedBy === null)).toEqual([true, false, true]);
    expect(rows[1].stoppedBy).toContain('limit reached: 8,000 events in one run');
    expect(r.stderr).toContain('1 of 3 runs did not finish normally');
  });

  it('bad params are exit status 2 naming the path', () => {
    const r = sweep(file, '--param', 'nodes[api].concurency=1,2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sweep.params[0].path: names nothing: nodes[api] has no key "concurency" — did you mean "concurrency"?');
    const v = sweep(file, '--param', 'nodes[db].errorRate=0.1,7');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('sweep.params[0].values[1]: must be at most 1 — got 7');
    const none = sweep(file, '--param', 'nodes[db].errorRate=');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: --param nodes[db].errorRate: no values: give at least one, separated by commas');
    const gap = sweep(file, '--param', 'nodes[db].errorRate=0,,0.5');
    expect(gap.code).toBe(2);
    expect(gap.stderr).toContain('error: --param nodes[db].errorRate: value 2 is empty');
  });

  it('a sweep of more than a million runs is exit status 2 with its size, before any row is made', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1).join(',');
    const r = sweep(file, '--param', `nodes[api].concurrency=${values}`, '--param', `nodes[db].concurrency=${values}`, '--seeds', '100');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sweep: makes 100,000,000 runs (1,000 values × 1,000 values × 100 seeds); at most 1,000,000');
    expect(r.stdout).toBe('');
  });

  it('bare words may have spaces after the commas, as a person types a list', () => {
    const r = sweep(file, '--json', '--jobs', '1', '--param', 'nodes[api].calls[db].retry.jitter=none, full', '--metric', 'requests.ok');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l)['nodes[api].calls[db].retry.jitter'])).toEqual(['none', 'none', 'full', 'full']);
  });

  it('more than 1,000 runs: the estimated time first, and --yes needed when stdin is not a terminal', () => {
    const tiny = join(dir, 'tiny.json');
    writeFileSync(tiny, JSON.stringify({ ...doc, durationMs: 10, sweep: undefined, variants: undefined }));
    const rates = Array.from({ length: 50 }, (_, i) => 10 + i).join(',');
    const r = sweep(tiny, '--param', `nodes[users].arrival.ratePerSec=${rates}`, '--param', 'nodes[db].errorRate=0,0.1,0.2', '--seeds', '7', '--jobs', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/this sweep makes 1,050 runs: about \d+ (s|min) on 1 worker/);
    expect(r.stderr).toContain('needs --yes when stdin is not a terminal');
    expect(r.stdout).toBe('');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'faultline-bin-'));

function run(command: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, [...command, ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const fromSource = (...args: string[]) => run(['--import', 'tsx', 'src/cli/main.ts'], ...args);

const file = join(dir, 'scenario.json');
writeFileSync(
  file,
  JSON.stringify({
    format: 'faultline/1',
    name: 'bin test',
    seed: 'bin',
    durationMs: 3_000,
    nodes: [
      { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 100 }, timeoutMs: 50 },
      { id: 'api', kind: 'service', concurrency: 2, serviceTime: { dist: 'exponential', meanMs: 15 }, errorRate: 0.1 },
    ],
  }),
);

describe('faultline <command>', () => {
  it('lists its commands: on stdout with --help (exit 0), on stderr with no command (exit 2)', () => {
    const help = fromSource('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: faultline <command>/);
    expect(help.stdout).toMatch(/^ {2}sim {6}\S/m);
    expect(help.stdout).toMatch(/^ {2}swarm {4}\S/m);
    expect(help.stdout).toMatch(/^ {2}sweep {4}\S/m);
    expect(help.stdout).toMatch(/^ {2}convert {2}\S/m);
    const none = fromSource();
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(help.stdout);
  });

  it('an unknown command: says so, lists the commands, exit 2', () => {
    const r = fromSource('simulate', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no command "simulate"');
    expect(r.stderr).toContain('usage: faultline <command>');
  });

  it('sim gets exactly the arguments after its name, and its exit status comes back', () => {
    const direct = run(['--import', 'tsx', 'src/cli/sim.ts'], file, '--json', '--seed', 'other');
    const viaMain = fromSource('sim', file, '--json', '--seed', 'other');
    expect(viaMain.code).toBe(0);
    expect(viaMain.stdout).toBe(direct.stdout);
    expect(JSON.parse(viaMain.stdout).seed).toBe('other');
    const missing = fromSource('sim', join(dir, 'nothing.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect(fromSource('sim', '--help').stdout).toMatch(/^usage: .*sim/);
  });

  it('the built bin (one ES module, no tsx) runs a scenario to the same summary as the sources', () => {
    const out = join(dir, 'dist-cli');
    for (const mode of ['production', 'sweep-worker']) {
      const build = run(['node_modules/vite/bin/vite.js', 'build', '-c', 'vite.cli.config.ts', '--mode', mode, '--outDir', out, '--logLevel', 'warn']);
      expect(build.code, build.stderr).toBe(0);
    }
    const bin = join(out, 'faultline.mjs');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(readFileSync(bin, 'utf8')).not.toMatch(/from "(zod|seedrandom|fflate)"/);
    const built = run([bin], 'sim', file, '--json');
    expect(built.code).toBe(0);
    expect(built.stdout).toBe(fromSource('sim', file, '--json').stdout);
    expect(run([bin], 'swarm', '--seed', '7', '--runs', '2').code).toBe(0);
    // sweep starts its worker threads from sweepWorker.mjs beside the bin.
    const sweep = ['sweep', file, '--param', 'durationMs=1000,2000', '--seeds', '2', '--jobs', '2', '--csv'];
    const swept = run([bin], ...sweep);
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout.trim().split('\n')).toHaveLength(5);
    expect(swept.stdout).toBe(fromSource(...sweep).stdout);
  }, 180_000);
});

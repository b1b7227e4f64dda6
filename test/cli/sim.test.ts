import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeShareFragment } from '../../src/scenario/codec';

const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const doc = {
  format: 'faultline/1',
  name: 'CLI test',
  seed: 'cli',
  durationMs: 5_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 100 } },
    { id: 'api', kind: 'service', concurrency: 2, queueLimit: 3, serviceTime: { dist: 'exponential', meanMs: 15 }, errorRate: 0.1 },
  ],
};
const file = join(dir, 'scenario.json');
writeFileSync(file, JSON.stringify(doc));

describe('npm run sim', () => {
  it('--json prints exactly the run summary and nothing else', () => {
    const r = sim(file, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ format: 'faultline/1', seed: 'cli', simTimeMs: 5000, invariants: { ok: true, violations: [] } });
    expect(s.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(s.requests.sent).toBe(s.requests.ok + s.requests.failed + s.requests.inFlight);
    expect(Object.keys(s.nodes)).toEqual(['users', 'api']);
  });

  it('prints a readable summary by default', () => {
    const r = sim(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CLI test');
    expect(r.stdout).toMatch(/requests\s+sent\s+ok\s+failed/);
    expect(r.stdout).toContain('invariants: ok');
  });

  it('a share URL runs the same scenario to the same trace hash', () => {
    const fromFile = JSON.parse(sim(file, '--json').stdout);
    const url = `https://faultline.example/#${encodeShareFragment(doc as never)}`;
    const fromUrl = JSON.parse(sim(url, '--json').stdout);
    expect(fromUrl.traceHash).toBe(fromFile.traceHash);
    expect(fromUrl).toEqual(fromFile);
  });

  it('--events writes every event as JSON lines, in time order', () => {
    const out = join(dir, 'events.jsonl');
    const s = JSON.parse(sim(file, '--json', '--events', out).stdout);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((e) => e.kind === 'request.end')).toHaveLength(s.requests.ok + s.requests.failed);
    expect(lines.filter((e) => e.kind === 'request.start')).toHaveLength(s.requests.sent);
    expect(lines[0]).toMatchObject({ kind: 'request.start', node: 'users', requestId: 1, correlationId: 'c-1' });
    for (let i = 1; i < lines.length; i++) expect(lines[i].t).toBeGreaterThanOrEqual(lines[i - 1].t);
  });

  it('--seed and --until override the document', () => {
    const base = JSON.parse(sim(file, '--json').stdout);
    const seeded = JSON.parse(sim(file, '--json', '--seed', 'other').stdout);
    expect(seeded.seed).toBe('other');
    expect(seeded.traceHash).not.toBe(base.traceHash);
    const short = JSON.parse(sim(file, '--json', '--until', '1000').stdout);
    expect(short.simTimeMs).toBe(1000);
    expect(short.requests.sent).toBeLessThan(base.requests.sent);
  });

  it('--until errors name --until, even when the value is a number the document would refuse', () => {
    const huge = sim(file, '--json', '--until', '1e12');
    expect(huge.code).toBe(2);
    expect(huge.stdout).toBe('');
    expect(huge.stderr).toContain('--until: must be at most 86400000 — got 1000000000000');
    expect(huge.stderr).not.toContain('durationMs');
    const word = sim(file, '--until', 'soon');
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('--until must be a positive number of milliseconds — got "soon"');
  });

  it('--link prints the share link and nothing else; the link runs the same scenario', () => {
    const r = sim(file, '--link');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^#s=2\.[A-Za-z0-9_-]+\n$/);
    expect(r.stdout.trim()).toBe(`#${encodeShareFragment(doc as never)}`);
    expect(JSON.parse(sim(r.stdout.trim(), '--json').stdout)).toEqual(JSON.parse(sim(file, '--json').stdout));
    const based = sim(file, '--link', '--base', 'https://faultline.example/app/#old');
    expect(based.stdout).toBe(`https://faultline.example/app/${r.stdout}`);
    const seeded = sim(file, '--link', '--seed', '7');
    expect(JSON.parse(sim(seeded.stdout.trim(), '--json').stdout).seed).toBe(7);
  });

  it('--link of an invalid document prints its problems, no link, exit 2', () => {
    const broken = join(dir, 'broken-link.json');
    writeFileSync(broken, JSON.stringify({ ...doc, durationMs: -5 }));
    const r = sim(broken, '--link');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('durationMs');
  });

  it('a damaged version 2 link is refused, saying so, exit 2', () => {
    const link = encodeShareFragment(doc as never);
    const r = sim(`https://x.example/#${link.slice(0, -5)}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The link is damaged or truncated');
  });

  it('an unreadable file, bad JSON, or a bad link: a clear message and exit 2', () => {
    const missing = sim(join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the file \(no such file\)/);
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"format": "faultline/1",');
    const bad = sim(badJson, '--json');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/not valid JSON/);
    const link = sim('https://x.example/#s=1.AAAA');
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/^error: /);
  });

  it('a document that fails validation: every problem with its path, exit 2', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        ...doc,
        durationMs: -5,
        nodes: [
          { id: 'users', kind: 'client', target: 'nowhere', arrival: { type: 'poisson', ratePerSec: 100 } },
          { id: 'api', kind: 'service', loadBalancer: 'roundrobin', serviceTime: { dist: 'exponential' } },
        ],
      }),
    );
    const r = sim(broken, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('durationMs');
    expect(r.stderr).toContain('nodes[0].target');
    expect(r.stderr).toContain('nodes[1].loadBalancer');
    expect(r.stderr).toContain('nodes[1].serviceTime');
    expect(r.stderr).toMatch(/4 problems/);
  });

  it('no scenario given: usage and exit 2', () => {
    const r = sim();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: npm run -s sim');
  });

  it('a runaway (a closed loop with no think time) stops with exit 3 and a summary that names the limit, the culprit and the time', () => {
    const r = sim('test/fixtures/runaway/closed-loop.json', '--json');
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout) as { stoppedBy: string; events: number };
    expect(summary.events).toBe(3_000_000);
    expect(summary.stoppedBy).toMatch(/^limit reached: a runaway — 3,000,000 events .* \(driven by client "users" .*\), at 0\.0 ms\)$/);
  });

  it('a retry storm (four hops of ten retries onto a failing leaf) stops with exit 3 within 400,000 events, naming a service that retries', () => {
    const r = sim('test/fixtures/runaway/retry-storm.json');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/STOPPED EARLY: limit reached: a runaway — the pace of events kept rising, .* \(driven by service "[a-d]" retrying its calls/);
    const events = /simulated 0\.\d+ s, ([\d,]+) events/.exec(r.stdout);
    expect(Number(events![1]!.replaceAll(',', ''))).toBeLessThanOrEqual(400_000);
  });
});

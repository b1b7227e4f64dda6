import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/convert';

const dir = mkdtempSync(join(tmpdir(), 'faultline-convert-'));
const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

function convert(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const scenario = {
  format: 'faultline/1',
  name: 'CLI convert',
  nodes: [
    { id: 'users', kind: 'client', target: 'api' },
    {
      id: 'api',
      kind: 'service',
      calls: [
        { target: 'db', timeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 200, multiplier: 1, jitter: 'none' }, breaker: { model: 'opossum', timeout: 1500 } },
        { target: 'cache' },
      ],
      publishes: [{ exchange: 'events', routingKey: 'order.placed' }],
    },
    { id: 'db', kind: 'service' },
    { id: 'cache', kind: 'service' },
    { id: 'events', kind: 'exchange', type: 'topic' },
    { id: 'orders-q', kind: 'queue', label: 'orders.q', bindings: [{ exchange: 'events', key: 'order.*' }], maxLength: 100, overflow: 'reject-publish' },
  ],
};
const scenarioFile = join(dir, 'scenario.json');
writeFileSync(scenarioFile, JSON.stringify(scenario));

describe('npm run convert', () => {
  it('--from rabbitmq prints a whole document; unmapped settings go to stderr', () => {
    const r = convert(fixture('rabbitmq/dlx.json'), '--from', 'rabbitmq');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ format: 'faultline/1', name: 'RabbitMQ definitions (vhost /)' });
    expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual(['orders', 'some-exchange-name', 'myqueue', 'myqueue-dead']);
    expect(r.stderr).toBe('not mapped (1):\n  - queue "myqueue": durable — transient: the model has no broker restarts, and export declares it durable\n');
  });

  it('--from rabbitmq with several vhosts: exit 2 naming them; --vhost picks one', () => {
    const r = convert(fixture('rabbitmq/production-mixed.json'), '--from', 'rabbitmq');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vhost: the file has several vhosts: "/", "billing" — choose one (--vhost)');
    expect(convert(fixture('rabbitmq/production-mixed.json'), '--from', 'rabbitmq', '--vhost', 'billing').code).toBe(0);
  });

  it('--from rabbitmq --into merges into a document', () => {
    const r = convert(fixture('rabbitmq/alternate-exchange.json'), '--from', 'rabbitmq', '--into', scenarioFile);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.name).toBe('CLI convert');
    expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual(['users', 'api', 'db', 'cache', 'events', 'orders-q', 'my-direct', 'my-ae', 'routed', 'unrouted']);
  });

  it('--to rabbitmq prints definitions named by the labels', () => {
    const r = convert(scenarioFile, '--to', 'rabbitmq');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      vhosts: [{ name: '/' }],
      exchanges: [{ name: 'events', vhost: '/', type: 'topic', durable: true, auto_delete: false, arguments: {} }],
      queues: [{ name: 'orders.q', vhost: '/', durable: true, auto_delete: false, arguments: { 'x-max-length': 100, 'x-overflow': 'reject-publish' }, type: 'classic' }],
      bindings: [{ source: 'events', vhost: '/', destination: 'orders.q', destination_type: 'queue', routing_key: 'order.*', arguments: {} }],
    });
  });

  it('--to resilience4j and --to opossum pick the one call with policies, or --call', () => {
    const r4j = convert(scenarioFile, '--to', 'resilience4j');
    expect(r4j.code).toBe(0);
    expect(r4j.stdout).toContain('resilience4j:\n  retry:\n    instances:\n      db:\n        maxAttempts: 3\n        waitDuration: 200ms\n');
    expect(r4j.stderr).toContain('breaker: model — an opossum breaker has no exact resilience4j equivalent');
    const opossum = convert(scenarioFile, '--to', 'opossum', '--call', 'api->db');
    expect(opossum.code).toBe(0);
    expect(JSON.parse(opossum.stdout)).toMatchObject({ timeout: 1500, errorThresholdPercentage: 50 });
    const none = convert(scenarioFile, '--to', 'opossum', '--call', 'api->cache');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("api->cache breaker: the call has no breaker");
    const wrong = convert(scenarioFile, '--to', 'opossum', '--call', 'api->nope');
    expect(wrong.stderr).toContain('no call "api->nope" — the document has users->api, api->db, api->cache');
  });

  it('--from resilience4j prints the policy, or sets it on a call with --into and --call', () => {
    const yml = fixture('resilience4j/application.yml');
    const alone = convert(yml, '--from', 'resilience4j', '--instance', 'backendA');
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.stdout)).toMatchObject({ timeoutMs: 2000, bulkhead: { maxConcurrent: 10 } });
    expect(alone.stderr).toContain('registerHealthIndicator');
    const merged = convert(yml, '--from', 'resilience4j', '--instance', 'backendA', '--into', scenarioFile, '--call', 'api->cache');
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout).nodes[1].calls[1]).toMatchObject({ target: 'cache', timeoutMs: 2000, retry: { maxAttempts: 3 } });
    const noCall = convert(yml, '--from', 'resilience4j', '--instance', 'backendA', '--into', scenarioFile);
    expect(noCall.code).toBe(2);
  });

  it('bad input exits 2 naming the line, the key or the usage', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "queues": [\n    { "name": "a", }\n  ]\n}\n');
    const r = convert(broken, '--from', 'rabbitmq');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${broken}: line 3, column 20: not valid JSON: expected a property name in double quotes\n`);
    expect(convert(join(dir, 'missing.json'), '--from', 'rabbitmq').stderr).toContain('cannot read the file (no such file)');
    expect(convert(scenarioFile, '--to', 'kafka').code).toBe(2);
    expect(convert(scenarioFile).stderr).toContain('give either --from or --to');
    const badYaml = join(dir, 'bad.yml');
    writeFileSync(badYaml, 'resilience4j.retry.instances.a:\n  maxAttempts: three\n');
    expect(convert(badYaml, '--from', 'resilience4j').stderr).toBe(`error: ${badYaml}: resilience4j.retry.instances.a.maxAttempts: must be a whole number — got "three" (line 2)\n`);
  });

  it('runs as a script through npm run convert (tsx)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/convert.ts', fixture('opossum/options.json'), '--from', 'opossum'], { encoding: 'utf8', cwd: process.cwd() });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ breaker: { model: 'opossum', timeout: 3000, errorThresholdPercentage: 50, resetTimeout: 30000 } });
    expect(r.stderr).toBe('not mapped (1):\n  - retry — opossum has no retry: the call keeps its own retry policy\n');
  });
});

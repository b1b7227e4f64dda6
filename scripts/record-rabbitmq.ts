/**
 * Records what a live RabbitMQ does in the experiments of rabbitmq-experiments.ts, with the
 * amqplib client, and writes one JSON fixture per experiment; the unit tests replay each fixture
 * through the model (test/model/broker/rabbitmq-recorded.test.ts), so `npm test` needs no broker.
 *
 *   npm run record:rabbitmq                      start a private node (scripts/rabbitmq-local.sh),
 *                                                record into test/fixtures/rabbitmq/recorded, stop it
 *   npm run record:rabbitmq -- --out DIR         record elsewhere
 *   npm run record:rabbitmq -- --check DIR       also compare with the fixtures in DIR: exit 1 if any differs
 *   npm run record:rabbitmq -- --url amqp://...  use a broker that is already running (no node started)
 *
 * Every queue and exchange is deleted after its experiment, so experiments do not meet.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { EXPERIMENTS, IDLE_MS } from './rabbitmq-experiments';
import type { Experiment, Fixture, Observation, QueueDecl, Step, XDeathSeen } from './rabbitmq-experiments';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUT = join(root, 'test/fixtures/rabbitmq/recorded');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function queueArguments(q: QueueDecl): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  if (q.queueType) a['x-queue-type'] = q.queueType;
  if (q.messageTtlMs !== undefined) a['x-message-ttl'] = q.messageTtlMs;
  if (q.maxLength !== undefined) a['x-max-length'] = q.maxLength;
  if (q.overflow) a['x-overflow'] = q.overflow;
  if (q.deadLetter) {
    a['x-dead-letter-exchange'] = q.deadLetter.exchange;
    if (q.deadLetter.routingKey !== undefined) a['x-dead-letter-routing-key'] = q.deadLetter.routingKey;
  }
  if (q.deliveryLimit !== undefined) a['x-delivery-limit'] = q.deliveryLimit;
  return a;
}

/** x-death as amqplib decodes it, reduced to the fields the model keeps (time is left out: it is wall time). */
function xDeathOf(headers: Record<string, unknown> | undefined): XDeathSeen[] {
  const list = headers?.['x-death'];
  if (!Array.isArray(list)) return [];
  return list.map((d: Record<string, unknown>) => ({
    queue: String(d.queue),
    reason: String(d.reason),
    count: Number(d.count),
    exchange: String(d.exchange),
    'routing-keys': (d['routing-keys'] as unknown[]).map(String),
  }));
}

async function declare(ch: Channel, e: Experiment): Promise<void> {
  for (const x of e.exchanges) await ch.assertExchange(x.name, x.type, { durable: true, autoDelete: false, ...(x.alternateExchange ? { alternateExchange: x.alternateExchange } : {}) });
  for (const q of e.queues) {
    // Quorum queues must be durable; every queue here is, so the types differ in nothing else.
    await ch.assertQueue(q.name, { durable: true, autoDelete: false, arguments: queueArguments(q) });
    for (const b of q.bindings) await ch.bindQueue(q.name, b.exchange, b.key ?? '', b.arguments ?? {});
  }
}

async function tidy(conn: ChannelModel, e: Experiment): Promise<void> {
  const ch = await conn.createChannel();
  for (const q of e.queues) await ch.deleteQueue(q.name);
  for (const x of e.exchanges) await ch.deleteExchange(x.name);
  await ch.close();
}

interface Consumer {
  channel: Channel;
  consumerTag: string;
}

async function consume(conn: ChannelModel, step: Extract<Step, { op: 'consume' }>, consumers: Map<string, Consumer>): Promise<string[]> {
  const channel = await conn.createChannel();
  await channel.prefetch(step.prefetch);
  const seen: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(finish, IDLE_MS);
  };
  const onMessage = (msg: ConsumeMessage | null) => {
    if (msg === null || stopped) return;
    seen.push(`${msg.content.toString()}${msg.fields.redelivered ? 'ʳ' : ''}`);
    if (step.max !== undefined && seen.length >= step.max) {
      // It stops answering; its channel is closed below.
      stopped = true;
      clearTimeout(timer);
      finish();
      return;
    }
    if (step.then === 'ack') channel.ack(msg);
    else if (step.then === 'nack-requeue') channel.nack(msg, false, true);
    else if (step.then === 'reject') channel.nack(msg, false, false);
    arm();
  };
  const { consumerTag } = await channel.consume(step.queue, onMessage, { noAck: false });
  arm();
  await done;
  if (step.max !== undefined) await channel.close();
  else consumers.set(step.tag, { channel, consumerTag });
  return seen;
}

async function run(conn: ChannelModel, e: Experiment): Promise<Observation[]> {
  const setup = await conn.createChannel();
  for (const q of e.queues) await setup.deleteQueue(q.name);
  for (const x of e.exchanges) await setup.deleteExchange(x.name);
  await declare(setup, e);
  await setup.close();
  const pub: ConfirmChannel = await conn.createConfirmChannel();
  const reader = await conn.createChannel();
  const consumers = new Map<string, Consumer>();
  const observed: Observation[] = [];
  for (let i = 0; i < e.steps.length; i++) {
    const step = e.steps[i]!;
    switch (step.op) {
      case 'publish': {
        const confirm = await new Promise<'ack' | 'nack'>((resolve) => {
          pub.publish(step.exchange, step.routingKey, Buffer.from(step.id), { persistent: false, headers: step.headers ?? {} }, (err) => resolve(err ? 'nack' : 'ack'));
        });
        observed.push({ step: i, confirm });
        break;
      }
      case 'consume':
        observed.push({ step: i, deliveries: await consume(conn, step, consumers) });
        break;
      case 'cancel': {
        const c = consumers.get(step.tag)!;
        await c.channel.cancel(c.consumerTag);
        break;
      }
      case 'close': {
        const c = consumers.get(step.tag)!;
        consumers.delete(step.tag);
        await c.channel.close();
        break;
      }
      case 'wait':
        await sleep(step.ms);
        break;
      case 'drain': {
        const drained: { id: string; redelivered: boolean; xDeath: XDeathSeen[] }[] = [];
        for (;;) {
          const m = await reader.get(step.queue, { noAck: true });
          if (m === false) break;
          drained.push({ id: m.content.toString(), redelivered: m.fields.redelivered, xDeath: xDeathOf(m.properties.headers) });
        }
        observed.push({ step: i, drained });
        break;
      }
    }
  }
  for (const c of consumers.values()) await c.channel.close();
  await reader.close();
  await pub.close();
  await tidy(conn, e);
  return observed;
}

async function serverVersion(conn: ChannelModel): Promise<string> {
  const props = (conn.connection as unknown as { serverProperties?: Record<string, unknown> }).serverProperties;
  return String(props?.version ?? 'unknown');
}

async function main(): Promise<void> {
  const started = Date.now();
  const out = arg('--out') ?? DEFAULT_OUT;
  const check = arg('--check');
  let url = arg('--url');
  let nodeDir: string | null = null;
  const script = join(root, 'scripts/rabbitmq-local.sh');
  const port = arg('--port') ?? '5674';
  if (!url) {
    nodeDir = mkdtempSync(join(tmpdir(), 'faultline-rabbitmq-'));
    console.error(`record-rabbitmq: starting a private node in ${nodeDir} on 127.0.0.1:${port}`);
    const r = spawnSync(script, ['start', nodeDir, port], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the RabbitMQ node did not start');
    url = `amqp://guest:guest@127.0.0.1:${port}`;
  }
  let failed = false;
  try {
    const conn = await amqp.connect(url);
    const version = await serverVersion(conn);
    mkdirSync(out, { recursive: true });
    for (const e of EXPERIMENTS) {
      const t0 = Date.now();
      const observed = await run(conn, e);
      const fixture: Fixture = { ...e, rabbitmq: version, observed };
      writeFileSync(join(out, `${e.name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
      let note = '';
      if (check) {
        const file = join(check, `${e.name}.json`);
        const committed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Fixture) : null;
        if (!committed || !isDeepStrictEqual(committed.observed, observed) || !isDeepStrictEqual(committed.steps, e.steps)) {
          failed = true;
          note = committed ? '  DIFFERS from the committed fixture' : '  NO committed fixture';
        }
      }
      console.error(`  ${e.name.padEnd(36)} ${String(Date.now() - t0).padStart(5)} ms${note}`);
    }
    if (check) {
      const names = new Set(EXPERIMENTS.map((e) => `${e.name}.json`));
      for (const f of readdirSync(check)) {
        if (f.endsWith('.json') && !names.has(f)) {
          failed = true;
          console.error(`  ${f}: a committed fixture no experiment records any more`);
        }
      }
    }
    await conn.close();
    console.error(`record-rabbitmq: ${EXPERIMENTS.length} experiments on RabbitMQ ${version} into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (nodeDir !== null) {
      spawnSync(script, ['stop', nodeDir, port], { stdio: 'inherit' });
      rmSync(nodeDir, { recursive: true, force: true });
    }
  }
  if (failed) {
    console.error('record-rabbitmq: the broker no longer does what the committed fixtures say (re-record and review the model)');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(`record-rabbitmq: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});

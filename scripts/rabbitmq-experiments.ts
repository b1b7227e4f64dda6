/**
 * The experiments the recorder (record-rabbitmq.ts) runs on a live RabbitMQ and the unit tests
 * replay through the model (test/model/broker/rabbitmq-recorded.test.ts). Each is data: the
 * exchanges and queues to declare, then steps run one after another — so the outcome does not
 * depend on timing: a publish waits for its confirm, a consumer answers each delivery before the
 * broker sends the next (prefetch 1) or holds what it was given, and a consume step ends when no
 * delivery has come for a while.
 *
 * Steps:
 * - `publish`: to `exchange` with `routingKey` (and `headers`); the body is `id`. Observed: the
 *   publisher confirm (`ack`, or `nack` when a queue refused it).
 * - `consume`: a consumer on its own channel with `prefetch`, answering each delivery with
 *   `then`: `ack`, `nack-requeue`, `reject` (nack without requeue) or `hold` (no answer: the
 *   messages stay unacked until a `close`). After `max` deliveries it stops answering and its
 *   channel is closed. Observed: the deliveries in order, `ʳ` marking a redelivery.
 * - `cancel`: the consumer `tag` stops (basic.cancel), keeping its channel.
 * - `close`: the channel of consumer `tag` closes; its unacked messages are requeued.
 * - `wait`: `ms` of wall time (TTLs run out).
 * - `drain`: read every ready message of `queue` in order (basic.get). Observed: each one's id,
 *   redelivered flag and x-death list (queue, reason, count, exchange, routing-keys; newest first).
 */

/** A consume step ends when no delivery has come for this long (the replay advances its clock the same). */
export const IDLE_MS = 400;

export interface ExchangeDecl {
  name: string;
  type: 'direct' | 'fanout' | 'topic' | 'headers';
  alternateExchange?: string;
}

export interface QueueDecl {
  name: string;
  queueType?: 'classic' | 'quorum';
  messageTtlMs?: number;
  maxLength?: number;
  overflow?: 'drop-head' | 'reject-publish';
  deadLetter?: { exchange: string; routingKey?: string };
  deliveryLimit?: number;
  bindings: { exchange: string; key?: string; arguments?: Record<string, string | number | boolean> }[];
}

export type Step =
  | { op: 'publish'; exchange: string; routingKey: string; id: string; headers?: Record<string, string | number | boolean> }
  | { op: 'consume'; tag: string; queue: string; prefetch: number; then: 'ack' | 'nack-requeue' | 'reject' | 'hold'; max?: number }
  | { op: 'cancel'; tag: string }
  | { op: 'close'; tag: string }
  | { op: 'wait'; ms: number }
  | { op: 'drain'; queue: string };

export interface XDeathSeen {
  queue: string;
  reason: string;
  count: number;
  exchange: string;
  'routing-keys': string[];
}

export type Observation =
  | { step: number; confirm: 'ack' | 'nack' }
  | { step: number; deliveries: string[] }
  | { step: number; drained: { id: string; redelivered: boolean; xDeath: XDeathSeen[] }[] };

export interface Experiment {
  name: string;
  /** What it shows, in a sentence. */
  about: string;
  exchanges: ExchangeDecl[];
  queues: QueueDecl[];
  steps: Step[];
}

/** A recorded experiment: the experiment and what the broker did. */
export interface Fixture extends Experiment {
  rabbitmq: string;
  observed: Observation[];
}

const publish = (exchange: string, routingKey: string, ...ids: string[]): Step[] => ids.map((id) => ({ op: 'publish', exchange, routingKey, id }));

export const EXPERIMENTS: Experiment[] = [
  {
    name: 'classic-nack-requeue-order',
    about: 'A classic queue returns a nacked (requeue) message to its original position: the consumer gets the same message again and again.',
    exchanges: [{ name: 'x', type: 'direct' }],
    queues: [{ name: 'q', bindings: [{ exchange: 'x', key: 'k' }] }],
    steps: [...publish('x', 'k', 'm1', 'm2', 'm3'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'nack-requeue', max: 5 }, { op: 'drain', queue: 'q' }],
  },
  {
    name: 'quorum-nack-requeue-order',
    about: 'A quorum queue returns a nacked (requeue) message to the tail: the others go first.',
    exchanges: [{ name: 'x', type: 'direct' }],
    queues: [{ name: 'q', queueType: 'quorum', bindings: [{ exchange: 'x', key: 'k' }] }],
    steps: [...publish('x', 'k', 'm1', 'm2', 'm3'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'nack-requeue', max: 7 }, { op: 'drain', queue: 'q' }],
  },
  {
    name: 'quorum-delivery-limit-2',
    about: 'The issue\'s differential run: a quorum queue with x-delivery-limit 2 and a consumer that nacks (requeue) everything; m1 alone, then m2 and m3 together to a consumer with room for both.',
    exchanges: [{ name: 'x', type: 'direct' }],
    queues: [{ name: 'q', queueType: 'quorum', deliveryLimit: 2, bindings: [{ exchange: 'x', key: 'k' }] }],
    steps: [
      ...publish('x', 'k', 'm1'),
      { op: 'consume', tag: 'c1', queue: 'q', prefetch: 1, then: 'nack-requeue' },
      { op: 'cancel', tag: 'c1' },
      ...publish('x', 'k', 'm2', 'm3'),
      { op: 'consume', tag: 'c2', queue: 'q', prefetch: 10, then: 'nack-requeue' },
      { op: 'drain', queue: 'q' },
    ],
  },
  {
    name: 'quorum-delivery-limit-returns-first',
    about: 'With a delivery limit, a quorum queue redelivers a nacked (requeue) message before the ready ones, until the limit drops it.',
    exchanges: [{ name: 'x', type: 'direct' }],
    queues: [{ name: 'q', queueType: 'quorum', deliveryLimit: 2, bindings: [{ exchange: 'x', key: 'k' }] }],
    steps: [...publish('x', 'k', 'm1', 'm2', 'm3'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'nack-requeue' }, { op: 'drain', queue: 'q' }],
  },
  {
    name: 'quorum-delivery-limit-dead-letter',
    about: 'A quorum queue dead-letters a message delivered more than x-delivery-limit times with reason delivery_limit.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', queueType: 'quorum', deliveryLimit: 1, deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'dlq', bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [...publish('x', 'k', 'm1'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'nack-requeue' }, { op: 'drain', queue: 'dlq' }],
  },
  {
    name: 'reject-x-death',
    about: 'A rejected message is dead-lettered with its original routing key; x-death names the queue, the reason rejected, a count, the exchange and the routing keys.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'dlq', bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [...publish('x', 'k', 'm1', 'm2'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'reject' }, { op: 'drain', queue: 'dlq' }],
  },
  {
    name: 'x-death-counts-repeats',
    about: 'A message rejected twice through the same queue and expired twice in a delay queue: one x-death entry per (queue, reason), each with count 2.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'delay', messageTtlMs: 100, deadLetter: { exchange: 'x', routingKey: 'k' }, bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [...publish('x', 'k', 'm1'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'reject', max: 3 }, { op: 'drain', queue: 'q' }],
  },
  {
    name: 'ttl-expired',
    about: 'Messages whose queue TTL runs out are dead-lettered with reason expired, in order.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', messageTtlMs: 200, deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'dlq', bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [...publish('x', 'k', 'm1', 'm2'), { op: 'wait', ms: 600 }, { op: 'drain', queue: 'q' }, { op: 'drain', queue: 'dlq' }],
  },
  {
    name: 'ttl-at-head-after-requeue',
    about: 'A message held unacked past its TTL and then requeued (its channel closed) expires when it is back at the head instead of being delivered again.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', messageTtlMs: 300, deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'dlq', bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [
      ...publish('x', 'k', 'm1'),
      { op: 'consume', tag: 'c', queue: 'q', prefetch: 1, then: 'hold' },
      { op: 'wait', ms: 600 },
      { op: 'close', tag: 'c' },
      { op: 'wait', ms: 300 },
      { op: 'drain', queue: 'q' },
      { op: 'drain', queue: 'dlq' },
    ],
  },
  {
    name: 'max-length-drop-head',
    about: 'x-max-length 2 with drop-head: the oldest messages are dead-lettered (reason maxlen) to make room.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', maxLength: 2, overflow: 'drop-head', deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'dlq', bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [...publish('x', 'k', 'm1', 'm2', 'm3', 'm4'), { op: 'drain', queue: 'q' }, { op: 'drain', queue: 'dlq' }],
  },
  {
    name: 'max-length-reject-publish',
    about: 'x-max-length 2 with reject-publish: further publishes are refused (the publisher gets a nack) and nothing is dead-lettered.',
    exchanges: [
      { name: 'x', type: 'direct' },
      { name: 'dlx', type: 'fanout' },
    ],
    queues: [
      { name: 'q', maxLength: 2, overflow: 'reject-publish', deadLetter: { exchange: 'dlx' }, bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'dlq', bindings: [{ exchange: 'dlx' }] },
    ],
    steps: [...publish('x', 'k', 'm1', 'm2', 'm3', 'm4'), { op: 'drain', queue: 'q' }, { op: 'drain', queue: 'dlq' }],
  },
  {
    name: 'classic-channel-close',
    about: 'A classic queue: a closed channel\'s unacked messages go back to their original positions, marked redelivered.',
    exchanges: [{ name: 'x', type: 'direct' }],
    queues: [{ name: 'q', bindings: [{ exchange: 'x', key: 'k' }] }],
    steps: [...publish('x', 'k', 'a', 'b', 'c', 'd', 'e'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 3, then: 'hold' }, { op: 'close', tag: 'c' }, { op: 'drain', queue: 'q' }],
  },
  {
    name: 'quorum-channel-close',
    about: 'A quorum queue: a closed channel\'s unacked messages go back ahead of the ready ones, in order, marked redelivered.',
    exchanges: [{ name: 'x', type: 'direct' }],
    queues: [{ name: 'q', queueType: 'quorum', bindings: [{ exchange: 'x', key: 'k' }] }],
    steps: [...publish('x', 'k', 'a', 'b', 'c', 'd', 'e'), { op: 'consume', tag: 'c', queue: 'q', prefetch: 3, then: 'hold' }, { op: 'close', tag: 'c' }, { op: 'drain', queue: 'q' }],
  },
  {
    name: 'headers-exchange',
    about: 'A headers exchange: x-match all needs every argument, any needs one; x- arguments are not compared.',
    exchanges: [{ name: 'h', type: 'headers' }],
    queues: [
      { name: 'all', bindings: [{ exchange: 'h', arguments: { 'x-match': 'all', region: 'eu', tier: 'gold' } }] },
      { name: 'any', bindings: [{ exchange: 'h', arguments: { 'x-match': 'any', region: 'eu', tier: 'gold' } }] },
    ],
    steps: [
      { op: 'publish', exchange: 'h', routingKey: '', id: 'both', headers: { region: 'eu', tier: 'gold' } },
      { op: 'publish', exchange: 'h', routingKey: '', id: 'region', headers: { region: 'eu' } },
      { op: 'publish', exchange: 'h', routingKey: '', id: 'other', headers: { region: 'us', tier: 'silver' } },
      { op: 'publish', exchange: 'h', routingKey: '', id: 'numeric', headers: { region: 'eu', tier: 1 } },
      { op: 'drain', queue: 'all' },
      { op: 'drain', queue: 'any' },
    ],
  },
  {
    name: 'alternate-exchange',
    about: 'A message no binding of its exchange matches goes to the alternate exchange; a routed one does not.',
    exchanges: [
      { name: 'x', type: 'direct', alternateExchange: 'ae' },
      { name: 'ae', type: 'fanout' },
    ],
    queues: [
      { name: 'q', bindings: [{ exchange: 'x', key: 'k' }] },
      { name: 'unrouted', bindings: [{ exchange: 'ae' }] },
    ],
    steps: [...publish('x', 'k', 'routed'), ...publish('x', 'nobody', 'lost-1', 'lost-2'), { op: 'drain', queue: 'q' }, { op: 'drain', queue: 'unrouted' }],
  },
];

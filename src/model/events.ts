/**
 * What the model writes into the event log. The log stores numbers only (engine/log.ts): each
 * kind here names its numeric fields a, b, c, so the run layer can turn a record back into the
 * JSON line of SCENARIO.md ("The event log") and the trace hash needs no strings.
 */

export const LogKind = {
  requestStart: 0,
  requestEnd: 1,
  attemptStart: 2,
  attemptEnd: 3,
  retryScheduled: 4,
  timeout: 5,
  breakerOpen: 6,
  breakerHalfOpen: 7,
  breakerClose: 8,
  breakerReject: 9,
  ratelimitReject: 10,
  serviceReject: 11,
  messagePublish: 12,
  messageRoute: 13,
  messageDeliver: 14,
  messageAck: 15,
  messageNack: 16,
  messageDeadLetter: 17,
  messageDrop: 18,
  messageDuplicate: 19,
  faultStart: 20,
  faultEnd: 21,
  lateResponse: 22,
  bulkheadReject: 23,
  fallback: 24,
  networkDrop: 25,
  networkDuplicate: 26,
  networkAbort: 27,
  instanceCrash: 28,
  instanceRestart: 29,
  changeApply: 30,
  messagePublishLost: 31,
  messageDeliveryLost: 32,
  messageAckLost: 33,
  messagePublishNack: 34,
  channelClose: 35,
  eventGhost: 36,
  messageLost: 37,
  workStart: 38,
  workEnd: 39,
  // Instances (instances.ts) from 60, sagas (saga.ts) from 70: apart from the other kinds' numbers.
  instanceUnready: 60,
  instanceReady: 61,
  instanceEjected: 62,
  instanceReturned: 63,
  instanceDeregister: 64,
  instanceStop: 65,
  instanceStart: 66,
  instanceKilled: 67,
  cacheEvict: 68,
  sagaStart: 70,
  sagaStep: 71,
  sagaStepEnd: 72,
  sagaCompensate: 73,
  sagaCompensateEnd: 74,
  sagaCompleted: 75,
  sagaCompensated: 76,
  sagaStuck: 77,
  sagaResume: 78,
} as const;
export type LogKind = (typeof LogKind)[keyof typeof LogKind];

/** Field meaning of a kind: the JSON key of a, b and c (null: unused), and how to print them. */
export interface KindSpec {
  name: string;
  a: string | null;
  b: string | null;
  c: string | null;
  /** Fields holding a node index (printed as the node's id). */
  nodeFields?: ('a' | 'b' | 'c')[];
  /** Fields holding a reason code (printed as its name). */
  reasonFields?: ('a' | 'b' | 'c')[];
  /** Fields holding a message dead-letter/drop reason code (printed as its name). */
  messageReasonFields?: ('a' | 'b' | 'c')[];
  /** Fields holding a boolean as 0/1 (printed as true/false). */
  boolFields?: ('a' | 'b' | 'c')[];
  /**
   * A field packing an id and a flag as `id * 2 + flag`: printed as the id under the field's key
   * (left out when 0: none) and the flag as a boolean under `flag`.
   */
  packed?: { field: 'a' | 'b' | 'c'; flag: string };
}

export const KIND_SPECS: Record<LogKind, KindSpec> = {
  [LogKind.requestStart]: { name: 'request.start', a: 'requestId', b: 'target', c: null, nodeFields: ['b'] },
  [LogKind.requestEnd]: { name: 'request.end', a: 'requestId', b: 'status', c: 'reason', reasonFields: ['c'] },
  [LogKind.attemptStart]: { name: 'attempt.start', a: 'requestId', b: 'target', c: 'attempt', nodeFields: ['b'] },
  [LogKind.attemptEnd]: { name: 'attempt.end', a: 'requestId', b: 'status', c: 'reason', reasonFields: ['c'] },
  [LogKind.retryScheduled]: { name: 'retry.scheduled', a: 'requestId', b: 'delayMs', c: 'attempt' },
  [LogKind.timeout]: { name: 'timeout', a: 'requestId', b: 'target', c: 'attempt', nodeFields: ['b'] },
  [LogKind.breakerOpen]: { name: 'breaker.open', a: 'target', b: null, c: null, nodeFields: ['a'] },
  [LogKind.breakerHalfOpen]: { name: 'breaker.halfOpen', a: 'target', b: null, c: null, nodeFields: ['a'] },
  [LogKind.breakerClose]: { name: 'breaker.close', a: 'target', b: null, c: null, nodeFields: ['a'] },
  [LogKind.breakerReject]: { name: 'breaker.reject', a: 'requestId', b: 'target', c: null, nodeFields: ['b'] },
  [LogKind.ratelimitReject]: { name: 'ratelimit.reject', a: 'requestId', b: 'retryAfterSec', c: null },
  [LogKind.serviceReject]: { name: 'service.reject', a: 'requestId', b: 'status', c: 'instance' },
  // c packs the publishing request's id (0: none) with the resend flag: the waterfall links a request to its messages.
  [LogKind.messagePublish]: { name: 'message.publish', a: 'eventId', b: 'exchange', c: 'requestId', nodeFields: ['b'], packed: { field: 'c', flag: 'resend' } },
  // eventId links each copy (messageId) to its publish, dead-lettered copies included.
  [LogKind.messageRoute]: { name: 'message.route', a: 'messageId', b: 'queue', c: 'eventId', nodeFields: ['b'] },
  [LogKind.messageDeliver]: { name: 'message.deliver', a: 'messageId', b: 'redelivered', c: 'consumer', nodeFields: ['c'], boolFields: ['b'] },
  [LogKind.messageAck]: { name: 'message.ack', a: 'messageId', b: null, c: null },
  [LogKind.messageNack]: { name: 'message.nack', a: 'messageId', b: 'requeue', c: 'consumerDied', boolFields: ['b', 'c'] },
  [LogKind.messageDeadLetter]: { name: 'message.deadLetter', a: 'messageId', b: 'reason', c: null, messageReasonFields: ['b'] },
  [LogKind.messageDrop]: { name: 'message.drop', a: 'messageId', b: 'reason', c: 'eventId', messageReasonFields: ['b'] },
  // A copy of an event seen again: at the publisher (messageId -1) or at a consumer, where c says
  // whether an idempotent consumer skipped it (no side effect) or it was applied again.
  [LogKind.messageDuplicate]: { name: 'message.duplicate', a: 'messageId', b: 'eventId', c: 'skipped', boolFields: ['c'] },
  [LogKind.faultStart]: { name: 'fault.start', a: 'fault', b: null, c: null },
  [LogKind.faultEnd]: { name: 'fault.end', a: 'fault', b: null, c: null },
  [LogKind.lateResponse]: { name: 'response.late', a: 'requestId', b: 'status', c: 'wastedMs' },
  [LogKind.bulkheadReject]: { name: 'bulkhead.reject', a: 'requestId', b: 'target', c: null, nodeFields: ['b'] },
  [LogKind.fallback]: { name: 'fallback', a: 'requestId', b: 'status', c: null },
  [LogKind.networkDrop]: { name: 'network.drop', a: 'requestId', b: 'to', c: 'fault', nodeFields: ['b'] },
  [LogKind.networkDuplicate]: { name: 'network.duplicate', a: 'requestId', b: 'to', c: 'fault', nodeFields: ['b'] },
  [LogKind.networkAbort]: { name: 'network.abort', a: 'requestId', b: 'status', c: 'fault' },
  [LogKind.instanceCrash]: { name: 'instance.crash', a: 'instance', b: 'requestsLost', c: 'fault' },
  [LogKind.instanceRestart]: { name: 'instance.restart', a: 'instance', b: null, c: 'fault' },
  // A timed change (a fork) took effect: its index in `changes`, and the setting's place in that change's `set`.
  [LogKind.changeApply]: { name: 'change.apply', a: 'change', b: 'setting', c: null },
  // Broker hops hit by a link fault (broker/hops.ts): a publish that never reached its exchange,
  // a delivery its consumer never got (still unacked at the broker), an ack the broker never got.
  [LogKind.messagePublishLost]: { name: 'message.publishLost', a: 'eventId', b: 'exchange', c: 'fault', nodeFields: ['b'] },
  [LogKind.messageDeliveryLost]: { name: 'message.deliveryLost', a: 'messageId', b: 'consumer', c: 'fault', nodeFields: ['b'] },
  [LogKind.messageAckLost]: { name: 'message.ackLost', a: 'messageId', b: 'consumer', c: 'fault', nodeFields: ['b'] },
  // The publisher's nack: an error fault on the publish hop (c: the fault), or a queue refusing it.
  [LogKind.messagePublishNack]: { name: 'message.publishNack', a: 'eventId', b: 'exchange', c: 'fault', nodeFields: ['b'] },
  // The broker closed a consumer's channel (its consumer timeout): its unacked messages are requeued.
  [LogKind.channelClose]: { name: 'channel.close', a: 'requeued', b: 'consumer', c: null, nodeFields: ['b'] },
  // A before-commit publish whose request then failed: an event announcing what never happened.
  [LogKind.eventGhost]: { name: 'event.ghost', a: 'eventId', b: 'requestId', c: null },
  // A message the broker forgot that no consumer processed (automatic acknowledgement).
  [LogKind.messageLost]: { name: 'message.lost', a: 'messageId', b: 'reason', c: 'eventId', messageReasonFields: ['b'] },
  // A consumer's work on one delivery, when its entry calls services: a request born at the consumer
  // (node), counted apart from the clients' requests (accounting.ts).
  [LogKind.workStart]: { name: 'work.start', a: 'requestId', b: 'messageId', c: 'queue', nodeFields: ['c'] },
  [LogKind.workEnd]: { name: 'work.end', a: 'requestId', b: 'status', c: 'reason', reasonFields: ['c'] },
  // Health checks, the registry and outlier detection (instances.ts).
  [LogKind.instanceUnready]: { name: 'instance.unready', a: 'instance', b: 'failures', c: null },
  [LogKind.instanceReady]: { name: 'instance.ready', a: 'instance', b: 'successes', c: null },
  [LogKind.instanceEjected]: { name: 'instance.ejected', a: 'instance', b: 'ejectionMs', c: 'times' },
  [LogKind.instanceReturned]: { name: 'instance.returned', a: 'instance', b: null, c: null },
  [LogKind.instanceDeregister]: { name: 'instance.deregister', a: 'instance', b: 'graceful', c: null, boolFields: ['b'] },
  [LogKind.instanceStop]: { name: 'instance.stop', a: 'instance', b: 'requestsLost', c: null },
  [LogKind.instanceStart]: { name: 'instance.start', a: 'instance', b: null, c: null },
  [LogKind.instanceKilled]: { name: 'instance.killed', a: 'instance', b: 'requestsLost', c: null },
  [LogKind.cacheEvict]: { name: 'cache.evict', a: 'instance', b: 'caller', c: null, nodeFields: ['b'] },
  // Sagas (saga.ts): each names the request that started it, so one saga is one waterfall.
  [LogKind.sagaStart]: { name: 'saga.start', a: 'requestId', b: 'sagaId', c: null },
  [LogKind.sagaStep]: { name: 'saga.step', a: 'requestId', b: 'sagaId', c: 'step' },
  [LogKind.sagaStepEnd]: { name: 'saga.stepEnd', a: 'requestId', b: 'step', c: 'ok', boolFields: ['c'] },
  [LogKind.sagaCompensate]: { name: 'saga.compensate', a: 'requestId', b: 'sagaId', c: 'step' },
  [LogKind.sagaCompensateEnd]: { name: 'saga.compensateEnd', a: 'requestId', b: 'step', c: 'ok', boolFields: ['c'] },
  [LogKind.sagaCompleted]: { name: 'saga.completed', a: 'requestId', b: 'sagaId', c: null },
  [LogKind.sagaCompensated]: { name: 'saga.compensated', a: 'requestId', b: 'sagaId', c: null },
  [LogKind.sagaStuck]: { name: 'saga.stuck', a: 'requestId', b: 'sagaId', c: 'step' },
  [LogKind.sagaResume]: { name: 'saga.resume', a: 'requestId', b: 'sagaId', c: 'step' },
};

/** Why a request, attempt or call ended. */
export const Reason = {
  ok: 0,
  /** The callee answered with an error status of its own. */
  status: 1,
  /** The caller stopped waiting. */
  timeout: 2,
  /** Nothing listening: a crashed instance. */
  refused: 3,
  /** The callee's waiting line was full (503). */
  queueFull: 4,
  shortCircuited: 5,
  bulkhead: 6,
  rateLimited: 7,
  unauthorized: 8,
  notFound: 9,
  /** A call this node depended on failed. */
  dependency: 10,
  /** A fallback answered in place of the failed call. */
  fallback: 11,
  /** The process doing the work died (a consumer's work on a message, which has no caller to time out). */
  crashed: 12,
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const REASON_NAMES: Record<Reason, string> = {
  [Reason.ok]: 'ok',
  [Reason.status]: 'status',
  [Reason.timeout]: 'timeout',
  [Reason.refused]: 'refused',
  [Reason.queueFull]: 'queue-full',
  [Reason.shortCircuited]: 'short-circuited',
  [Reason.bulkhead]: 'bulkhead',
  [Reason.rateLimited]: 'rate-limited',
  [Reason.unauthorized]: 'unauthorized',
  [Reason.notFound]: 'not-found',
  [Reason.dependency]: 'dependency',
  [Reason.fallback]: 'fallback',
  [Reason.crashed]: 'crashed',
};

/** Status recorded for outcomes that carry no HTTP status (no answer came back). */
export const NO_STATUS = 0;

/** The key an outcome is counted under in `byStatus`: the HTTP status, or the reason when none. */
export function statusKey(status: number, reason: Reason): string {
  return status !== NO_STATUS ? String(status) : REASON_NAMES[reason];
}

/** Whether an outcome counts as a success: the callee's own answer, or a fallback's in its place. */
export function isSuccess(reason: Reason): boolean {
  return reason === Reason.ok || reason === Reason.fallback;
}

/**
 * The preset library: scenarios that each tell one story of the course (../../../../shared/seeds),
 * ordered as a course would teach them — a calm first run, then timeouts and cascades, retries,
 * breakers, bulkheads, the gateway, and the broker. Each preset says what to watch and what to try;
 * its document's own description tells the same story for the panel beside the canvas.
 */
import type { ScenarioInput } from '../schema';
import { autoAckCrash } from './auto-ack-crash';
import { bulkhead } from './bulkhead';
import { crashBeforeAck } from './crash-before-ack';
import { dualWriteVsOutbox } from './dual-write-vs-outbox';
import { duplicateDelivery } from './duplicate-delivery';
import { cascadeNoTimeouts } from './cascade-no-timeouts';
import { flappingBreaker } from './flapping-breaker';
import { helloFaultline } from './hello-faultline';
import { poisonMessageDlq } from './poison-message-dlq';
import { opossumVsResilience4j } from './opossum-vs-resilience4j';
import { lostAck } from './lost-ack';
import { poisonQuorumVsClassic } from './poison-quorum-vs-classic';
import { retryLadder } from './retry-ladder';
import { syncVsAsync } from './sync-vs-async';
import { rateLimitPerClient } from './rate-limit-per-client';
import { retryStorm } from './retry-storm';
import { slowConsumerPrefetch } from './slow-consumer-prefetch';
import { thunderingHerd } from './thundering-herd';
import { topicVsFanout } from './topic-vs-fanout';
import { timeoutBreakerFallback } from './timeout-breaker-fallback';
import { userIdSpoofing } from './user-id-spoofing';
import { staleRegistryCache } from './stale-registry-cache';
import { oneSlowInstance } from './one-slow-instance';
import { rollingDeploy } from './rolling-deploy';
import { sagaCompensation } from './saga-compensation';
import { outOfOrderEvents } from './out-of-order-events';
import { choreographyCompensation } from './choreography-compensation';

/** One "watch" note of a preset: what to look at, and the summary paths of the figures it names. */
export interface WatchNote {
  text: string;
  figures: string[];
}

export interface Preset {
  /** URL-safe id, also the file name. */
  slug: string;
  title: string;
  /** One line. */
  summary: string;
  /**
   * What to look at while it runs: each note, and the figures it names as summary paths
   * (run/expect.ts `metricValue`: `nodes.payments-q.duplicatesSkipped`, `requests.byStatus.429`),
   * which the Story tab draws live beside the note.
   */
  watch: WatchNote[];
  /** What to change, and what will happen. */
  tryThis: string[];
  document: ScenarioInput;
}

export const PRESETS: readonly Preset[] = [
  // A calm start: what the numbers mean.
  helloFaultline,
  // Timeouts: how one slow service takes down its callers, and what stops it.
  cascadeNoTimeouts,
  timeoutBreakerFallback,
  // Retries: load multiplied, and clients in lockstep.
  retryStorm,
  thunderingHerd,
  // Breakers tuned badly, and library defaults compared.
  flappingBreaker,
  opossumVsResilience4j,
  // Isolation.
  bulkhead,
  // The gateway.
  rateLimitPerClient,
  userIdSpoofing,
  // The broker: why a queue, routing, consumers keeping up, failures that do not go away, retries
  // with delays, then what at-least-once delivery costs — duplicates — and publishing beside a write.
  syncVsAsync,
  topicVsFanout,
  slowConsumerPrefetch,
  autoAckCrash,
  poisonMessageDlq,
  poisonQuorumVsClassic,
  retryLadder,
  duplicateDelivery,
  crashBeforeAck,
  lostAck,
  dualWriteVsOutbox,
  outOfOrderEvents,
  // Instances that come and go, and sagas.
  staleRegistryCache,
  oneSlowInstance,
  rollingDeploy,
  sagaCompensation,
  choreographyCompensation,
];

export function presetBySlug(slug: string): Preset | undefined {
  return PRESETS.find((p) => p.slug === slug);
}

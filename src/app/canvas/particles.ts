/**
 * The dots: one fixed-size ring of hops in typed arrays, written when frames arrive and read by
 * the particle layer on every animation frame. No React state, no allocation per dot.
 *
 * Timing is on the "animation clock", which advances with wall time only while playing (pausing
 * freezes the dots where they are). A hop is placed on that clock where its departure falls in
 * the stretch of simulated time the frame covered, and it travels for its simulated latency at
 * the playback speed, but never faster than MIN_HOP_WALL_MS: network hops take about a
 * millisecond, which no eye could follow. Counts elsewhere are exact; only the dots are slowed.
 */
import type { Hop, HopFate } from '../../run/types';

export const MIN_HOP_WALL_MS = 350;
export const MAX_HOP_WALL_MS = 4000;
export const PARTICLE_CAPACITY = 6000;

/** Fates in drawing order (later ones on top). */
export const FATES: readonly HopFate[] = [
  'pending',
  'ok',
  'retry',
  'duplicate',
  'short-circuited',
  'rejected',
  'dead-lettered',
  'dropped',
  'timeout',
  'error',
];
const FATE_INDEX = new Map<HopFate, number>(FATES.map((f, i) => [f, i]));

export class ParticleBuffer {
  readonly capacity: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly start: Float64Array;
  readonly duration: Float32Array;
  readonly fate: Uint8Array;
  readonly response: Uint8Array;
  /** The request (or broker message) each dot belongs to, for "click a dot". */
  readonly requestId: Float64Array;
  /** Slots in use (the ring overwrites the oldest once full). */
  size = 0;
  private head = 0;
  /** Hops not drawn because the ring or the worker's per-frame cap was full. */
  skipped = 0;
  private index = new Map<string, number>();

  constructor(capacity = PARTICLE_CAPACITY) {
    this.capacity = capacity;
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    this.duration = new Float32Array(capacity);
    this.fate = new Uint8Array(capacity);
    this.response = new Uint8Array(capacity);
    this.requestId = new Float64Array(capacity);
  }

  /** Forget every dot; `nodeIds` numbers the nodes of the graph now on screen. */
  reset(nodeIds?: readonly string[]): void {
    this.size = 0;
    this.head = 0;
    this.skipped = 0;
    if (nodeIds) this.index = new Map(nodeIds.map((id, i) => [id, i]));
  }

  /** Node number of an id, -1 when it is not on the canvas. */
  nodeIndex(id: string): number {
    return this.index.get(id) ?? -1;
  }

  add(hop: Hop, startMs: number, durationMs: number): void {
    const from = this.nodeIndex(hop.from);
    const to = this.nodeIndex(hop.to);
    if (from < 0 || to < 0) return;
    const i = this.head;
    this.from[i] = from;
    this.to[i] = to;
    this.start[i] = startMs;
    this.duration[i] = durationMs;
    this.fate[i] = FATE_INDEX.get(hop.fate) ?? 0;
    this.response[i] = hop.direction === 'response' ? 1 : 0;
    this.requestId[i] = hop.requestId;
    this.head = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }
}

/** How many dots are on their way at animation time `animMs` (what the layer draws now). */
export function visibleCount(buffer: ParticleBuffer, animMs: number): number {
  let n = 0;
  for (let k = 0; k < buffer.size; k++) {
    const t = (animMs - buffer.start[k]!) / buffer.duration[k]!;
    if (t >= 0 && t <= 1) n++;
  }
  return n;
}

/**
 * Adds the hops of one frame. The frame covered simulated time [fromSimMs, toSimMs] and stands
 * for `wallMs` of animation; each hop starts where its departure falls in that stretch.
 */
export function scheduleHops(
  buffer: ParticleBuffer,
  hops: readonly Hop[],
  span: { fromSimMs: number; toSimMs: number; wallMs: number; animMs: number },
): void {
  const simSpan = span.toSimMs - span.fromSimMs;
  const wall = Math.max(0, span.wallMs);
  // Wall milliseconds per simulated millisecond right now (0 when nothing moved).
  const wallPerSim = simSpan > 0 ? wall / simSpan : 0;
  for (const hop of hops) {
    const frac = simSpan > 0 ? Math.min(1, Math.max(0, (hop.departMs - span.fromSimMs) / simSpan)) : 0;
    const travel = (hop.arriveMs - hop.departMs) * wallPerSim;
    const duration = Math.min(MAX_HOP_WALL_MS, Math.max(MIN_HOP_WALL_MS, travel));
    buffer.add(hop, span.animMs + frac * wall, duration);
  }
}

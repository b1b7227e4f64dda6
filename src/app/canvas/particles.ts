/**
 * The dots: one fixed-size ring of hops in typed arrays, written when frames arrive and read by
 * the particle layer on every animation frame. No React state, no allocation per dot.
 *
 * Timing is on the "animation clock", which advances with wall time only while playing (pausing
 * freezes the dots where they are). A hop is placed on that clock where its departure falls in
 * the stretch of simulated time the frame covered, and it travels for its simulated latency at
 * the playback speed, but never faster than MIN_HOP_WALL_MS: network hops take about a
 * millisecond, which no eye could follow. Counts elsewhere are exact; only the dots are slowed.
 *
 * Level of detail. Hops run along lanes: from one node to another, requests or responses. When a
 * lane carries more dots than fit on it apart, it is sampled: 1 hop in `stride` (a power of two)
 * becomes a dot, chosen by a hash of its request id, so a sampled request stays sampled on the
 * next lanes, and a lane that needs twice the stride keeps half of the dots it already shows.
 * A sampled lane shows its flow instead (the particle layer draws a band): every hop the worker
 * counted, as a rate per simulated second and a mix of fates, smoothed over wall time.
 */
import type { Hop, HopFate, HopFlow } from '../../run/types';

export const MIN_HOP_WALL_MS = 350;
export const MAX_HOP_WALL_MS = 4000;
export const PARTICLE_CAPACITY = 6000;
/** The sparsest sampling of a lane: 1 hop in this many becomes a dot. */
export const MAX_STRIDE = 4096;
/** Wall time over which a lane's flow rate and fate mix are smoothed. */
export const FLOW_SMOOTHING_MS = 300;

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

/** Hops from one node to another in one direction: what one edge carries one way. */
export class Lane {
  /** 1 hop in `stride` becomes a dot (a power of two; 1: every hop). */
  stride = 1;
  /**
   * Hops per simulated second (every hop, not only the dots), smoothed; and by fate, in FATES
   * order. Kept unscaled: the average so far weighs `weight` (< 1 until frames have covered a few
   * smoothing times), and `rate` and `mixOf` divide by it, so the first frames already show the
   * flow at its size.
   */
  private sum = 0;
  private readonly sums = new Float32Array(FATES.length);
  private weight = 0;
  /** Hops counted, and dots made, per frame, smoothed the same way: their ratio is how sampled the lane is. */
  hopsPerFrame = 0;
  dotsPerFrame = 0;
  /** Dots made since the last frame's flows were applied. */
  dotsNow = 0;

  constructor(
    readonly index: number,
    readonly from: number,
    readonly to: number,
    readonly response: boolean,
  ) {}

  get rate(): number {
    return this.weight > 0 ? this.sum / this.weight : 0;
  }

  /** The smoothed hops per simulated second of fate number `f` (FATES order). */
  mixOf(f: number): number {
    return this.weight > 0 ? this.sums[f]! / this.weight : 0;
  }

  /** Moves the smoothed flow toward this frame's: `perSec` by fate (FATES order), by a share `alpha`. */
  smooth(perSec: ArrayLike<number>, alpha: number): void {
    let total = 0;
    for (let f = 0; f < FATES.length; f++) {
      this.sums[f]! += (perSec[f]! - this.sums[f]!) * alpha;
      total += perSec[f]!;
    }
    this.sum += (total - this.sum) * alpha;
    this.weight += (1 - this.weight) * alpha;
  }

  /** About how many hops each dot on this lane stands for (1: every hop is drawn). */
  get sampling(): number {
    if (this.hopsPerFrame <= 0) return this.stride;
    return Math.max(this.stride, this.hopsPerFrame / Math.max(this.dotsPerFrame, 1e-9));
  }

  /** Whether the dots on this lane are a sample: then its flow is drawn. */
  get sampled(): boolean {
    return this.stride > 1 || this.sampling >= 1.5;
  }

  clear(): void {
    this.stride = 1;
    this.sum = 0;
    this.sums.fill(0);
    this.weight = 0;
    this.hopsPerFrame = 0;
    this.dotsPerFrame = 0;
    this.dotsNow = 0;
  }
}

/** A well-mixed 32-bit hash of a request id (Murmur3's finalizer). */
export function hashId(id: number): number {
  let h = (id ^ Math.floor(id / 4294967296)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Whether a hop with this hash is among the 1 in `stride` a sampled lane draws. */
export function inSample(hash: number, stride: number): boolean {
  return stride <= 1 || hash % stride === 0;
}

/**
 * The stride a lane should have, given how many hops are on it now (`inFlight`: each dot counts
 * for the stride it was sampled at) and how many dots fit on it apart (`room`). Rises at once
 * to fit; halves only once a quarter of the stride would fit, so a lane near the limit does not
 * flicker between two strides.
 */
export function nextStride(stride: number, inFlight: number, room: number): number {
  const need = inFlight / Math.max(1, room);
  let target = 1;
  while (target < need && target < MAX_STRIDE) target *= 2;
  if (target > stride) return target;
  if (need * 4 <= stride) return Math.max(1, stride / 2);
  return stride;
}

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
  /** Each dot's hash (for sampling), its lane, and the stride of its lane when it was made. */
  readonly hash: Uint32Array;
  readonly lane: Int32Array;
  readonly madeAtStride: Uint16Array;
  /** Slots in use (the ring overwrites the oldest once full). */
  size = 0;
  private head = 0;
  /** Hops not drawn because the worker sent a sample, or a busy lane drew a sample. */
  skipped = 0;
  /** Lanes the particle layer drew as a band on its last frame. */
  bandsDrawn = 0;
  /** The lanes hops have used, by number. */
  readonly lanes: Lane[] = [];
  private laneByKey = new Map<number, Lane>();
  private readonly rates = new Float64Array(FATES.length);
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
    this.hash = new Uint32Array(capacity);
    this.lane = new Int32Array(capacity);
    this.madeAtStride = new Uint16Array(capacity);
  }

  /** Forget every dot and every lane's flow; `nodeIds` numbers the nodes of the graph now on screen. */
  reset(nodeIds?: readonly string[]): void {
    this.size = 0;
    this.head = 0;
    this.skipped = 0;
    this.bandsDrawn = 0;
    if (nodeIds) {
      this.index = new Map(nodeIds.map((id, i) => [id, i]));
      this.lanes.length = 0;
      this.laneByKey = new Map();
    } else {
      for (const lane of this.lanes) lane.clear();
    }
  }

  /** Node number of an id, -1 when it is not on the canvas. */
  nodeIndex(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** The lane from node `from` to node `to` (numbers), requests or responses. */
  laneOf(from: number, to: number, response: boolean): Lane {
    const key = (from * this.index.size + to) * 2 + (response ? 1 : 0);
    let lane = this.laneByKey.get(key);
    if (lane === undefined) {
      lane = new Lane(this.lanes.length, from, to, response);
      this.lanes.push(lane);
      this.laneByKey.set(key, lane);
    }
    return lane;
  }

  /** Makes a dot of a hop, unless its lane is sampled and the hop is not in the sample. */
  add(hop: Hop, startMs: number, durationMs: number): void {
    const from = this.nodeIndex(hop.from);
    const to = this.nodeIndex(hop.to);
    if (from < 0 || to < 0) return;
    const response = hop.direction === 'response';
    const lane = this.laneOf(from, to, response);
    const hash = hashId(hop.requestId);
    if (!inSample(hash, lane.stride)) {
      this.skipped++;
      return;
    }
    lane.dotsNow++;
    const i = this.head;
    this.from[i] = from;
    this.to[i] = to;
    this.start[i] = startMs;
    this.duration[i] = durationMs;
    this.fate[i] = FATE_INDEX.get(hop.fate) ?? 0;
    this.response[i] = response ? 1 : 0;
    this.requestId[i] = hop.requestId;
    this.hash[i] = hash;
    this.lane[i] = lane.index;
    this.madeAtStride[i] = lane.stride;
    this.head = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /**
   * Takes in one frame's flows: every hop of `simSpanMs` of simulated time, shown over `wallMs`.
   * Each lane's rate and mix move toward this frame's by the share of FLOW_SMOOTHING_MS the frame
   * stands for; a lane the frame does not mention moves toward zero.
   */
  addFlows(flows: readonly HopFlow[], simSpanMs: number, wallMs: number): void {
    const counts = new Map<Lane, HopFlow['counts']>();
    for (const f of flows) {
      const from = this.nodeIndex(f.from);
      const to = this.nodeIndex(f.to);
      if (from >= 0 && to >= 0) counts.set(this.laneOf(from, to, f.direction === 'response'), f.counts);
    }
    const alpha = 1 - Math.exp(-Math.max(0, wallMs) / FLOW_SMOOTHING_MS);
    const perSec = simSpanMs > 0 ? 1000 / simSpanMs : 0;
    const rates = this.rates;
    for (const lane of this.lanes) {
      const c = counts.get(lane);
      let total = 0;
      for (let f = 0; f < FATES.length; f++) {
        const n = c?.[FATES[f]!] ?? 0;
        total += n;
        rates[f] = n * perSec;
      }
      if (perSec > 0 && alpha > 0) lane.smooth(rates, alpha);
      // The first frames set the sampling ratio outright; later ones smooth it.
      const a = lane.hopsPerFrame === 0 && lane.dotsPerFrame === 0 ? 1 : alpha;
      lane.hopsPerFrame += (total - lane.hopsPerFrame) * a;
      lane.dotsPerFrame += (lane.dotsNow - lane.dotsPerFrame) * a;
      lane.dotsNow = 0;
    }
  }
}

/** Whether slot `k` is a dot on its way at animation time `animMs` and in its lane's sample now. */
export function isDrawn(buffer: ParticleBuffer, k: number, animMs: number): boolean {
  const t = (animMs - buffer.start[k]!) / buffer.duration[k]!;
  if (!(t >= 0 && t <= 1)) return false;
  const lane = buffer.lanes[buffer.lane[k]!];
  return lane === undefined || inSample(buffer.hash[k]!, lane.stride);
}

/** How many dots are drawn at animation time `animMs` (what the layer shows now). */
export function visibleCount(buffer: ParticleBuffer, animMs: number): number {
  let n = 0;
  for (let k = 0; k < buffer.size; k++) if (isDrawn(buffer, k, animMs)) n++;
  return n;
}

/**
 * How many dots would be on their way at animation time `animMs` were no lane sampled: each dot
 * counts for the stride it was sampled at (hops the worker left out of its sample not counted).
 */
export function unsampledCount(buffer: ParticleBuffer, animMs: number): number {
  let n = 0;
  for (let k = 0; k < buffer.size; k++) {
    const t = (animMs - buffer.start[k]!) / buffer.duration[k]!;
    if (t >= 0 && t <= 1) n += buffer.madeAtStride[k]!;
  }
  return n;
}

/** The band's width in pixels at zoom 1 for a flow of `ratePerSec` hops per simulated second (log scale). */
export function bandWidth(ratePerSec: number): number {
  return Math.min(16, 1.5 + 1.6 * Math.log2(1 + Math.max(0, ratePerSec) / 5));
}

/**
 * Adds the hops of one frame. The frame covered simulated time [fromSimMs, toSimMs] and stands
 * for `wallMs` of animation; each hop starts where its departure falls in that stretch. `flows`
 * counts every hop of the frame (the hops may be a sample of them).
 */
export function scheduleHops(
  buffer: ParticleBuffer,
  hops: readonly Hop[],
  span: { fromSimMs: number; toSimMs: number; wallMs: number; animMs: number },
  flows: readonly HopFlow[] = [],
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
  if (flows.length > 0 || simSpan > 0) buffer.addFlows(flows, simSpan, wall);
}

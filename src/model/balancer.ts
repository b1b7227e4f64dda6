/**
 * A service's load balancer: which of the instances a caller may use gets the next request.
 *
 * - `round-robin`, `random`, `least-outstanding`: as before this file existed, draw for draw (the
 *   golden traces pin them). Over every instance they still pick crashed ones (round-robin and
 *   random; the connection is refused) unless health checks, outlier ejection or a registry
 *   change narrow the candidates.
 * - `weighted-round-robin`: nginx's smooth weighted round-robin (ngx_http_upstream_round_robin.c):
 *   each pick adds every candidate's weight to its current score, takes the highest (the lowest
 *   index on a tie) and subtracts the candidates' total from it. Weights 5, 1, 1 give
 *   a a b a c a a: the heavy instance's turns are spread out, not bunched.
 * - `consistent-hash`: a ring of points per instance (Envoy's ring hash: `minimum_ring_size` 1024
 *   points in all, shared equally), the request's key hashed onto it, the first point clockwise
 *   whose instance is a candidate. Removing an instance moves only the keys it held (Karger et
 *   al.); the same key keeps its instance while that instance stays available — sticky sessions.
 *   The key: the client and its user (`hashKey: "user"`), or the request (`"request"`: each retry
 *   of a request lands on the instance that took the first try).
 * - `least-latency`: the peak-EWMA idea of Finagle and Linkerd: each instance's response times
 *   (measured by the balancer, from handing the request over to the answer, or to the timeout)
 *   in an exponentially weighted moving average; the cost of an instance is its average times
 *   (outstanding requests + 1), the lowest cost wins. An instance never measured costs the mean of
 *   the measured ones, so new instances are tried. Simplified: Finagle decays the average by
 *   elapsed time; here each sample weighs `ewmaAlpha`.
 */
import type { Uniform } from '../engine';
import type { ServiceNode } from '../scenario/schema';

/** What the balancer reads of an instance. */
export interface Balanced {
  readonly index: number;
  up: boolean;
  busy: number;
  readonly queue: { readonly size: number };
}

/** A request's key for consistent hashing. */
export interface HashSource {
  readonly id: number;
  readonly client: number;
  readonly user: number;
}

const RING_SIZE = 1024;

/** A 32-bit integer mix (MurmurHash3's finalizer): deterministic, well spread. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Balancer {
  private rr = 0;
  private readonly kind: ServiceNode['loadBalancer'];
  // weighted-round-robin
  private readonly weights: number[];
  private readonly current: number[];
  // consistent-hash: ring points sorted by hash, and each point's instance
  private ringHash: Uint32Array = new Uint32Array(0);
  private ringOwner: Int32Array = new Int32Array(0);
  // least-latency
  private readonly ewma: number[];
  private readonly measured: boolean[];
  private readonly outstanding: number[];

  constructor(
    spec: Pick<ServiceNode, 'loadBalancer' | 'weights' | 'hashKey' | 'ewmaAlpha' | 'instances'>,
    private readonly stream: Uniform,
  ) {
    this.kind = spec.loadBalancer;
    const n = spec.instances;
    this.weights = spec.weights ? [...spec.weights] : new Array<number>(n).fill(1);
    this.current = new Array<number>(n).fill(0);
    this.ewma = new Array<number>(n).fill(0);
    this.measured = new Array<boolean>(n).fill(false);
    this.outstanding = new Array<number>(n).fill(0);
    this.alpha = spec.ewmaAlpha;
    this.byUser = spec.hashKey === 'user';
    if (this.kind === 'consistent-hash') this.buildRing(n);
  }

  private readonly alpha: number;
  private readonly byUser: boolean;

  private buildRing(n: number): void {
    const per = Math.ceil(RING_SIZE / n);
    const points: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let v = 0; v < per; v++) points.push([mix32(mix32(i + 1) ^ Math.imul(v + 1, 0x9e3779b1)), i]);
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.ringHash = Uint32Array.from(points, (p) => p[0]);
    this.ringOwner = Int32Array.from(points, (p) => p[1]);
  }

  /** The key a request hashes to. */
  keyOf(req: HashSource): number {
    return this.byUser ? mix32(Math.imul(req.client + 1, 0x9e3779b1) ^ mix32(req.user + 1)) : mix32(req.id);
  }

  /**
   * The next instance among `cands` (never empty, in index order). Over every instance the first
   * three balancers behave exactly as they always have.
   */
  pick<I extends Balanced>(cands: readonly I[], req: HashSource): I {
    if (cands.length === 1) return cands[0]!;
    switch (this.kind) {
      case 'random':
        return cands[Math.floor(this.stream() * cands.length)]!;
      case 'least-outstanding': {
        let best = cands[0]!;
        let bestLoad = best.up ? best.busy + best.queue.size : Infinity;
        for (let i = 1; i < cands.length; i++) {
          const inst = cands[i]!;
          const load = inst.up ? inst.busy + inst.queue.size : Infinity;
          if (load < bestLoad) {
            best = inst;
            bestLoad = load;
          }
        }
        return best;
      }
      case 'weighted-round-robin':
        return this.smoothWeighted(cands);
      case 'consistent-hash':
        return this.onRing(cands, this.keyOf(req));
      case 'least-latency':
        return this.leastLatency(cands);
      default: {
        // With every instance as candidates rr stays below their number: the old rotation exactly.
        const at = this.rr % cands.length;
        this.rr = (at + 1) % cands.length;
        return cands[at]!;
      }
    }
  }

  private smoothWeighted<I extends Balanced>(cands: readonly I[]): I {
    let total = 0;
    let best: I | null = null;
    for (const c of cands) {
      const w = this.weights[c.index]!;
      total += w;
      this.current[c.index]! += w;
      if (best === null || this.current[c.index]! > this.current[best.index]!) best = c;
    }
    this.current[best!.index]! -= total;
    return best!;
  }

  private onRing<I extends Balanced>(cands: readonly I[], key: number): I {
    const hashes = this.ringHash;
    // The first point at or after the key (binary search), then clockwise to an available one.
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    const byIndex = new Map<number, I>();
    for (const c of cands) byIndex.set(c.index, c);
    for (let k = 0; k < hashes.length; k++) {
      const owner = this.ringOwner[(lo + k) % hashes.length]!;
      const inst = byIndex.get(owner);
      if (inst) return inst;
    }
    return cands[0]!;
  }

  private leastLatency<I extends Balanced>(cands: readonly I[]): I {
    let sum = 0;
    let seen = 0;
    for (const c of cands) {
      if (this.measured[c.index]) {
        sum += this.ewma[c.index]!;
        seen++;
      }
    }
    const unseen = seen > 0 ? sum / seen : 1;
    let best = cands[0]!;
    let bestCost = Infinity;
    for (const c of cands) {
      const avg = this.measured[c.index] ? this.ewma[c.index]! : unseen;
      const cost = avg * (this.outstanding[c.index]! + 1);
      if (cost < bestCost) {
        best = c;
        bestCost = cost;
      }
    }
    return best;
  }

  /** least-latency: a request was handed to instance `i`. */
  sent(i: number): void {
    this.outstanding[i]!++;
  }

  /** least-latency: instance `i` answered (or its caller timed out) after `ms`. */
  observed(i: number, ms: number): void {
    if (this.outstanding[i]! > 0) this.outstanding[i]!--;
    this.ewma[i] = this.measured[i] ? this.ewma[i]! + this.alpha * (ms - this.ewma[i]!) : ms;
    this.measured[i] = true;
  }

  /** least-latency: requests held by instance `i` died with it (nothing will be observed). */
  forget(i: number): void {
    this.outstanding[i] = 0;
  }

  /** The moving average of instance `i`, or null before its first answer (for the canvas). */
  latencyOf(i: number): number | null {
    return this.measured[i] ? this.ewma[i]! : null;
  }

  get tracksLatency(): boolean {
    return this.kind === 'least-latency';
  }
}

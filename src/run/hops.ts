/**
 * The hops the canvas animates: the network tells each hop as it departs (model/network.ts),
 * and this recorder keeps them, with node ids, until the worker takes them for the next frame.
 *
 * Two things per take. Every hop is counted, exactly, by lane (from, to, direction) and fate:
 * the flows the canvas draws on busy edges. And at most `max` hops are kept as dots: when more
 * depart, the kept ones are an even sample of all of them (every 2nd, 4th, 8th… in departure
 * order), so at high speed the dots still cover the whole stretch of simulated time the frame
 * covers instead of its first instants. The rest are counted as dropped.
 */
import type { HopFate, HopRef } from '../model/network';
import type { World } from '../model';
import type { Hop, HopFlow } from './types';

export class HopRecorder {
  private hops: Hop[] = [];
  private dropped = 0;
  /** Hops seen in this take, and the sampling stride: hop i is kept when i % stride === 0. */
  private seen = 0;
  private stride = 1;
  /** Counts by lane, keyed (from × nodes + to) × 2 + (response ? 1 : 0). */
  private flows = new Map<number, HopFlow>();

  constructor(
    private readonly world: World,
    private readonly max: number,
  ) {
    if (!(max >= 1)) throw new Error(`maxHopsPerTake must be at least 1, not ${max}`);
    world.net.onHop((ref, id, from, to, latencyMs, direction, fate) => this.record(ref, id, from, to, latencyMs, direction, fate));
  }

  private record(ref: HopRef, id: number, from: number, to: number, latencyMs: number, direction: 'request' | 'response', fate: HopFate): void {
    const ids = this.world.ids;
    const key = (from * ids.length + to) * 2 + (direction === 'response' ? 1 : 0);
    let flow = this.flows.get(key);
    if (flow === undefined) {
      flow = { from: ids[from]!, to: ids[to]!, direction, counts: {} };
      this.flows.set(key, flow);
    }
    flow.counts[fate] = (flow.counts[fate] ?? 0) + 1;

    const i = this.seen++;
    if (i % this.stride !== 0) {
      this.dropped++;
      return;
    }
    if (this.hops.length >= this.max) {
      // The kept hops are hops 0, stride, 2·stride…: keep every other one and double the stride.
      const kept = this.hops.filter((_, k) => k % 2 === 0);
      this.dropped += this.hops.length - kept.length;
      this.hops = kept;
      this.stride *= 2;
      if (i % this.stride !== 0) {
        this.dropped++;
        return;
      }
    }
    const now = this.world.now;
    this.hops.push({ ref, requestId: id, from: ids[from]!, to: ids[to]!, departMs: now, arriveMs: now + latencyMs, direction, fate });
  }

  take(): { hops: Hop[]; dropped: number; flows: HopFlow[] } {
    const out = { hops: this.hops, dropped: this.dropped, flows: [...this.flows.values()] };
    this.hops = [];
    this.dropped = 0;
    this.seen = 0;
    this.stride = 1;
    this.flows = new Map();
    return out;
  }
}

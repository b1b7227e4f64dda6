/**
 * The hops the canvas animates: the network tells each hop as it departs (model/network.ts),
 * and this recorder keeps them, with node ids, until the worker takes them for the next frame.
 * At most `max` are kept between two takes; the rest are counted as dropped.
 */
import type { HopFate, HopRef } from '../model/network';
import type { World } from '../model';
import type { Hop } from './types';

export class HopRecorder {
  private hops: Hop[] = [];
  private dropped = 0;

  constructor(
    private readonly world: World,
    private readonly max: number,
  ) {
    world.net.onHop((ref, id, from, to, latencyMs, direction, fate) => this.record(ref, id, from, to, latencyMs, direction, fate));
  }

  private record(ref: HopRef, id: number, from: number, to: number, latencyMs: number, direction: 'request' | 'response', fate: HopFate): void {
    if (this.hops.length >= this.max) {
      this.dropped++;
      return;
    }
    const now = this.world.now;
    const ids = this.world.ids;
    this.hops.push({ ref, requestId: id, from: ids[from]!, to: ids[to]!, departMs: now, arriveMs: now + latencyMs, direction, fate });
  }

  take(): { hops: Hop[]; dropped: number } {
    const out = { hops: this.hops, dropped: this.dropped };
    this.hops = [];
    this.dropped = 0;
    return out;
  }
}

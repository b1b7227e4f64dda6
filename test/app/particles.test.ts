import { describe, expect, it } from 'vitest';
import {
  FATES,
  FLOW_SMOOTHING_MS,
  MAX_STRIDE,
  MIN_HOP_WALL_MS,
  ParticleBuffer,
  bandWidth,
  hashId,
  inSample,
  nextStride,
  scheduleHops,
  unsampledCount,
  visibleCount,
} from '../../src/app/canvas/particles';
import type { Hop, HopFlow } from '../../src/run/types';

const hop = (requestId: number, over: Partial<Hop> = {}): Hop => ({
  ref: 'request',
  requestId,
  from: 'a',
  to: 'b',
  departMs: 0,
  arriveMs: 10,
  direction: 'request',
  fate: 'pending',
  ...over,
});

describe('sampling a busy lane', () => {
  it('hashes request ids evenly, so 1 in a stride of them is in the sample', () => {
    for (const stride of [2, 8, 64]) {
      let n = 0;
      for (let id = 1; id <= 64_000; id++) if (inSample(hashId(id), stride)) n++;
      expect(n / 64_000).toBeGreaterThan(0.9 / stride);
      expect(n / 64_000).toBeLessThan(1.1 / stride);
    }
  });

  it('keeps a sample nested: a hop in the sample at twice the stride is in it at the stride', () => {
    for (let id = 0; id < 5_000; id++) {
      const h = hashId(id);
      for (let s = 1; s < MAX_STRIDE; s *= 2) if (inSample(h, 2 * s)) expect(inSample(h, s)).toBe(true);
    }
    expect(inSample(hashId(123), 1)).toBe(true);
  });

  it('raises the stride at once to fit the room, and lowers it by halves only when a quarter would do', () => {
    expect(nextStride(1, 10, 20)).toBe(1);
    expect(nextStride(1, 45, 20)).toBe(4); // 45 hops on a lane with room for 20 dots: 1 in 4
    expect(nextStride(4, 45, 20)).toBe(4);
    expect(nextStride(4, 30, 20)).toBe(4); // 2 would do, not a quarter of 4: stays
    expect(nextStride(4, 20, 20)).toBe(2); // 1 would do: halves
    expect(nextStride(2, 0, 20)).toBe(1);
    expect(nextStride(1, 1e9, 1)).toBe(MAX_STRIDE);
    expect(nextStride(8, 50, 0)).toBe(64); // no room at all counts as room for one
  });
});

describe('the particle buffer', () => {
  it('makes a dot of every hop on a lane that is not sampled, timed on the animation clock', () => {
    const b = new ParticleBuffer(100);
    b.reset(['a', 'b']);
    scheduleHops(b, [hop(1, { departMs: 0 }), hop(2, { departMs: 50, direction: 'response', from: 'b', to: 'a', fate: 'ok' })], { fromSimMs: 0, toSimMs: 100, wallMs: 20, animMs: 1_000 });
    expect(b.size).toBe(2);
    expect(b.start[1]).toBe(1_010);
    expect(b.duration[0]).toBe(MIN_HOP_WALL_MS);
    expect(b.lanes.map((l) => [l.from, l.to, l.response])).toEqual([
      [0, 1, false],
      [1, 0, true],
    ]);
    expect(b.fate[1]).toBe(FATES.indexOf('ok'));
    expect(visibleCount(b, 1_100)).toBe(2);
    expect(visibleCount(b, 1_000 + MIN_HOP_WALL_MS + 20)).toBe(0);
  });

  it('on a sampled lane makes dots only of the hops in the sample, and draws only the current sample', () => {
    const b = new ParticleBuffer(1_000);
    b.reset(['a', 'b']);
    const lane = b.laneOf(0, 1, false);
    lane.stride = 4;
    const hops = Array.from({ length: 400 }, (_, i) => hop(i + 1));
    scheduleHops(b, hops, { fromSimMs: 0, toSimMs: 100, wallMs: 16, animMs: 0 });
    const inFour = hops.filter((h) => inSample(hashId(h.requestId), 4)).length;
    expect(b.size).toBe(inFour);
    expect(b.skipped).toBe(400 - inFour);
    expect([...b.madeAtStride.subarray(0, b.size)].every((s) => s === 4)).toBe(true);
    // Sampling harder hides the dots outside the new sample at once; easing off brings none back.
    lane.stride = 16;
    const inSixteen = hops.filter((h) => inSample(hashId(h.requestId), 16)).length;
    expect(visibleCount(b, 100)).toBe(inSixteen);
    lane.stride = 1;
    expect(visibleCount(b, 100)).toBe(inFour);
    // Each dot stands for the hops of its stride: about the 400 there were.
    expect(unsampledCount(b, 100)).toBe(4 * inFour);
    expect(Math.abs(unsampledCount(b, 100) - 400)).toBeLessThan(80);
  });

  it('forgets hops between nodes it does not show', () => {
    const b = new ParticleBuffer(10);
    b.reset(['a', 'b']);
    scheduleHops(b, [hop(1, { to: 'elsewhere' })], { fromSimMs: 0, toSimMs: 10, wallMs: 16, animMs: 0 });
    expect(b.size).toBe(0);
    expect(b.lanes).toHaveLength(0);
  });

  it('shows the flow at its size from the first frame', () => {
    const b = new ParticleBuffer(10);
    b.reset(['a', 'b']);
    b.addFlows([{ from: 'a', to: 'b', direction: 'request', counts: { pending: 50 } }], 100, 16);
    expect(b.laneOf(0, 1, false).rate).toBeCloseTo(500, 6);
    b.addFlows([{ from: 'a', to: 'b', direction: 'request', counts: { pending: 150 } }], 100, 16);
    const rate = b.laneOf(0, 1, false).rate;
    expect(rate).toBeGreaterThan(500);
    expect(rate).toBeLessThan(1_500);
  });

  it("smooths each lane's flow toward its hops per simulated second, by fate, over wall time", () => {
    const b = new ParticleBuffer(10);
    b.reset(['a', 'b']);
    const flow: HopFlow[] = [{ from: 'b', to: 'a', direction: 'response', counts: { ok: 30, error: 10 } }];
    // 40 hops in every 100 ms of simulated time (400/s), frames of 50 ms of wall time.
    for (let i = 0; i < 200; i++) b.addFlows(flow, 100, 50);
    const lane = b.laneOf(1, 0, true);
    expect(lane.rate).toBeCloseTo(400, 3);
    expect(lane.mixOf(FATES.indexOf('ok'))).toBeCloseTo(300, 3);
    expect(lane.mixOf(FATES.indexOf('error'))).toBeCloseTo(100, 3);
    // One time constant without hops: down to 1/e.
    const frames = FLOW_SMOOTHING_MS / 50;
    for (let i = 0; i < frames; i++) b.addFlows([], 100, 50);
    expect(lane.rate).toBeCloseTo(400 / Math.E, 1);
    // A frame that covers no simulated time (a step, a pause) says nothing about the rate.
    const before = lane.rate;
    b.addFlows([], 0, 50);
    expect(lane.rate).toBe(before);
  });

  it('knows how sampled a lane is from the hops the worker counted and the dots it made', () => {
    const b = new ParticleBuffer(10_000);
    b.reset(['a', 'b']);
    const hops = Array.from({ length: 100 }, (_, i) => hop(i + 1));
    // The worker sent 100 of 800 hops; the buffer draws them all.
    scheduleHops(b, hops, { fromSimMs: 0, toSimMs: 100, wallMs: 16, animMs: 0 }, [{ from: 'a', to: 'b', direction: 'request', counts: { pending: 800 } }]);
    const lane = b.laneOf(0, 1, false);
    expect(lane.sampling).toBeCloseTo(8, 6);
    expect(lane.sampled).toBe(true);
    // A lane whose every hop is a dot is not sampled.
    const c = new ParticleBuffer(10_000);
    c.reset(['a', 'b']);
    scheduleHops(c, hops, { fromSimMs: 0, toSimMs: 100, wallMs: 16, animMs: 0 }, [{ from: 'a', to: 'b', direction: 'request', counts: { pending: 100 } }]);
    expect(c.laneOf(0, 1, false).sampled).toBe(false);
  });

  it('starts over on reset: no dots, no flow, and new lanes for a new graph', () => {
    const b = new ParticleBuffer(10);
    b.reset(['a', 'b']);
    scheduleHops(b, [hop(1)], { fromSimMs: 0, toSimMs: 100, wallMs: 16, animMs: 0 }, [{ from: 'a', to: 'b', direction: 'request', counts: { pending: 9 } }]);
    b.laneOf(0, 1, false).stride = 8;
    b.reset();
    expect(b.size).toBe(0);
    expect(b.lanes[0]!.rate).toBe(0);
    expect(b.lanes[0]!.stride).toBe(1);
    b.reset(['x', 'y', 'z']);
    expect(b.lanes).toHaveLength(0);
    expect(b.nodeIndex('z')).toBe(2);
  });
});

describe('the band of a busy lane', () => {
  it('widens with the flow on a log scale, within bounds', () => {
    expect(bandWidth(0)).toBe(1.5);
    expect(bandWidth(10)).toBeLessThan(bandWidth(100));
    expect(bandWidth(100)).toBeLessThan(bandWidth(1_000));
    // Ten times the flow adds a fixed width, not ten times the width.
    expect(bandWidth(1_000) - bandWidth(100)).toBeCloseTo(bandWidth(500) - bandWidth(50), 0);
    expect(bandWidth(1e9)).toBe(16);
  });
});

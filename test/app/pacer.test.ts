import { describe, expect, it } from 'vitest';
import { EVENTS_PER_FRAME, EVENTS_PER_FRAME_MAX, MAX_WALL_STEP_MS, Pacer } from '../../src/app/simulation/pacer';
import type { PacerHost } from '../../src/app/simulation/pacer';
import type { Speed } from '../../src/app/playback';

function host(over: Partial<{ playing: boolean; speed: Speed; ready: boolean; simMs: number; durationMs: number }> = {}) {
  const state = { playing: true, speed: 1 as Speed, ready: true, simMs: 0, durationMs: 60_000, ...over };
  const sent: { toMs: number; maxEvents: number }[] = [];
  const h: PacerHost = {
    playing: () => state.playing,
    speed: () => state.speed,
    ready: () => state.ready,
    simMs: () => state.simMs,
    durationMs: () => state.durationMs,
    advance: (toMs, maxEvents) => sent.push({ toMs, maxEvents }),
  };
  return { state, sent, h };
}

describe('the pacer', () => {
  it('advances simulated time by wall time × speed, one advance per frame', () => {
    const { state, sent, h } = host({ speed: 10, simMs: 500 });
    const pacer = new Pacer(h);
    pacer.tick(1000);
    pacer.tick(1016);
    expect(sent).toEqual([
      { toMs: 500, maxEvents: EVENTS_PER_FRAME },
      { toMs: 660, maxEvents: EVENTS_PER_FRAME },
    ]);
    expect(pacer.span).toEqual({ fromSimMs: 500, wallMs: 16 });
    expect(pacer.clock.animMs).toBe(16);
    state.simMs = 660;
    pacer.landed(660);
    expect(pacer.span).toEqual({ fromSimMs: 660, wallMs: 0 });
  });

  it('caps one frame at MAX_WALL_STEP_MS, so a background tab resumes without a leap', () => {
    const { sent, h } = host();
    const pacer = new Pacer(h);
    pacer.tick(0);
    pacer.tick(10_000);
    expect(sent[1]!.toMs).toBe(MAX_WALL_STEP_MS);
  });

  it('waits while the worker is busy, and then covers the frames it waited for (up to the cap)', () => {
    const { state, sent, h } = host();
    const pacer = new Pacer(h);
    pacer.tick(0);
    state.ready = false;
    pacer.tick(20);
    pacer.tick(40);
    state.ready = true;
    pacer.tick(60);
    expect(sent.map((s) => s.toMs)).toEqual([0, 60]);
  });

  it('stands still while paused: no advance, and the clock does not move', () => {
    const { state, sent, h } = host({ playing: false });
    const pacer = new Pacer(h);
    pacer.tick(0);
    pacer.tick(50);
    expect(sent).toEqual([]);
    expect(pacer.clock.animMs).toBe(0);
    state.playing = true;
    pacer.tick(66);
    expect(sent).toEqual([{ toMs: 16, maxEvents: EVENTS_PER_FRAME }]);
  });

  it('at "max" asks for the end, with the larger cap of events', () => {
    const { sent, h } = host({ speed: 'max', durationMs: 90_000 });
    new Pacer(h).tick(0);
    expect(sent).toEqual([{ toMs: 90_000, maxEvents: EVENTS_PER_FRAME_MAX }]);
  });
});

import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/engine/kernel';

describe('Kernel', () => {
  it('runs events in time order and moves the clock to each event', () => {
    const k = new Kernel();
    const seen: [number, string][] = [];
    const t = k.register('t', (name: string) => seen.push([k.now, name]));
    k.schedule(30, t, 'c');
    k.schedule(10, t, 'a');
    k.schedule(20, t, 'b');
    expect(k.run()).toBe('empty');
    expect(seen).toEqual([
      [10, 'a'],
      [20, 'b'],
      [30, 'c'],
    ]);
    expect(k.events).toBe(3);
  });

  it('breaks ties at equal times by scheduling order, whatever the heap layout', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const t = k.register('t', (i: number) => seen.push(i));
    // Interleave many equal-time events with others so the heap reorders heavily.
    for (let i = 0; i < 500; i++) {
      k.schedule(5, t, i);
      k.schedule((i * 7919) % 13, t, -1);
    }
    k.run();
    expect(seen.filter((i) => i >= 0)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('events scheduled while running at the current time run after those already queued for it', () => {
    const k = new Kernel();
    const seen: string[] = [];
    const t = k.register('t', (s: string) => {
      seen.push(s);
      if (s === 'first') k.schedule(0, t, 'spawned');
    });
    k.schedule(1, t, 'first');
    k.schedule(1, t, 'second');
    k.run();
    expect(seen).toEqual(['first', 'second', 'spawned']);
  });

  it('cancelled timers never run and are not counted (lazy deletion)', () => {
    const k = new Kernel();
    const seen: string[] = [];
    const t = k.register('t', (s: string) => seen.push(s));
    const h = k.schedule(10, t, 'timeout');
    k.schedule(5, t, 'answer');
    k.cancel(h);
    k.cancel(h);
    k.run();
    expect(seen).toEqual(['answer']);
    expect(k.events).toBe(1);
  });

  it('cancelling an event that already ran does not affect later ones', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const t = k.register('t', (i: number) => seen.push(i));
    const h = k.schedule(1, t, 1);
    k.run();
    k.cancel(h);
    k.schedule(1, t, 2);
    k.run();
    expect(seen).toEqual([1, 2]);
  });

  it('run({ untilMs }) stops before later events and leaves the clock at untilMs', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const t = k.register('t', () => seen.push(k.now));
    k.schedule(10, t, null);
    k.schedule(20, t, null);
    expect(k.run({ untilMs: 15 })).toBe('until');
    expect(seen).toEqual([10]);
    expect(k.now).toBe(15);
    expect(k.run({ untilMs: 20 })).toBe('empty');
    expect(seen).toEqual([10, 20]);
  });

  it('an event exactly at untilMs runs', () => {
    const k = new Kernel();
    let ran = false;
    const t = k.register('t', () => (ran = true));
    k.schedule(10, t, null);
    k.run({ untilMs: 10 });
    expect(ran).toBe(true);
  });

  it('run({ maxEvents }) processes at most that many; step() exactly one', () => {
    const k = new Kernel();
    const t = k.register('t', () => {});
    for (let i = 0; i < 10; i++) k.schedule(i, t, null);
    expect(k.run({ maxEvents: 4 })).toBe('max-events');
    expect(k.events).toBe(4);
    expect(k.step()).toBe(true);
    expect(k.events).toBe(5);
    expect(k.now).toBe(4);
  });

  it('refuses to schedule into the past', () => {
    const k = new Kernel();
    const t = k.register('t', () => {});
    k.schedule(10, t, null);
    k.run();
    expect(() => k.schedule(-1, t, null)).toThrow(/backwards/);
    expect(() => k.at(5, t, null)).toThrow(/clock is at 10/);
    expect(() => k.schedule(Number.NaN, t, null)).toThrow();
  });

  it('halt() stops the run before the next event and keeps it stopped', () => {
    const k = new Kernel();
    let n = 0;
    const t = k.register('t', () => {
      n++;
      k.schedule(1, t, null);
      if (n === 3) k.halt('limit reached: test');
    });
    k.schedule(0, t, null);
    expect(k.run()).toBe('halted');
    expect(n).toBe(3);
    expect(k.run()).toBe('halted');
    expect(k.haltedBy).toBe('limit reached: test');
  });

  it('the clock never goes backwards over a random workload', () => {
    const k = new Kernel();
    let last = 0;
    let ok = true;
    let x = 12345;
    const rand = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const t = k.register('t', () => {
      if (k.now < last) ok = false;
      last = k.now;
      if (k.events < 20000) k.schedule(rand() < 0.2 ? 0 : rand() * 100, t, null);
    });
    for (let i = 0; i < 100; i++) k.schedule(rand() * 50, t, null);
    k.run();
    expect(ok).toBe(true);
    expect(k.events).toBeGreaterThanOrEqual(20000);
  });
});

describe('Kernel timer handles', () => {
  it('cancel works past 2^22 pending events: a cancelled event never fires', () => {
    const k = new Kernel();
    const N = 4_194_304 + 1000;
    const seen: string[] = [];
    const t = k.register('t', (s: string) => seen.push(s));
    // Slots are handed out in order: the last 1,000 events sit in slots past 2^22. They are the
    // earliest, so if a cancel of theirs were lost they would fire first.
    const handles: number[] = [];
    for (let i = 0; i < N; i++) {
      const late = i >= N - 1000;
      const h = k.schedule(late ? 1 : 10, t, late ? 'cancelled' : 'live');
      if (late) handles.push(h);
    }
    expect(k.pending).toBe(N);
    for (const h of handles) expect(k.cancel(h)).toBe(true);
    for (const h of handles) expect(k.cancel(h)).toBe(false);
    expect(k.pending).toBe(N - 1000);
    expect(k.run({ untilMs: 9 })).toBe('until');
    expect(seen).toEqual([]);
    expect(k.events).toBe(0);
    expect(k.step()).toBe(true);
    expect([k.now, seen]).toEqual([10, ['live']]);
  });

  it('a handle kept after its event ran never cancels a later event in the same slot', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const t = k.register('t', (i: number) => seen.push(i));
    const handles: number[] = [];
    for (let i = 0; i < 1000; i++) {
      handles.push(k.schedule(1, t, i));
      k.run();
    }
    // Every event reused one slot; every stale handle is distinct and does nothing.
    expect(new Set(handles).size).toBe(1000);
    k.schedule(1, t, 1000);
    for (const h of handles) expect(k.cancel(h)).toBe(false);
    k.run();
    expect(seen).toEqual(Array.from({ length: 1001 }, (_, i) => i));
  });
});

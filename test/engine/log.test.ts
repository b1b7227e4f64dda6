import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/engine/log';

function fill(log: EventLog, n: number, tweak = -1) {
  for (let i = 0; i < n; i++) log.emit(i * 0.5, i % 7, i % 3, i, i === tweak ? 1.5 : 0, 0);
}

describe('EventLog', () => {
  it('equal event sequences hash equal; any change to one field changes the hash', () => {
    const a = new EventLog({ capacity: 10 });
    const b = new EventLog({ capacity: 1000 });
    fill(a, 500);
    fill(b, 500);
    expect(a.hash()).toBe(b.hash());
    const c = new EventLog({ capacity: 10 });
    fill(c, 500, 250);
    expect(c.hash()).not.toBe(a.hash());
    const d = new EventLog();
    fill(d, 499);
    expect(d.hash()).not.toBe(a.hash());
  });

  it('the hash covers every event even after the ring dropped old ones', () => {
    const a = new EventLog({ capacity: 4 });
    const b = new EventLog({ capacity: 4 });
    a.emit(0, 1, 0, 1);
    b.emit(0, 1, 0, 2);
    for (let i = 1; i < 10; i++) {
      a.emit(i, 1, 0, 9);
      b.emit(i, 1, 0, 9);
    }
    expect(a.records()).toEqual(b.records());
    expect(a.hash()).not.toBe(b.hash());
  });

  it('the ring keeps the last `capacity` events, oldest first', () => {
    const log = new EventLog({ capacity: 3 });
    for (let i = 0; i < 5; i++) log.emit(i, 0, 0, i);
    expect(log.records().map((r) => r.a)).toEqual([2, 3, 4]);
    expect(log.records(2).map((r) => r.a)).toEqual([3, 4]);
    expect(log.truncated).toBe(true);
    expect(log.count).toBe(5);
  });

  it('keepAll keeps every event', () => {
    const log = new EventLog({ keepAll: true });
    for (let i = 0; i < 50; i++) log.emit(i, 2, 1, i, 0.25, -3);
    const r = log.records();
    expect(r).toHaveLength(50);
    expect(r[49]).toEqual({ t: 49, kind: 2, node: 1, a: 49, b: 0.25, c: -3 });
  });

  it('the hash is 16 hex digits and does not change when read', () => {
    const log = new EventLog();
    fill(log, 10);
    const h = log.hash();
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(log.hash()).toBe(h);
  });
});

import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Streams, createStream, streamFrom } from '../../src/engine/random';

const draw = (u: () => number, n: number) => Array.from({ length: n }, () => u());

describe('seeded streams', () => {
  it('the same (seed, component, purpose) gives the same draws', () => {
    expect(draw(createStream('s', 'orders', 'serviceTime'), 100)).toEqual(draw(createStream('s', 'orders', 'serviceTime'), 100));
  });

  it('different components, purposes or seeds give different draws', () => {
    const base = draw(createStream('s', 'orders', 'serviceTime'), 10);
    expect(draw(createStream('s', 'users', 'serviceTime'), 10)).not.toEqual(base);
    expect(draw(createStream('s', 'orders', 'error'), 10)).not.toEqual(base);
    expect(draw(createStream('t', 'orders', 'serviceTime'), 10)).not.toEqual(base);
    expect(draw(createStream(7, 'orders', 'serviceTime'), 10)).not.toEqual(base);
  });

  it('one stream is untouched by draws from another (adding a node reshuffles nothing)', () => {
    const a = new Streams('seed');
    const b = new Streams('seed');
    const other = b.get('new-node', 'serviceTime');
    draw(other, 1000);
    expect(draw(a.get('orders', 'arrival'), 50)).toEqual(draw(b.get('orders', 'arrival'), 50));
  });

  it('draws are uniform on [0, 1)', () => {
    const u = createStream('uniformity', 'x', 'y');
    const bins = new Array(10).fill(0);
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = u();
      if (!(x >= 0 && x < 1)) outside++;
      bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const chi2 = bins.reduce((s, b) => s + (b - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it("draws exactly what seedrandom's alea draws for the same name", () => {
    expect(draw(createStream('s', 'orders', 'serviceTime'), 1000)).toEqual(draw(seedrandom.alea('s|orders|serviceTime'), 1000));
  });

  it('a stream made from a copy of another one\'s state draws what the other draws from there on', () => {
    const u = createStream('s', 'orders', 'arrival');
    draw(u, 137);
    const copy = streamFrom({ ...u.recipe.state });
    expect(draw(copy, 500)).toEqual(draw(u, 500));
  });
});

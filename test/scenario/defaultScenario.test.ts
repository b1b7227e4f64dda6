import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { shareUrl } from '../../src/scenario/codec';
import { validateScenario } from '../../src/scenario/validate';
import type { ServiceNode } from '../../src/scenario/schema';

describe('the default scenario', () => {
  const result = validateScenario(defaultScenario);

  it('is valid', () => {
    expect(result).toMatchObject({ ok: true });
  });

  it('is "Checkout under load" as specified', () => {
    if (!result.ok) throw new Error('invalid');
    const s = result.scenario;
    expect(s.name).toBe('Checkout under load');
    expect(s.seed).toBe('workshop-1');
    expect(s.durationMs).toBe(60000);
    expect(s.nodes.map((n) => `${n.id}:${n.kind}`)).toEqual(['shoppers:client', 'checkout:service', 'inventory:service', 'payments:service']);
    expect(s.nodes[0]).toMatchObject({ target: 'checkout', arrival: { type: 'poisson', ratePerSec: 40 } });
    const checkout = s.nodes[1] as ServiceNode;
    expect(checkout).toMatchObject({
      instances: 2,
      concurrency: 4,
      callMode: 'sequential',
      serviceTime: { dist: 'lognormal', medianMs: 15, p99Ms: 60 },
    });
    expect(checkout.calls.map((c) => c.target)).toEqual(['inventory', 'payments']);
    expect(s.nodes[2]).toMatchObject({ serviceTime: { dist: 'exponential', meanMs: 8 } });
    expect(s.nodes[3]).toMatchObject({ serviceTime: { dist: 'lognormal', medianMs: 20, p99Ms: 120 }, errorRate: 0.02, errorStatus: 502 });
  });

  it('lays every node out, left to right along the calls', () => {
    if (!result.ok) throw new Error('invalid');
    const layout = result.scenario.layout!;
    expect(Object.keys(layout).sort()).toEqual(['checkout', 'inventory', 'payments', 'shoppers']);
    expect(layout.shoppers!.x).toBeLessThan(layout.checkout!.x);
    expect(layout.checkout!.x).toBeLessThan(layout.inventory!.x);
    expect(layout.checkout!.x).toBeLessThan(layout.payments!.x);
  });

  it('makes a short share URL', () => {
    const url = shareUrl('https://faultline.example/', defaultScenario);
    console.log(`default scenario share URL: ${url.length} characters`);
    expect(url.length).toBeLessThan(2000);
  });
});

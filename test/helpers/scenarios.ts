import { parseScenario } from '../../src/scenario/validate';
import type { Scenario } from '../../src/scenario/schema';

/** A validated scenario from a partial document (format and name filled in). */
export function scenario(doc: Record<string, unknown>): Scenario {
  return parseScenario({ format: 'faultline/1', name: 'test', ...doc });
}

/** One client with poisson arrivals straight into one service: a single queueing station. */
export function station(opts: {
  seed: string | number;
  ratePerSec: number;
  servers: number;
  serviceTime: unknown;
  durationMs: number;
}): Scenario {
  return scenario({
    seed: opts.seed,
    durationMs: opts.durationMs,
    network: { latency: 0 },
    nodes: [
      { id: 'load', kind: 'client', target: 'station', arrival: { type: 'poisson', ratePerSec: opts.ratePerSec } },
      { id: 'station', kind: 'service', concurrency: opts.servers, queueLimit: null, serviceTime: opts.serviceTime },
    ],
  });
}

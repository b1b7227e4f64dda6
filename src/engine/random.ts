/**
 * Seeded random streams. Every random choice in a run comes from a stream named by
 * (scenario seed, component id, purpose), e.g. `workshop-1|orders|serviceTime`, so adding a node
 * or changing one parameter does not reshuffle the draws of the others: two runs that differ in
 * one setting see the same arrivals and the same faults.
 *
 * The generator is seedrandom's Alea (fast, 32 bits per draw; the default ARC4 is several times
 * slower per draw): seeded by seedrandom, stepped here over a plain state object that the stream
 * carries as `recipe.state`, so a copy of a run (run/checkpoint.ts) can copy a stream's position.
 */
import seedrandom from 'seedrandom';

/** A uniform stream on [0, 1). */
export type Uniform = () => number;

export function streamName(seed: string | number, component: string, purpose: string): string {
  return `${String(seed)}|${component}|${purpose}`;
}

/** Where an Alea stream stands: its three seeds and its carry. */
export interface StreamState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** A stream and what it is made of: another stream from a copy of `state` draws the same numbers from here on. */
export interface Stream extends Uniform {
  readonly recipe: { readonly kind: 'stream'; readonly state: StreamState };
}

export function createStream(seed: string | number, component: string, purpose: string): Stream {
  return streamFrom(seedrandom.alea(streamName(seed, component, purpose), { state: true }).state() as StreamState);
}

/** The stream that steps `state` (seedrandom's alea.js `next`, the same arithmetic). */
export function streamFrom(state: StreamState): Stream {
  const u = (): number => {
    const t = 2091639 * state.s0 + state.c * 2.3283064365386963e-10; // 2^-32
    state.s0 = state.s1;
    state.s1 = state.s2;
    return (state.s2 = t - (state.c = t | 0));
  };
  return Object.assign(u, { recipe: { kind: 'stream' as const, state } });
}

/** Hands out one stream per (component, purpose) of a run, all derived from its seed. */
export class Streams {
  private readonly made = new Map<string, Uniform>();
  constructor(readonly seed: string | number) {}

  get(component: string, purpose: string): Uniform {
    const key = `${component}|${purpose}`;
    let s = this.made.get(key);
    if (!s) {
      s = createStream(this.seed, component, purpose);
      this.made.set(key, s);
    }
    return s;
  }
}

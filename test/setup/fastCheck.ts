import fc from 'fast-check';

/**
 * Property tests draw their cases from one fixed seed, so `npm test` and CI explore the same cases
 * on every run and a red build is reproducible. To explore new cases, set FC_SEED (a number, or
 * `random` for a fresh one that fast-check prints when a property fails).
 */
const raw = process.env.FC_SEED;
if (raw !== 'random') {
  const seed = raw === undefined || raw === '' ? 20_261_206 : Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got "${raw}"`);
  fc.configureGlobal({ seed });
}

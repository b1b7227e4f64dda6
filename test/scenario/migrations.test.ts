import { describe, expect, it } from 'vitest';
import { CURRENT_FORMAT, MIGRATIONS, migrate, runMigrations, type Migration } from '../../src/scenario/migrations';
import { validateScenario } from '../../src/scenario/validate';

/** A made-up history: v1 called the duration `runMs`, v2 renamed it, v3 nested the seed. */
const history: Record<string, Migration> = {
  'faultline/1': ({ runMs, ...doc }) => ({ ...doc, format: 'faultline/2', durationMs: runMs }),
  'faultline/2': ({ seed, ...doc }) => ({ ...doc, format: 'faultline/3', random: { seed } }),
};

describe('migrations', () => {
  it('faultline/1 is current and has nothing to migrate from', () => {
    expect(CURRENT_FORMAT).toBe('faultline/1');
    expect(Object.keys(MIGRATIONS)).toEqual([]);
    const doc = { format: 'faultline/1', name: 'x' };
    expect(migrate(doc)).toEqual({ ok: true, document: doc, applied: [] });
  });

  it('takes an old document through every step in order', () => {
    const result = runMigrations({ format: 'faultline/1', runMs: 500, seed: 'a' }, history, 'faultline/3');
    expect(result).toEqual({
      ok: true,
      document: { format: 'faultline/3', durationMs: 500, random: { seed: 'a' } },
      applied: ['faultline/1', 'faultline/2'],
    });
  });

  it('starts from the middle when the document is newer', () => {
    const result = runMigrations({ format: 'faultline/2', seed: 7 }, history, 'faultline/3');
    expect(result).toEqual({ ok: true, document: { format: 'faultline/3', random: { seed: 7 } }, applied: ['faultline/2'] });
  });

  it('does not change the document it was given', () => {
    const doc = { format: 'faultline/1', runMs: 500, seed: 'a' };
    runMigrations(doc, history, 'faultline/3');
    expect(doc).toEqual({ format: 'faultline/1', runMs: 500, seed: 'a' });
  });

  it('says clearly when a document is newer than this version', () => {
    expect(migrate({ format: 'faultline/9', name: 'x' })).toEqual({
      ok: false,
      problems: [
        {
          path: 'format',
          message: '"faultline/9" is newer than this Faultline understands (it reads up to "faultline/1") — open it in a newer version',
        },
      ],
    });
  });

  it('rejects an unknown or missing format, and a non-object', () => {
    expect(migrate({ format: 'chaos/1' })).toEqual({
      ok: false,
      problems: [{ path: 'format', message: 'must be "faultline/1" — got "chaos/1"' }],
    });
    expect(migrate({ format: 1 })).toEqual({ ok: false, problems: [{ path: 'format', message: 'must be "faultline/1" — got 1' }] });
    expect(migrate({})).toEqual({ ok: false, problems: [{ path: 'format', message: 'is required — must be "faultline/1"' }] });
    expect(migrate('text')).toEqual({ ok: false, problems: [{ path: '', message: 'a scenario must be a JSON object — got "text"' }] });
  });

  it('stops a migration list that loops', () => {
    const loop: Record<string, Migration> = {
      'faultline/1': (doc) => ({ ...doc, format: 'faultline/2' }),
      'faultline/2': (doc) => ({ ...doc, format: 'faultline/1' }),
    };
    const result = runMigrations({ format: 'faultline/1' }, loop, 'faultline/3');
    expect(result.ok).toBe(false);
  });

  it('validation runs migrations first and reports a newer format alone', () => {
    const result = validateScenario({ format: 'faultline/2', name: '', nodes: 'none' });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'format',
          message: '"faultline/2" is newer than this Faultline understands (it reads up to "faultline/1") — open it in a newer version',
        },
      ],
    });
  });
});

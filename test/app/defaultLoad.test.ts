import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD } from '../../src/app/simulation/defaultLoad';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { parseScenario } from '../../src/scenario/validate';
import { decodeShareFragment, encodeShareFragment } from '../../src/scenario/codec';
import { SimulationHost } from '../../src/run/host';
import * as checker from '../../src/run/checker';
import { createRun } from '../../src/run/run';

describe('the first scenario, checked when the app is built', () => {
  it('is exactly what the worker would make of the default document: its scenario and its share fragment', () => {
    expect(DEFAULT_LOAD.document).toBe(defaultScenario);
    expect(DEFAULT_LOAD.checked?.scenario).toStrictEqual(parseScenario(defaultScenario));
    expect(DEFAULT_LOAD.checked?.share).toBe(encodeShareFragment(defaultScenario));
    expect(decodeShareFragment(DEFAULT_LOAD.checked!.share)).toEqual({ ok: true, document: defaultScenario });
  });

  it('loads in a worker without its checker and runs as the checked document does: the same trace hash', () => {
    const host = new SimulationHost();
    expect(host.ready(DEFAULT_LOAD)).toBe(true);
    expect(host.ready({ type: 'load', document: defaultScenario })).toBe(false);
    const loaded = host.handle(DEFAULT_LOAD);
    if (loaded.type !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(loaded).slice(0, 300)}`);
    expect(loaded.share).toBe(encodeShareFragment(defaultScenario));
    const end = host.handle({ type: 'advance', toMs: DEFAULT_LOAD.checked!.scenario.durationMs });
    if (end.type !== 'frame') throw new Error(`expected a frame, got ${end.type}`);
    const fresh = createRun(parseScenario(defaultScenario));
    fresh.runToEnd();
    expect(end.frame.summary?.traceHash).toBe(fresh.summary().traceHash);

    // A command that checks a document answers an error until the checker is handed in.
    const edit = host.handle({ type: 'setDocument', document: defaultScenario, id: 7 });
    expect(edit).toMatchObject({ type: 'error', id: 7 });
    expect(edit.type === 'error' && edit.message).toBe("Error: the worker's checker is not loaded");
    host.provide('checker', checker);
    expect(host.handle({ type: 'setDocument', document: defaultScenario }).type).toBe('edited');
  });
});

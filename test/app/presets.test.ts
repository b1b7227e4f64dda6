import { describe, expect, it } from 'vitest';
import { loadPresets, presetNamed, usePresetLibrary } from '../../src/app/presets';
import { PRESETS } from '../../src/scenario/presets';

describe('the preset library as the page gets it', () => {
  it('is fetched once, on first use, and then known to the page', async () => {
    expect(usePresetLibrary.getState().presets).toBeNull();
    const first = loadPresets();
    expect(loadPresets()).toBe(first);
    const library = await first;
    expect(library.PRESETS).toBe(PRESETS);
    expect(usePresetLibrary.getState().presets).toBe(PRESETS);
  });

  it('recognises a preset by its document name, and nothing before the library is here', () => {
    const storm = PRESETS.find((p) => p.slug === 'retry-storm')!;
    expect(presetNamed(PRESETS, storm.document.name)).toBe(storm);
    expect(presetNamed(PRESETS, 'not a preset')).toBeUndefined();
    expect(presetNamed(PRESETS, undefined)).toBeUndefined();
    expect(presetNamed(null, storm.document.name)).toBeUndefined();
  });
});

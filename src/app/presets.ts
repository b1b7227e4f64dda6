/**
 * The preset library as the page gets it: a chunk of its own (the presets' documents and notes
 * weigh more than the rest of the scenario layer the first view uses), fetched once, when a link
 * names a preset, when the list opens, or to show the notes of the scenario on screen.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type * as PresetModule from '../scenario/presets';
import type { Preset } from '../scenario/presets';

type Library = typeof PresetModule;

let library: Promise<Library> | null = null;

/** The library, fetched on the first call. */
export function loadPresets(): Promise<Library> {
  library ??= import('../scenario/presets').then((m) => {
    usePresetLibrary.setState({ presets: m.PRESETS });
    return m;
  });
  return library;
}

/** The presets once fetched (null before). */
export const usePresetLibrary = create<{ presets: readonly Preset[] | null }>()(() => ({ presets: null }));

/** The presets, fetching them on first use: null until they are here. */
export function usePresets(): readonly Preset[] | null {
  const presets = usePresetLibrary((s) => s.presets);
  useEffect(() => {
    if (presets === null) void loadPresets();
  }, [presets]);
  return presets;
}

/** The preset a scenario is, recognised by its name (so a shared link to a preset shows its notes too). */
export function presetNamed(presets: readonly Preset[] | null, name: string | undefined): Preset | undefined {
  return name === undefined || presets === null ? undefined : presets.find((p) => p.document.name === name);
}

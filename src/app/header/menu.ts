/**
 * The header's overflow menu, as data: each entry a label, when it shows, and what it does. A
 * feature adds its entry here (a dialog it opens is listed in ../dialogs.tsx), so the header row
 * itself stays one row at 1024 px.
 */
import type { SimulationController } from '../simulation';
import { openDialog, useApp } from '../store';
import type { AppState } from '../store';
import { saveDocument } from '../files';
import type { PlaybackState } from '../playback';
import { requestCompare } from '../compare/request';

export interface MenuEntry {
  id: string;
  label: string;
  /** The group it is listed under. */
  group: 'Run' | 'Compare' | 'Scenario' | 'Share' | 'View' | 'Learn';
  /** A key that does the same, shown beside the label. */
  shortcut?: string;
  /** Hidden when this says so (embed mode hides whatever edits the document). */
  hidden?: (s: AppState) => boolean;
  /** Greyed out when this says so, from the app's state and the playback's. */
  disabled?: (s: AppState, playback: PlaybackState) => boolean;
  /** Said on hover, and why it is greyed out when it is. */
  title?: string;
  run: (controller: SimulationController) => void;
}

const noRun = (s: AppState) => s.scenario === null;
const editing = (s: AppState) => s.embed;

export const MENU_ENTRIES: MenuEntry[] = [
  { id: 'step', group: 'Run', label: 'Step one event', disabled: (s) => noRun(s) || s.finished, run: (c) => c.step() },
  { id: 'step-request', group: 'Run', label: 'Step to the end of the next request', shortcut: 'N', disabled: (s) => noRun(s) || s.finished, run: (c) => c.stepRequest() },
  {
    id: 'fork',
    group: 'Compare',
    label: 'What if from here…',
    title: 'Pause somewhere in the run, then change a setting or add a fault from that moment on and compare with the run as it goes on',
    hidden: editing,
    disabled: (s, playback) => noRun(s) || playback !== 'paused' || s.simTimeMs <= 0,
    run: () => requestCompare({ type: 'dialog', dialog: 'fork' }),
  },
  { id: 'sweep', group: 'Compare', label: 'Sweep a setting…', title: 'Run a grid of values of one or two settings and see a metric as a heatmap', hidden: editing, disabled: noRun, run: () => requestCompare({ type: 'dialog', dialog: 'sweep' }) },
  { id: 'open', group: 'Scenario', label: 'Open a scenario file…', hidden: editing, run: () => document.querySelector<HTMLInputElement>('[data-testid="open-file"]')?.click() },
  {
    id: 'save',
    group: 'Scenario',
    label: 'Save the scenario as JSON',
    hidden: editing,
    disabled: noRun,
    run: () => saveDocument(useApp.getState().document, useApp.getState().scenario?.name ?? 'scenario'),
  },
  { id: 'embed', group: 'Share', label: 'Embed in a page…', disabled: noRun, run: () => openDialog('embed') },
  { id: 'lessons', group: 'Learn', label: 'Lessons…', hidden: editing, run: () => openDialog('lessons') },
  { id: 'challenges', group: 'Learn', label: 'Challenges…', hidden: editing, run: () => openDialog('challenges') },
  { id: 'present', group: 'View', label: 'Presenter mode', shortcut: 'P', run: (c) => c.setPresent(!useApp.getState().present) },
  { id: 'help', group: 'View', label: 'Keyboard shortcuts', shortcut: '?', run: () => openDialog('help') },
];

/**
 * The header's overflow menu, as data: each entry a label, when it shows, and what it does. A
 * feature adds its entry here (a dialog it opens is listed in ../dialogs.tsx), so the header row
 * itself stays one row at 1024 px.
 */
import type { SimulationController } from '../simulation';
import { openDialog, useApp } from '../store';
import type { AppState } from '../store';
import { saveDocument } from '../files';

export interface MenuEntry {
  id: string;
  label: string;
  /** The group it is listed under. */
  group: 'Run' | 'Scenario' | 'Share' | 'View' | 'Learn';
  /** A key that does the same, shown beside the label. */
  shortcut?: string;
  /** Hidden when this says so (embed mode hides whatever edits the document). */
  hidden?: (s: AppState) => boolean;
  disabled?: (s: AppState) => boolean;
  run: (controller: SimulationController) => void;
}

const noRun = (s: AppState) => s.scenario === null;
const editing = (s: AppState) => s.embed;

export const MENU_ENTRIES: MenuEntry[] = [
  { id: 'step', group: 'Run', label: 'Step one event', disabled: (s) => noRun(s) || s.finished, run: (c) => c.step() },
  { id: 'step-request', group: 'Run', label: 'Step to the end of the next request', shortcut: 'N', disabled: (s) => noRun(s) || s.finished, run: (c) => c.stepRequest() },
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

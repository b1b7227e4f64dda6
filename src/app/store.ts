/**
 * What the panels draw, in one zustand store. Node states and the summary are written a few
 * times a second (the controller throttles them); the clock on every frame. Moving dots are not
 * here: they live in the particle buffer, drawn by the canvas layer without React.
 */
import { create } from 'zustand';
import type { Problem } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';
import type { NodeState, RunSummary } from '../run/types';
import type { Topology } from './canvas/layout';

export interface Banner {
  title: string;
  problems: Problem[];
}

/** What the inspector shows: a node, an edge of the canvas (topology edge id), or a fault of the timeline. */
export type Selection = { type: 'node'; id: string } | { type: 'edge'; id: string } | { type: 'fault'; index: number } | { type: 'scenario' };

export interface AppState {
  /** The validated scenario on screen (defaults applied), and the document as given (shared). */
  scenario: Scenario | null;
  document: unknown;
  /** The share fragment of that document, `s=2.…` (without "#"). */
  share: string | null;
  topology: Topology | null;
  /** Bumped on every load, so the canvas can refit. */
  loadCount: number;

  simTimeMs: number;
  durationMs: number;
  events: number;
  finished: boolean;
  nodes: Record<string, NodeState>;
  /** Requests per second each node saw over the last stretch of simulated time. */
  rates: Record<string, number>;
  summary: RunSummary | null;
  hopsDropped: number;

  banner: Banner | null;
  fatal: string | null;
  toast: { id: number; text: string } | null;

  /** The node or edge selected on the canvas (the inspector's subject). */
  selection: Selection | null;

  /**
   * Whether the document may be edited on the canvas (palette, wiring, delete, undo, import).
   * False for a read-only player (an embed): the editing controls are not offered at all.
   */
  editable: boolean;
  /** The side panel's open tab (side/tabs.ts lists them). */
  sideTab: string;
  /** The dialog open over the page (dialogs.tsx lists them), or null. */
  dialog: string | null;
  /** Presenter mode (large type, secondary panels folded) and the read-only embedded player. */
  present: boolean;
  embed: boolean;
  /**
   * Simulated time per wall second measured over the last seconds of play (null when not
   * measured: paused, or too short a stretch): the speed control shows it when the run lags.
   */
  realRate: number | null;
  /** A seek the worker is running in slices: how far it got, and where it goes. */
  seekProgress: { fromMs: number; atMs: number; toMs: number } | null;
  /** A seek is under way (from its first slice to its last, however short): the slider is busy. */
  seeking: boolean;
  /** The lesson open in the Story tab and its step (0-based), or the challenge: both travel in the link. */
  lesson: { id: string; step: number } | null;
  challenge: string | null;
  /** The run just before and just after the last settings edit (the before → after note). */
  applied: { before: RunSummary; after: RunSummary } | null;
}

export const useApp = create<AppState>()(() => ({
  scenario: null,
  document: null,
  share: null,
  topology: null,
  loadCount: 0,
  simTimeMs: 0,
  durationMs: 0,
  events: 0,
  finished: false,
  nodes: {},
  rates: {},
  summary: null,
  hopsDropped: 0,
  banner: null,
  fatal: null,
  toast: null,
  selection: null,
  editable: true,
  sideTab: 'story',
  dialog: null,
  present: false,
  embed: false,
  realRate: null,
  seekProgress: null,
  seeking: false,
  lesson: null,
  challenge: null,
  applied: null,
}));

let toastId = 0;
export function showToast(text: string): void {
  const id = ++toastId;
  useApp.setState({ toast: { id, text } });
  setTimeout(() => {
    if (useApp.getState().toast?.id === id) useApp.setState({ toast: null });
  }, 3500);
}

export function dismissBanner(): void {
  useApp.setState({ banner: null });
}

/** Opens a dialog of dialogs.tsx by its id. */
export function openDialog(id: string): void {
  useApp.setState({ dialog: id });
}

export function closeDialog(): void {
  useApp.setState({ dialog: null });
}

/** Whether the page may edit the document (the embedded player may not). */
export function useEditable(): boolean {
  return useApp((s) => s.editable && !s.embed);
}

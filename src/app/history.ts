/**
 * The undo history of the document on screen: every edit (canvas, inspector, faults, layout,
 * a compare variant applied) is pushed with a label saying what it did; undo and redo give back
 * the document to restore. It lives beside the run, not in it: seeks, restarts and re-runs leave
 * it alone; opening another document (a preset, a file, a link) starts a new one.
 *
 * `EditHistory` is a plain class (tested without a page); `editHistory` is the app's one
 * instance, and `useEditHistory` the React view of it (what the undo/redo buttons show).
 */
import { useSyncExternalStore } from 'react';

export interface HistoryEntry {
  /** The whole document after the edit. */
  document: unknown;
  /** What the edit did, in a few words: "add service-2", "delete db", "move 3 nodes". */
  label: string;
}

/** What the buttons need: whether undo/redo can do anything, and what they would undo/redo. */
export interface HistoryView {
  canUndo: boolean;
  canRedo: boolean;
  /** The label of the edit undo would take back (null: none). */
  undoLabel: string | null;
  redoLabel: string | null;
  /** Labels of the edits that can be undone (latest last) and redone (next first). */
  undoLabels: readonly string[];
  redoLabels: readonly string[];
}

/** The most edits kept; the oldest go first. */
export const HISTORY_LIMIT = 200;

export class EditHistory {
  /** entries[0] is the document as opened; entries[i > 0] the result of an edit. */
  private entries: HistoryEntry[] = [];
  private index = -1;
  private listeners = new Set<() => void>();
  private view: HistoryView = EditHistory.viewOf([], -1);

  constructor(private readonly limit = HISTORY_LIMIT) {}

  /** A new history whose base is `document` (another document was opened). */
  reset(document: unknown, label = 'open'): void {
    this.entries = [{ document, label }];
    this.index = 0;
    this.changed();
  }

  /** Records an edit: `document` is the document after it. Anything that was undone is dropped. */
  push(document: unknown, label: string): void {
    if (this.index < 0) {
      this.reset(document, label);
      return;
    }
    this.entries.length = this.index + 1;
    this.entries.push({ document, label });
    if (this.entries.length > this.limit + 1) this.entries.splice(0, this.entries.length - this.limit - 1);
    this.index = this.entries.length - 1;
    this.changed();
  }

  /** The document on screen as the history knows it (null before anything was opened). */
  get present(): unknown {
    return this.index >= 0 ? this.entries[this.index]!.document : null;
  }

  get canUndo(): boolean {
    return this.index > 0;
  }

  get canRedo(): boolean {
    return this.index >= 0 && this.index < this.entries.length - 1;
  }

  /**
   * What undo would do, without doing it: the document to restore and the label of the edit it
   * takes back. Call `undo()` once the restored document was accepted.
   */
  peekUndo(): HistoryEntry | null {
    return this.canUndo ? { document: this.entries[this.index - 1]!.document, label: this.entries[this.index]!.label } : null;
  }

  peekRedo(): HistoryEntry | null {
    return this.canRedo ? { document: this.entries[this.index + 1]!.document, label: this.entries[this.index + 1]!.label } : null;
  }

  /** Steps back: the document to restore, and the label of the edit taken back (null: nothing to undo). */
  undo(): HistoryEntry | null {
    const entry = this.peekUndo();
    if (entry) {
      this.index--;
      this.changed();
    }
    return entry;
  }

  /** Steps forward again: the document to restore, and the label of the edit redone. */
  redo(): HistoryEntry | null {
    const entry = this.peekRedo();
    if (entry) {
      this.index++;
      this.changed();
    }
    return entry;
  }

  /** Labels of the edits that can be undone, oldest first. */
  get labels(): { undo: string[]; redo: string[] } {
    return { undo: this.entries.slice(1, this.index + 1).map((e) => e.label), redo: this.entries.slice(this.index + 1).map((e) => e.label) };
  }

  /** The view for React (a new object only when something changed). */
  getView = (): HistoryView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.view = EditHistory.viewOf(this.entries, this.index);
    for (const l of this.listeners) l();
  }

  private static viewOf(entries: HistoryEntry[], index: number): HistoryView {
    const undoLabels = entries.slice(1, index + 1).map((e) => e.label);
    const redoLabels = entries.slice(index + 1).map((e) => e.label);
    return {
      canUndo: undoLabels.length > 0,
      canRedo: redoLabels.length > 0,
      undoLabel: undoLabels[undoLabels.length - 1] ?? null,
      redoLabel: redoLabels[0] ?? null,
      undoLabels,
      redoLabels,
    };
  }
}

/** The app's history (the controller pushes every document edit into it). */
export const editHistory = new EditHistory();

/** The history as the undo/redo buttons see it. */
export function useEditHistory(history: EditHistory = editHistory): HistoryView {
  return useSyncExternalStore(history.subscribe, history.getView, history.getView);
}

/**
 * Keyboard shortcuts: which key does what, and the speed ladder + and − climb. Pure, so the map
 * is tested without a page; HelpOverlay listens to the keys and lists them.
 */
import { SPEEDS } from './playback';
import type { Speed } from './playback';

export type KeyAction = 'toggle' | 'back' | 'forward' | 'back10' | 'forward10' | 'faster' | 'slower' | 'help' | 'close' | 'stepRequest' | 'present';

export interface KeyLike {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'Space', what: 'play / pause' },
  { keys: '← / →', what: 'seek back / forward 1 s (simulated)' },
  { keys: 'Shift + ← / →', what: 'seek back / forward 10 s' },
  { keys: '+ / −', what: 'faster / slower (0.1× … 100×, max)' },
  { keys: 'N', what: 'step to the end of the next request' },
  { keys: 'P', what: 'presenter mode on / off' },
  { keys: '?', what: 'this help' },
  { keys: 'Esc', what: 'close a menu, the help or a popover' },
  { keys: 'Home / End', what: 'on the time slider: jump to 00:00 / the end' },
  { keys: 'Tab', what: 'reach the nodes and the edges of the canvas; Enter selects the focused one' },
  { keys: 'Right-click, Shift + F10 or the menu key', what: 'on a node or an edge (focused): inject a fault, connect, rename, delete; ↑ / ↓, Enter, Esc in the menu' },
  { keys: 'Ctrl + Z', what: 'undo the last edit' },
  { keys: 'Ctrl + Shift + Z / Ctrl + Y', what: 'redo' },
  { keys: 'Delete / Backspace', what: 'delete the selected nodes or edge (and what refers to them)' },
  { keys: 'Ctrl + C / Ctrl + V', what: 'copy / paste the selected nodes (new ids)' },
  { keys: 'Shift + drag', what: 'select several nodes' },
];

export type EditAction = 'undo' | 'redo' | 'delete' | 'copy' | 'paste';

/** The editing action a key press stands for (Ctrl or ⌘ chords, Delete), or null. */
export function editActionFor(e: KeyLike): EditAction | null {
  const mod = e.ctrlKey === true || e.metaKey === true;
  if (e.altKey) return null;
  if (!mod) return e.key === 'Delete' || e.key === 'Backspace' ? 'delete' : null;
  switch (e.key.toLowerCase()) {
    case 'z':
      return e.shiftKey ? 'redo' : 'undo';
    case 'y':
      return e.shiftKey ? null : 'redo';
    case 'c':
      return e.shiftKey ? null : 'copy';
    case 'v':
      return e.shiftKey ? null : 'paste';
    default:
      return null;
  }
}

/** The action a key press stands for, or null (modifier chords are left to the browser). */
export function actionFor(e: KeyLike): KeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case ' ':
      return 'toggle';
    case 'ArrowLeft':
      return e.shiftKey ? 'back10' : 'back';
    case 'ArrowRight':
      return e.shiftKey ? 'forward10' : 'forward';
    case '+':
    case '=':
      return 'faster';
    case '-':
    case '_':
    case '−':
      return 'slower';
    case '?':
      return 'help';
    case 'Escape':
      return 'close';
    case 'n':
    case 'N':
      return 'stepRequest';
    case 'p':
    case 'P':
      return 'present';
    default:
      return null;
  }
}

/** Simulated milliseconds a seek action moves. */
export function seekDelta(action: KeyAction): number {
  switch (action) {
    case 'back':
      return -1000;
    case 'forward':
      return 1000;
    case 'back10':
      return -10_000;
    case 'forward10':
      return 10_000;
    default:
      return 0;
  }
}

/** One step up (+1) or down (−1) the speed ladder; stays at the ends. */
export function nextSpeed(speed: Speed, direction: 1 | -1): Speed {
  const i = SPEEDS.indexOf(speed);
  const j = Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? SPEEDS.indexOf(1) : i) + direction));
  return SPEEDS[j]!;
}

/** Keys typed into a field belong to the field, not to the shortcuts. */
export function isTypingTarget(el: { tagName?: string; isContentEditable?: boolean; type?: string } | null): boolean {
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  if (el.isContentEditable) return true;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return !['checkbox', 'radio', 'button', 'range'].includes((el.type ?? '').toLowerCase());
  return false;
}

/**
 * The keyboard shortcuts (keymap.ts), listened to on the window (`useShortcuts`), and the dialog
 * that lists them (opened by `?` or the menu). Keys typed into a form field stay in the field.
 */
import { useEffect } from 'react';
import type { SimulationController } from './simulation';
import { closeDialog, openDialog, useApp } from './store';
import { SHORTCUTS, actionFor, isTypingTarget, nextSpeed, seekDelta } from './keymap';
import { Dialog } from './Dialog';
import type { DialogProps } from './dialogs';

export function useShortcuts(controller: SimulationController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat && e.key === ' ') return;
      const action = actionFor(e);
      if (action === null) return;
      const target = e.target as HTMLElement | null;
      if (isTypingTarget(target)) return;
      const { dialog } = useApp.getState();
      if (action === 'close') {
        if (dialog !== null) closeDialog();
        return;
      }
      if (action === 'help') {
        e.preventDefault();
        if (dialog === 'help') closeDialog();
        else openDialog('help');
        return;
      }
      // Behind a dialog or inside a menu, the page's keys wait.
      if (dialog !== null || target?.closest('[role="menu"], [role="dialog"]')) return;
      // A focused button or link takes Space itself. The time slider, focused, leaves Space and the
      // arrows to the page (the arrows seek 1 s, as everywhere; Home, End, Page Up/Down stay its
      // own); it keeps the arrows only while the pointer holds it.
      if (action === 'toggle' && target?.closest('button, a, select, [role="menuitem"]')) return;
      if (action === 'toggle' && target instanceof HTMLInputElement && target.type !== 'range') return;
      if (seekDelta(action) !== 0 && target instanceof HTMLInputElement && target.type === 'range' && target.matches(':active')) return;
      e.preventDefault();
      switch (action) {
        case 'toggle':
          controller.togglePlay();
          break;
        case 'faster':
        case 'slower':
          controller.setSpeed(nextSpeed(controller.actor.getSnapshot().context.speed, action === 'faster' ? 1 : -1));
          break;
        case 'stepRequest':
          controller.stepRequest();
          break;
        case 'present':
          controller.setPresent(!useApp.getState().present);
          break;
        default:
          // From where a seek under way is going: presses in a row add up (and reach the end).
          controller.seek(controller.seekingTo + seekDelta(action));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

export default function HelpDialog({ onClose }: DialogProps) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="help-overlay">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Space and the arrows work wherever the focus is, except in a text field: on the time slider too, where ← / → seek as above and Home / End,
        Page Up / Page Down are the slider’s own. Seeking back re-runs from 00:00 to the new time: the run is the same at any speed, in any number of steps.
      </p>
    </Dialog>
  );
}

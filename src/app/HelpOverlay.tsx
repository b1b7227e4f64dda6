/**
 * The keyboard shortcuts (keymap.ts), listened to on the window, and the `?` overlay that lists
 * them. Keys typed into a form field stay in the field.
 */
import { useEffect, useRef, useState } from 'react';
import { useController } from './context';
import { useApp } from './store';
import { SHORTCUTS, actionFor, isTypingTarget, nextSpeed, seekDelta } from './keymap';

export function HelpOverlay() {
  const controller = useController();
  const [open, setOpen] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat && e.key === ' ') return;
      const action = actionFor(e);
      if (action === null) return;
      const target = e.target as HTMLElement | null;
      if (isTypingTarget(target)) return;
      if (action === 'close') {
        setOpen(false);
        return;
      }
      if (action === 'help') {
        e.preventDefault();
        setOpen((o) => !o);
        return;
      }
      // A focused button or link takes Space itself; a focused slider takes the arrows.
      if (action === 'toggle' && target?.closest('button, a, input, select, [role="menuitem"]')) return;
      if (seekDelta(action) !== 0 && target instanceof HTMLInputElement && target.type === 'range') return;
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
        default:
          controller.seek(useApp.getState().simTimeMs + seekDelta(action));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);

  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);

  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
        ?
      </button>
      {open ? (
        <div className="overlay" role="presentation" onClick={() => setOpen(false)}>
          <div className="dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()} data-testid="help-overlay">
            <div className="dialog-head">
              <h2>Keyboard shortcuts</h2>
              <button ref={closeRef} type="button" className="icon-btn" onClick={() => setOpen(false)} aria-label="Close the help">
                ×
              </button>
            </div>
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
            <p className="muted">Seeking back re-runs from 00:00 to the new time: the run is the same at any speed, in any number of steps.</p>
          </div>
        </div>
      ) : null}
    </>
  );
}

/** The header's overflow menu: the entries of menu.ts, grouped, reachable by keyboard (arrows, Escape). */
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useController, usePlayback } from '../context';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store';
import { MENU_ENTRIES } from './menu';

export function MoreMenu() {
  const controller = useController();
  const { state: playback } = usePlayback();
  const [open, setOpen] = useState(false);
  // Re-render on what the entries read (not on every frame), then read the whole state.
  useApp(useShallow((s) => [s.embed, s.present, s.finished, s.scenario, s.dialog, s.simTimeMs > 0]));
  const state = useApp.getState();
  const seed = state.scenario?.seed;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const entries = MENU_ENTRIES.filter((e) => !e.hidden?.(state));

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const away = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!listRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const items = [...(listRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const j = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : (i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
    items[j]?.focus();
  };

  return (
    <div className="more">
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-icon"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="More"
        title="More: step, what if from here, sweep, open and save, embed, lessons, presenter mode, shortcuts"
        onClick={() => setOpen((o) => !o)}
        data-testid="more-menu"
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open ? (
        <div className="more-list" role="menu" aria-label="More" ref={listRef} onKeyDown={onKeyDown}>
          {entries.map((entry, i) => {
            const head = i === 0 || entries[i - 1]!.group !== entry.group ? entry.group : null;
            return (
              <div key={entry.id} role="none">
                {head ? (
                  <div className="more-group" role="presentation">
                    {head}
                  </div>
                ) : null}
                <button
                  type="button"
                  role="menuitem"
                  className="more-item"
                  disabled={entry.disabled?.(state, playback) ?? false}
                  title={entry.title}
                  data-testid={`menu-${entry.id}`}
                  onClick={() => {
                    close(false);
                    entry.run(controller);
                  }}
                >
                  <span>{entry.label}</span>
                  {entry.shortcut ? <kbd aria-hidden="true">{entry.shortcut}</kbd> : null}
                </button>
              </div>
            );
          })}
          <div className="more-seed" role="presentation" title="The seed: the only source of randomness">
            seed <code data-testid="seed">{seed === undefined ? '' : String(seed)}</code>
          </div>
        </div>
      ) : null}
    </div>
  );
}

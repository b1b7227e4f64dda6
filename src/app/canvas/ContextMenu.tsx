/**
 * The right-click menu on a node, an edge or a queue: inject one of the faults that target can
 * suffer, for a chosen duration, at the current simulated time; end the faults acting on it now;
 * or open it in the inspector. Keyboard (it opens with Shift+F10 or the menu key on a focused node
 * or edge): the arrows, Home and End move, Enter acts, Escape closes (the canvas gives the focus
 * back to the node or edge).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { FaultKind } from '../../scenario/schema';
import { useController } from '../context';
import { useApp } from '../store';
import type { Selection } from '../store';
import { DURATIONS, INSTANCE_KINDS, defaultFault, faultHelp, faultKindsFor, faultRows, instanceChoices, onInstance } from '../faults/kinds';
import { EditMenuItems } from '../editing/EditMenuItems';
import { placeInside } from './place';

export interface MenuRequest {
  x: number;
  y: number;
  /** What the menu is about: a node id or a link "a->b" (null: an edge no fault can act on). */
  target: string | null;
  title: string;
  select: Selection;
  /** Why the faults not offered here are refused (an edge's note: edgeFaultOffer), or null. */
  note?: string | null;
  /** The node or canvas edge the menu's editing items (connect, rename, delete) act on. */
  edit?: { node?: string; edge?: string };
}

export function ContextMenu({ menu, onClose }: { menu: MenuRequest; onClose: () => void }) {
  const controller = useController();
  const scenario = useApp((s) => s.scenario);
  const simTimeMs = useApp((s) => s.simTimeMs);
  const [durationIndex, setDurationIndex] = useState(1);
  /** One instance (0-based) of a service with several, or null: all. */
  const [instance, setInstance] = useState<number | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', esc);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', esc);
    };
  }, [onClose]);

  // Keep the whole menu on screen as it is and as it changes (the rename form, the connect list):
  // placed from its measured size; taller than the window, it scrolls.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const place = () => {
      const at = placeInside(menu.x, menu.y, el.offsetWidth, el.offsetHeight, window.innerWidth, window.innerHeight);
      el.style.left = `${at.left}px`;
      el.style.top = `${at.top}px`;
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(el);
    window.addEventListener('resize', place);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', place);
    };
  }, [menu.x, menu.y]);

  if (!scenario) return null;
  const kinds = menu.target === null ? [] : faultKindsFor(scenario, menu.target);
  const active = menu.target === null ? [] : faultRows(scenario.faults, simTimeMs).filter((r) => r.target === menu.target && r.status === 'active');
  const duration = DURATIONS[durationIndex]!;
  // A service with several instances: the kinds that take `instance` may hit one of them.
  const instances = menu.target === null ? 0 : instanceChoices(scenario, menu.target, 'crash');
  const oneOf = (kind: FaultKind) => (instances > 0 && instance !== null && instance < instances && INSTANCE_KINDS.has(kind) ? instance : null);

  const inject = (kind: FaultKind) => {
    onClose();
    if (menu.target !== null) void controller.inject(onInstance(defaultFault(kind, menu.target, duration.ms), oneOf(kind)));
  };

  // Arrow keys move between the items (round), Home and End to the first and the last.
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemradio"]') ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'Home' ? items[0] : e.key === 'End' ? items.at(-1) : items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
    next?.focus();
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={`Actions on ${menu.title}`}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="context-menu"
    >
      <div className="menu-title">{menu.title}</div>
      <button
        type="button"
        role="menuitem"
        className="menu-item"
        onClick={() => {
          useApp.setState({ selection: menu.select });
          onClose();
        }}
      >
        Inspect settings…
      </button>
      {kinds.length > 0 ? (
        <>
          <div className="menu-section" id="menu-duration-label">
            Inject a fault for
          </div>
          <div className="menu-durations" role="group" aria-labelledby="menu-duration-label">
            {DURATIONS.map((d, i) => (
              <button
                key={d.label}
                type="button"
                role="menuitemradio"
                aria-checked={i === durationIndex}
                className={`chip${i === durationIndex ? ' is-on' : ''}`}
                onClick={() => setDurationIndex(i)}
              >
                {d.label}
              </button>
            ))}
          </div>
          {instances > 0 ? (
            <>
              <div className="menu-section" id="menu-instance-label">
                On (latency, error, crash, hang, slow)
              </div>
              <div className="menu-durations" role="group" aria-labelledby="menu-instance-label">
                {[null, ...Array.from({ length: instances }, (_, i) => i)].map((i) => (
                  <button
                    key={i === null ? 'all' : i}
                    type="button"
                    role="menuitemradio"
                    aria-checked={i === instance}
                    aria-label={i === null ? 'all instances' : `instance ${i}`}
                    className={`chip${i === instance ? ' is-on' : ''}`}
                    onClick={() => setInstance(i)}
                  >
                    {i === null ? 'all' : `#${i}`}
                  </button>
                ))}
              </div>
            </>
          ) : null}
          {kinds.map((kind) => (
            <button
              key={kind}
              type="button"
              role="menuitem"
              className="menu-item menu-fault"
              onClick={() => inject(kind)}
              aria-label={`Inject ${kind} on ${menu.target}${oneOf(kind) === null ? '' : ` instance ${oneOf(kind)}`} for ${duration.label}`}
              data-testid={`inject-${kind}`}
            >
              <span className="menu-fault-kind">{kind}</span>
              <span className="menu-help">{menu.target === null ? '' : faultHelp(scenario, menu.target, kind)}</span>
            </button>
          ))}
          {menu.note ? (
            <div className="menu-note" data-testid="menu-fault-note">
              {menu.note}
            </div>
          ) : null}
        </>
      ) : (
        <div className="menu-note" data-testid="menu-fault-note">
          {menu.note ?? (menu.target === null ? 'No network hop travels this edge.' : 'Faults on an exchange are not modelled: aim at a queue or at the publisher.')}
        </div>
      )}
      {menu.edit ? <EditMenuItems {...menu.edit} at={canvasPoint(menu.x, menu.y)} onClose={onClose} /> : null}
      {active.length > 0 ? <div className="menu-section">Active now</div> : null}
      {active.map((r) => (
        <button
          key={r.index}
          type="button"
          role="menuitem"
          className="menu-item"
          onClick={() => {
            onClose();
            void controller.endFault(r.index);
          }}
        >
          End {r.kind} now
        </button>
      ))}
    </div>
  );
}

/** A screen point in the canvas's own coordinates (where a connect prompt opens). */
function canvasPoint(x: number, y: number): { x: number; y: number } {
  const box = document.querySelector('.canvas-wrap')?.getBoundingClientRect();
  return box ? { x: x - box.left, y: y - box.top } : { x, y };
}

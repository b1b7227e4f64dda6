/**
 * The side panel beside the canvas, in tabs so each fits without scrolling the page: Story (the
 * scenario's notes with the figures they name, live, or the open lesson or challenge), Inspect
 * (the selection's settings, inject a fault, the fault timeline) and Summary. A feature adds a
 * tab to SIDE_TABS and its content to the switch below. Selecting a node or an edge opens Inspect.
 */
import './side.css';
import { Suspense, lazy, useEffect } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useApp } from '../store';
import type { AppState } from '../store';
import { SummaryPanel } from '../SummaryPanel';
import { FaultList } from '../faults/FaultList';
import { InjectForm } from '../faults/InjectForm';
import { StoryPanel } from './StoryPanel';

/** The inspector carries zod and the validator: loaded the first time something is selected. */
const Inspector = lazy(() => import('../inspector/Inspector'));

export interface SideTab {
  id: string;
  label: string;
  /** Hidden when this says so (the embedded player has no Inspect tab). */
  hidden?: (s: AppState) => boolean;
}

export const SIDE_TABS: SideTab[] = [
  { id: 'story', label: 'Story' },
  { id: 'inspect', label: 'Inspect', hidden: (s) => s.embed },
  { id: 'summary', label: 'Summary' },
];

function InspectPanel() {
  const selected = useApp((s) => s.selection !== null);
  return (
    <>
      {selected ? (
        <Suspense fallback={<p className="muted">Loading the inspector…</p>}>
          <Inspector />
        </Suspense>
      ) : (
        <p className="side-hint">Click a node or an edge to see and change its settings; right-click one (or focus it and press Shift+F10) to inject a fault.</p>
      )}
      <InjectForm />
      <FaultList />
    </>
  );
}

export function SidePanel() {
  const tab = useApp((s) => s.sideTab);
  const embed = useApp((s) => s.embed);
  const selection = useApp((s) => s.selection);
  const tabs = SIDE_TABS.filter((t) => !t.hidden?.(useApp.getState()));
  const current = tabs.some((t) => t.id === tab) ? tab : 'story';

  // Selecting something on the canvas shows its settings.
  useEffect(() => {
    if (selection !== null && !useApp.getState().embed) useApp.setState({ sideTab: 'inspect' });
  }, [selection]);

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    e.stopPropagation();
    const i = tabs.findIndex((t) => t.id === current);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length]!;
    useApp.setState({ sideTab: next.id });
    document.getElementById(`side-tab-${next.id}`)?.focus();
  };

  return (
    <aside className="side" aria-label="Story, settings and summary">
      <div className="side-tabs" role="tablist" aria-label="Side panel" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`side-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === current}
            aria-controls={`side-panel-${t.id}`}
            tabIndex={t.id === current ? 0 : -1}
            className={`side-tab${t.id === current ? ' is-active' : ''}`}
            onClick={() => useApp.setState({ sideTab: t.id })}
            data-testid={`side-tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      {/* Every panel stays mounted (hidden when not chosen): its figures keep their values. */}
      <div id="side-panel-story" role="tabpanel" aria-labelledby="side-tab-story" className="side-body" hidden={current !== 'story'} tabIndex={0}>
        <StoryPanel />
      </div>
      {embed ? null : (
        <div id="side-panel-inspect" role="tabpanel" aria-labelledby="side-tab-inspect" className="side-body" hidden={current !== 'inspect'} tabIndex={0}>
          <InspectPanel />
        </div>
      )}
      <div id="side-panel-summary" role="tabpanel" aria-labelledby="side-tab-summary" className="side-body" hidden={current !== 'summary'} tabIndex={0}>
        <SummaryPanel />
      </div>
    </aside>
  );
}

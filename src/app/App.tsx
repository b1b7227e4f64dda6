/**
 * The page: playback bar and toolbar on top, error banner, the canvas with its particle layer in
 * the middle, and on the right the summary, the inspector (when a node or edge is selected), the
 * fault timeline and the scenario's notes.
 */
import './app.css';
import { Suspense, lazy } from 'react';
import { ControllerContext } from './context';
import type { SimulationController } from './simulation';
import { PlaybackBar } from './PlaybackBar';
import { Banner } from './Banner';
import { FlowCanvas } from './canvas/FlowCanvas';
import { SummaryPanel } from './SummaryPanel';
import { Toast } from './Toast';
import { Toolbar } from './faults/Toolbar';
import { FaultList } from './faults/FaultList';
import { PresetNotes } from './PresetPicker';
import { useApp } from './store';
import { BottomPanel } from './panels/BottomPanel';

/** The inspector carries zod and the validator: loaded the first time something is selected. */
const Inspector = lazy(() => import('./inspector/Inspector'));

function SidePanel() {
  const selected = useApp((s) => s.selection !== null);
  return (
    <aside className="side" aria-label="Summary, settings and faults">
      <SummaryPanel />
      {selected ? (
        <Suspense fallback={<p className="muted">Loading the inspector…</p>}>
          <Inspector />
        </Suspense>
      ) : (
        <p className="side-hint">Click a node or an edge to see and change its settings; right-click one to inject a fault.</p>
      )}
      <FaultList />
      <PresetNotes />
    </aside>
  );
}

export function App({ controller }: { controller: SimulationController }) {
  return (
    <ControllerContext.Provider value={controller}>
      <div className="app">
        <PlaybackBar />
        <Toolbar />
        <Banner />
        <main className="main">
          <FlowCanvas controller={controller} />
          <SidePanel />
        </main>
        <BottomPanel />
        <Toast />
      </div>
    </ControllerContext.Provider>
  );
}

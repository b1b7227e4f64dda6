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
import { useCompareFlags } from './compare/request';

/** The inspector carries zod and the validator: loaded the first time something is selected. */
const Inspector = lazy(() => import('./inspector/Inspector'));
/** Compare view (a second worker, the delta table, fork and sweep): loaded the first time a comparison is asked for. */
const CompareStrip = lazy(() => import('./compare/CompareMode').then((m) => ({ default: m.CompareStrip })));
const ComparePanel = lazy(() => import('./compare/CompareMode').then((m) => ({ default: m.ComparePanel })));
const CompareDialogs = lazy(() => import('./compare/CompareMode').then((m) => ({ default: m.CompareDialogs })));
/** The before → after note of an Apply: loaded with the first edit. */
const ApplyNote = lazy(() => import('./compare/ApplyNote').then((m) => ({ default: m.ApplyNote })));

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
  const comparing = useCompareFlags((s) => s.active);
  const compareWanted = useCompareFlags((s) => s.active || s.request !== null);
  const applied = useApp((s) => s.applied !== null);
  return (
    <ControllerContext.Provider value={controller}>
      <div className="app">
        <PlaybackBar />
        <Toolbar />
        {comparing ? (
          <Suspense fallback={null}>
            <CompareStrip />
          </Suspense>
        ) : null}
        <Banner />
        <main className="main">
          <FlowCanvas controller={controller} />
          <SidePanel />
        </main>
        {comparing ? (
          <Suspense fallback={<section className="bottom" aria-busy="true" />}>
            <ComparePanel />
          </Suspense>
        ) : (
          <BottomPanel />
        )}
        {compareWanted ? (
          <Suspense fallback={null}>
            <CompareDialogs />
          </Suspense>
        ) : null}
        {applied ? (
          <Suspense fallback={null}>
            <ApplyNote />
          </Suspense>
        ) : null}
        <Toast />
      </div>
    </ControllerContext.Provider>
  );
}

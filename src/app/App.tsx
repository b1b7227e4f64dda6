/**
 * The page: one header row (playback, clock and slider, presets, copy link, the overflow menu),
 * the error banner, the canvas with its particle layer, the side panel in tabs (Story, Inspect,
 * Summary), and the bottom panel (charts, event log, waterfall) folded where the window is short.
 *
 * Modes, from the link or a key: presenter (`present`: large type, high contrast, the bottom
 * panel folded, the story under the canvas) and the embedded player (`embed`: canvas, play,
 * pause and seek, the story; nothing that edits).
 */
import './app.css';
import './modes.css';
import { Suspense, lazy, useEffect } from 'react';
import { ControllerContext } from './context';
import type { SimulationController } from './simulation';
import { Header } from './header/Header';
import { Banner } from './Banner';
import { FlowCanvas } from './canvas/FlowCanvas';
import { Toast } from './Toast';
import { OpenFileInput } from './faults/InjectForm';
import { useApp } from './store';
import { BottomPanel } from './panels/BottomPanel';
import { SidePanel } from './side/SidePanel';
import { Dialogs } from './dialogs';
import { useShortcuts } from './HelpOverlay';
import { useCompareFlags } from './compare/request';

/** Compare view (a second worker, the delta table, fork and sweep): loaded the first time a comparison is asked for. */
const CompareStrip = lazy(() => import('./compare/CompareMode').then((m) => ({ default: m.CompareStrip })));
const ComparePanel = lazy(() => import('./compare/CompareMode').then((m) => ({ default: m.ComparePanel })));
const CompareDialogs = lazy(() => import('./compare/CompareMode').then((m) => ({ default: m.CompareDialogs })));
/** The before → after note of an Apply: loaded with the first edit. */
const ApplyNote = lazy(() => import('./compare/ApplyNote').then((m) => ({ default: m.ApplyNote })));

export function App({ controller }: { controller: SimulationController }) {
  const present = useApp((s) => s.present);
  const embed = useApp((s) => s.embed);
  const comparing = useCompareFlags((s) => s.active);
  const compareWanted = useCompareFlags((s) => s.active || s.request !== null);
  const applied = useApp((s) => s.applied !== null);
  useShortcuts(controller);
  useEffect(() => {
    document.documentElement.classList.toggle('is-present', present);
    document.documentElement.classList.toggle('is-embed', embed);
  }, [present, embed]);
  return (
    <ControllerContext.Provider value={controller}>
      <div className={`app${present ? ' is-present' : ''}${embed ? ' is-embed' : ''}`}>
        <Header />
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
        {present || embed ? null : comparing ? (
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
        <Dialogs />
        {embed ? null : <OpenFileInput />}
      </div>
    </ControllerContext.Provider>
  );
}

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
import { useEffect } from 'react';
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

export function App({ controller }: { controller: SimulationController }) {
  const present = useApp((s) => s.present);
  const embed = useApp((s) => s.embed);
  useShortcuts(controller);
  useEffect(() => {
    document.documentElement.classList.toggle('is-present', present);
    document.documentElement.classList.toggle('is-embed', embed);
  }, [present, embed]);
  return (
    <ControllerContext.Provider value={controller}>
      <div className={`app${present ? ' is-present' : ''}${embed ? ' is-embed' : ''}`}>
        <Header />
        <Banner />
        <main className="main">
          <FlowCanvas controller={controller} />
          <SidePanel />
        </main>
        {present || embed ? null : <BottomPanel />}
        <Toast />
        <Dialogs />
        {embed ? null : <OpenFileInput />}
      </div>
    </ControllerContext.Provider>
  );
}

/** The page: playback bar, error banner, canvas with its particle layer, summary panel; charts, event log and waterfall below. */
import { ControllerContext } from './context';
import type { SimulationController } from './simulation';
import { PlaybackBar } from './PlaybackBar';
import { Banner } from './Banner';
import { FlowCanvas } from './canvas/FlowCanvas';
import { SummaryPanel } from './SummaryPanel';
import { Toast } from './Toast';
import { BottomPanel } from './panels/BottomPanel';

export function App({ controller }: { controller: SimulationController }) {
  return (
    <ControllerContext.Provider value={controller}>
      <div className="app">
        <PlaybackBar />
        <Banner />
        <main className="main">
          <FlowCanvas controller={controller} />
          <SummaryPanel />
        </main>
        <BottomPanel />
        <Toast />
      </div>
    </ControllerContext.Provider>
  );
}

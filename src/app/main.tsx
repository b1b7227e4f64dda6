import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { SimulationController } from './simulation';
import { useApp } from './store';
import { visibleCount } from './canvas/particles';

const controller = new SimulationController();

/**
 * A small hook for the e2e tests and for the curious at the console: run a document to its end
 * in a worker of its own, read the link "copy link" made, read what the panels show.
 */
declare global {
  interface Window {
    __faultline?: {
      runToEnd: SimulationController['runToEnd'];
      eventLogToEnd: SimulationController['eventLogToEnd'];
      lastCopiedLink: () => string | null;
      summary: () => ReturnType<typeof useApp.getState>['summary'];
      playback: () => SimulationController['state'];
      /** Dots on screen right now (the stress test reads it). */
      dots: () => number;
    };
  }
}
window.__faultline = {
  runToEnd: (doc) => controller.runToEnd(doc),
  eventLogToEnd: (doc, limit) => controller.eventLogToEnd(doc, limit),
  lastCopiedLink: () => controller.lastCopiedLink,
  summary: () => useApp.getState().summary,
  playback: () => controller.state,
  dots: () => visibleCount(controller.particles, controller.clock.animMs),
};

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
controller.start();

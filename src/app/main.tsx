import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './base.css';
import { App } from './App';
import { SimulationController } from './simulation';

const controller = new SimulationController();

function render(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <App controller={controller} />
    </StrictMode>,
  );
  controller.start();
}

// The test hook (e2eHooks.ts) is its own chunk, fetched only on `?e2e` or under the dev server,
// and installed before the first scenario opens, so a journey can use it as soon as the page shows one.
if (import.meta.env.DEV || new URLSearchParams(location.search).has('e2e')) {
  void import('./e2eHooks').then((m) => m.installHook(controller)).finally(render);
} else {
  render();
}

/** The main thread's side of a run (controller.ts joins the session, the pacer and the link router). */
export { SimulationController, PANEL_INTERVAL_MS } from './controller';
export { WorkerSession, SUPERSEDED } from './session';
export { Pacer, MAX_WALL_STEP_MS, EVENTS_PER_FRAME, EVENTS_PER_FRAME_MAX } from './pacer';
export { LinkRouter, linkTargetOf } from './linkRouter';

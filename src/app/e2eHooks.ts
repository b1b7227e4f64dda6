/**
 * The page's test hook, `window.__faultline`, for the e2e journeys and for the curious at the
 * console: run a document to its end in a worker of its own, read the link "copy link" made, read
 * what the panels show and how many dots are on screen.
 *
 * Not part of the app: main.tsx imports this module (a chunk of its own) only when the page is
 * opened with `?e2e` in its address, or under the dev server.
 */
import type { LoggedEvent, MetricSample, RunSummary } from '../run/types';
import type { Problem } from '../scenario/validate';
import { unsampledCount, visibleCount } from './canvas/particles';
import { WorkerBridge, createSimulationWorker } from './simulation/bridge';
import type { SimulationController } from './simulation';
import type { PlaybackState } from './playback';
import { useApp } from './store';
import { useSeries } from './charts/series';
import { useCompareFlags } from './compare/request';
import { useCompare } from './compare/state';

type Aside<T> = T | { problems: Problem[] } | { error: string };

export interface FaultlineHook {
  /** Runs a document to its end in a worker of its own and returns its summary. */
  runToEnd(document: unknown): Promise<Aside<RunSummary>>;
  /** Runs a document to its end aside and returns the tail of its event log. */
  eventLogToEnd(document: unknown, limit?: number): Promise<Aside<LoggedEvent[]>>;
  lastCopiedLink(): string | null;
  summary(): RunSummary | null;
  playback(): PlaybackState;
  /** Dots on screen right now (the stress test reads it). */
  dots(): number;
  /** Compare view: run A's and run B's time series and summaries, or null when no comparison is on. */
  compare(): { a: MetricSample[]; b: MetricSample[]; aSummary: RunSummary | null; bSummary: RunSummary | null; variant: string } | null;
  /** Dots that would be on screen right now were no edge sampled (the level of detail's denominator). */
  dotsUnsampled(): number;
  /** Edges (one direction each) drawn as a band of their flow on the canvas's last frame. */
  bands(): number;
  /** Simulation workers stopped where they were because a newer load or link came (see simulation/session.ts). */
  workerRestarts(): number;
}

declare global {
  interface Window {
    __faultline?: FaultlineHook;
  }
}

export function installHook(controller: SimulationController): void {
  window.__faultline = {
    runToEnd: async (document) => {
      const result = await runAside(document, 0);
      return 'summary' in result ? result.summary : result;
    },
    eventLogToEnd: async (document, limit = 10_000) => {
      const result = await runAside(document, limit);
      return 'summary' in result ? result.events : result;
    },
    lastCopiedLink: () => controller.links.lastCopiedLink,
    summary: () => useApp.getState().summary,
    playback: () => controller.state,
    dots: () => visibleCount(controller.particles, controller.clock.animMs),
    compare: () => {
      if (!useCompareFlags.getState().active) return null;
      const c = useCompare.getState();
      return { a: c.a.samples, b: useSeries.getState().samples, aSummary: c.a.summary, bSummary: useApp.getState().summary, variant: c.variant };
    },
    dotsUnsampled: () => unsampledCount(controller.particles, controller.clock.animMs),
    bands: () => controller.particles.bandsDrawn,
    workerRestarts: () => controller.session.restarts,
  };
}

/** Runs a document to its end in a worker of its own: its summary and the tail of its event log. */
async function runAside(document: unknown, eventLimit: number): Promise<Aside<{ summary: RunSummary; events: LoggedEvent[] }>> {
  const bridge = new WorkerBridge(createSimulationWorker());
  try {
    const loaded = await bridge.request({ type: 'load', document }).reply;
    if (loaded.type === 'invalid') return { problems: loaded.problems };
    if (loaded.type !== 'loaded') return { error: loaded.type === 'error' ? loaded.message : loaded.type };
    let frame = loaded.frame;
    while (!frame.finished) {
      const m = await bridge.request({ type: 'advance', toMs: frame.durationMs, maxEvents: 1_000_000 }).reply;
      if (m.type !== 'frame') return { error: m.type === 'error' ? m.message : m.type };
      frame = m.frame;
    }
    let events: LoggedEvent[] = [];
    if (eventLimit > 0) {
      const m = await bridge.request({ type: 'events', limit: eventLimit }).reply;
      if (m.type === 'events') events = m.events;
    }
    // The last frame finished the run, so it carries the summary.
    if (!frame.summary) return { error: 'the last frame carries no run summary' };
    return { summary: frame.summary, events };
  } finally {
    bridge.terminate();
  }
}

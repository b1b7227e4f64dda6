/**
 * The typed command protocol between the app (main thread) and the simulation (Web Worker).
 *
 * The worker never reads a clock: the main thread decides how far simulated time should go
 * (from its animation frames and the playback speed) and sends `advance`; the worker runs the
 * simulation up to that time and answers with one `frame`. So pausing, stepping or changing
 * speed can never change what the simulation computes.
 */
import type { Problem } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';
import type { Hop, HopFlow, LoggedEvent, NodeState, RunSummary } from './types';
import type { LiveFault } from './live';
import type { MetricSample, SeriesTotals } from './metrics';
import type { Waterfall } from './waterfall';

/**
 * Every command may carry an `id`; the worker echoes it on the message that answers it, so the
 * bridge can match answers to requests (frames of an older run can be told apart after a restart).
 */
export type Command = (
  /**
   * Validate and load a document (anything: it may come from a URL). Resets the run to t=0.
   * `checked`: the document's scenario (defaults applied) and share fragment, worked out when the
   * app was built (the built-in first scenario); the worker takes them as they are, without
   * loading its checker.
   */
  | { type: 'load'; document: unknown; checked?: { scenario: Scenario; share: string } }
  /**
   * Decode a share link (`#s=…`, `s=…` or a whole URL) and load it. A link that does not decode
   * answers `invalid` with one problem at path "" saying why.
   */
  | { type: 'open'; link: string }
  /**
   * Run every event with time <= toMs (clamped to the scenario's durationMs), at most maxEvents.
   * `panels: false` asks for a frame for the moving dots only: the run summary and the node states
   * are left out (unless the run finished). Building and copying them takes milliseconds on a big
   * scenario, and the app's panels show them a few times a second, so while playing it asks for
   * them only at that rate.
   */
  | { type: 'advance'; toMs: number; maxEvents?: number; panels?: boolean }
  /** A frame of the run as it stands, summary and node states included; nothing is run. */
  | { type: 'refresh' }
  /** Run exactly one event. */
  | { type: 'step' }
  /**
   * Go to simulated time tMs (backwards too) by re-running deterministically. With `maxEvents`
   * the worker stops after that many events and answers a frame short of tMs: the app sends the
   * same seek again to go on (now ≤ tMs, so no re-run), showing progress between slices and
   * able to stop.
   */
  | { type: 'seek'; tMs: number; maxEvents?: number }
  /** Back to t=0 with the same document. */
  | { type: 'restart' }
  /**
   * Ask for the tail of the event log (the bounded ring); with `requestId`, only that request's
   * events (what the ring still holds of them), at most `limit`; with `messageId` (a queued copy)
   * or `eventId` (a publish), that broker message's story: its publish, routes, deliveries, acks.
   */
  | {
      type: 'events';
      limit?: number;
      requestId?: number;
      messageId?: number;
      eventId?: number;
      /** Filters of the event-log panel (run/eventQuery.ts): node, kinds (or "message."-style prefixes), correlation id. */
      node?: string;
      kinds?: string[];
      correlationId?: string;
    }
  /**
   * A request's waterfall up to now (run/waterfall.ts): from the ring, or by re-running the
   * document when the ring no longer holds its start. Answers `waterfall`.
   */
  | { type: 'waterfall'; requestId: number }
  /** Every event up to now as JSON lines (re-runs the document keeping all events). Answers `exported`. */
  | { type: 'exportEvents'; maxEvents?: number }
  /** Run events until the next request ends (at most `maxEvents`, default 200,000). */
  | { type: 'stepRequest'; maxEvents?: number }
  /**
   * Record a fault into the document at the current simulated time (run/live.ts) and re-run the
   * new document to that time, so the run is the fresh run of the new document. Answers `edited`.
   */
  | { type: 'inject'; fault: LiveFault }
  /** End fault `index` of the document now (sets its untilMs); re-runs to now. Answers `edited`. */
  | { type: 'endFault'; index: number }
  /**
   * Replace the document (a settings change) and re-run it from t=0 to the current time (or
   * `toMs`). Answers `edited`, or `invalid` with the problems (the old run is kept).
   */
  | { type: 'setDocument'; document: unknown; toMs?: number }
  /**
   * Set the document's canvas positions (`layout`, by node id). The layout draws the graph and
   * nothing else, so the run goes on untouched; the link then carries the arrangement. Answers
   * `edited` (or `invalid` for a position naming no node).
   */
  | { type: 'setLayout'; layout: Record<string, { x: number; y: number }> }
) & { id?: number };

export type WorkerMessage = (
  | {
      type: 'loaded';
      scenario: Scenario;
      frame: Frame;
      /** The document as given (before defaults), and its share fragment `s=2.…` (no "#"). */
      document: unknown;
      share: string;
    }
  | { type: 'invalid'; problems: Problem[] }
  /** The document changed in place (inject, endFault, setDocument): same shape as `loaded`. */
  | {
      type: 'edited';
      scenario: Scenario;
      frame: Frame;
      document: unknown;
      share: string;
    }
  | { type: 'frame'; frame: Frame }
  | {
      type: 'events';
      events: LoggedEvent[];
      /** With panel filters: how many events of the ring matched (`events` holds the latest `limit`), and the ring's size. */
      matched?: number;
      held?: number;
    }
  | { type: 'waterfall'; waterfall: Waterfall; rerun: boolean }
  | { type: 'exported'; text: string; events: number; truncated: boolean }
  | { type: 'error'; message: string }
) & { /** The id of the command this answers, when it had one. */ id?: number };

export interface Frame {
  simTimeMs: number;
  durationMs: number;
  events: number;
  finished: boolean;
  /** Each node's state; left out with the summary (see `summary`). */
  nodes?: Record<string, NodeState>;
  /** Hops that departed since the previous frame: all of them, or an even sample (see `hopsDropped`). */
  hops: Hop[];
  /** Hops that departed since the previous frame and are not in `hops`. */
  hopsDropped: number;
  /** Every hop that departed since the previous frame, counted by lane and fate. */
  flows: HopFlow[];
  /**
   * The run summary at `simTimeMs`. Every frame carries it (and `nodes`) except that of an
   * `advance` sent with `panels: false` that did not finish the run.
   */
  summary?: RunSummary;
  /**
   * The time series (run/metrics.ts), incrementally: the samples from index `from` on that the
   * previous frames did not carry. `from` 0 starts a new series (a new or re-run run).
   */
  series?: { from: number; samples: MetricSample[]; intervalMs: number; totals: SeriesTotals | null };
}

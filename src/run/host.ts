/**
 * The simulation worker's state and commands (worker.ts wires it to the worker's port): the
 * simulation runs here, off the main thread, driven by the typed commands of protocol.ts. It never
 * reads a clock: `advance` says how far simulated time goes and how many events it may spend
 * getting there, and each command is answered by one message. Any exception becomes an `error`
 * message; the worker itself keeps going.
 *
 * Two parts are handed in once loaded, so the worker's first bundle goes without them: the
 * checker (checker.ts: documents with the schema library, share links with compression; the
 * app's first scenario comes checked already, `load` with `checked`) and the tools (tools.ts:
 * event-log queries, waterfalls, exports, live faults). `partsNeeded` says which commands want
 * which.
 */
import type { Scenario, ScenarioInput } from '../scenario/schema';
import type { Checker } from './checker';
import type { Tools } from './tools';
import type { Command, Frame, WorkerMessage } from './protocol';
import { createRun, restoreRun, takeCheckpoint } from './run';
import type { Checkpoint } from './run';
import { CheckpointError, Checkpoints, DEFAULT_CHECKPOINT_POLICY } from './checkpoint';
import type { CheckpointPolicy } from './checkpoint';
import type { LoggedEvent, Run } from './types';

/** Work cap of one `advance` when the command names none: a few tens of milliseconds. */
export const DEFAULT_ADVANCE_EVENTS = 100_000;
/**
 * Hops a frame carries for the animation, at most (an even sample when more departed; the rest
 * are counted in `hopsDropped`, and all of them in `flows`). More than the canvas draws: it thins
 * busy edges further and shows their flow.
 */
export const MAX_HOPS_PER_FRAME = 600;

/** The worker's state, separate from `self` so it can be driven in a test without a worker. */
/** The parts of the worker loaded when a command first needs them. */
export interface HostParts {
  checker: Checker;
  tools: Tools;
}
export type PartName = keyof HostParts;

/** The parts a command needs loaded before it runs. */
export function partsNeeded(command: Command): PartName[] {
  switch (command.type) {
    case 'load':
      return command.checked === undefined ? ['checker'] : [];
    case 'open':
    case 'setDocument':
    case 'setLayout':
      return ['checker'];
    case 'inject':
    case 'endFault':
      return ['checker', 'tools'];
    case 'events':
      return command.node !== undefined || command.kinds !== undefined || command.correlationId !== undefined ? ['tools'] : [];
    case 'waterfall':
    case 'exportEvents':
      return ['tools'];
    default:
      return [];
  }
}

/** Events the warm-up run goes through in all, and per advance (SimulationHost.warmUp). */
const WARM_UP_EVENTS = 30_000;
const WARM_UP_SLICE = 3_000;

export class SimulationHost {
  private readonly parts: Partial<HostParts>;
  /**
   * Checkpoints of the current document's run (checkpoint.ts), taken every few simulated seconds
   * as it advances: a seek goes to the nearest one before it and runs on from there.
   */
  private readonly checkpoints: Checkpoints<Checkpoint>;

  /**
   * @param parts the parts at hand (tests, Node); the worker entry hands them in later with `provide`.
   * @param checkpoints when checkpoints are taken and how many are kept.
   */
  constructor(parts: Partial<HostParts> = {}, checkpoints: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY) {
    this.parts = { ...parts };
    this.checkpoints = new Checkpoints<Checkpoint>(checkpoints);
  }

  /** A throwaway run restored from the document's first checkpoint, run on a little at each advance (see `warmUp`). */
  private warming: { run: Run; left: number } | null = null;
  /** Whether the document loaded last has had its warm-up (see `warmUp`). */
  private warmedUp = false;

  /**
   * Objects a restore makes have hidden classes of their own in V8 (they are not built by their
   * constructors), so the first restored run meets the model's optimized code with shapes it has
   * not seen, and runs several times slower while V8 re-optimizes: about 250 ms more on the
   * standard scenario's first seek. A run restored from the first checkpoint of each document
   * loaded (or edited), run on a few thousand events at each advance until WARM_UP_EVENTS, pays
   * that spread over the play, before anyone seeks. It computes nothing anyone reads.
   */
  private warmUp(): void {
    const w = this.warming;
    if (w === null) return;
    const before = w.run.events;
    w.run.advanceTo(Infinity, Math.min(WARM_UP_SLICE, w.left));
    w.left -= w.run.events - before;
    if (w.left <= 0 || w.run.finished || w.run.events === before) this.warming = null;
  }

  /** When the held checkpoints were taken (simulated ms), and what they hold in bytes. */
  get checkpointTimes(): number[] {
    return this.checkpoints.times;
  }

  get checkpointBytes(): number {
    return this.checkpoints.bytes;
  }

  /** Hands in a part (loaded on demand by the worker entry). */
  provide<K extends PartName>(name: K, part: HostParts[K]): void {
    this.parts[name] = part;
  }

  /** The parts `command` needs that are not loaded yet. */
  missing(command: Command): PartName[] {
    return partsNeeded(command).filter((name) => this.parts[name] === undefined);
  }

  /** Whether `command` can run now (the parts it needs are loaded). */
  ready(command: Command): boolean {
    return this.missing(command).length === 0;
  }

  private scenario: Scenario | null = null;
  /** The document as given (defaults not applied): what live edits change and links carry. */
  private document: unknown = null;
  private run: Run | null = null;

  /** Handles one command and returns the one message that answers it. */
  handle(command: Command): WorkerMessage {
    const id = command.id;
    try {
      return { ...this.dispatch(command), ...(id === undefined ? {} : { id }) } as WorkerMessage;
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { type: 'error', message, ...(id === undefined ? {} : { id }) };
    }
  }

  private dispatch(command: Command): WorkerMessage {
    switch (command.type) {
      case 'load':
        if (command.checked) return this.take(command.document, command.checked.scenario, command.checked.share);
        return this.load(command.document);
      case 'open': {
        const decoded = this.check().decodeShareFragment(command.link);
        if (!decoded.ok) return { type: 'invalid', problems: [{ path: '', message: decoded.error }] };
        return this.load(decoded.document);
      }
      case 'advance': {
        const run = this.current();
        const cap = command.maxEvents ?? DEFAULT_ADVANCE_EVENTS;
        this.advance(run, command.toMs, Math.max(1, cap));
        this.warmUp();
        return { type: 'frame', frame: this.frame(command.panels !== false) };
      }
      case 'refresh':
        return { type: 'frame', frame: this.frame() };
      case 'step': {
        this.current().step();
        return { type: 'frame', frame: this.frame() };
      }
      case 'seek': {
        let run = this.current();
        const tMs = Math.max(0, command.tMs);
        // A run only goes forward: going back means running again from the latest checkpoint
        // before tMs (or from t=0), which gives the same events because a run is a pure function
        // of its document. A checkpoint ahead of the run is a shortcut forward too.
        const from = this.checkpoints.before(tMs);
        if (tMs < run.nowMs || (from !== null && from.atMs > run.nowMs)) run = this.run = from !== null ? this.restored(from) : this.fresh();
        this.advance(run, tMs, command.maxEvents !== undefined ? Math.max(1, command.maxEvents) : Infinity);
        run.takeHops(); // the hops of a jump are not animated
        return { type: 'frame', frame: this.frame() };
      }
      case 'restart': {
        this.current();
        this.run = this.fresh();
        return { type: 'frame', frame: this.frame() };
      }
      case 'events': {
        const run = this.current();
        if (command.node !== undefined || command.kinds !== undefined || command.correlationId !== undefined) {
          const held = run.eventLog();
          return { type: 'events', ...this.part('tools').queryEvents(held, command), held: held.length };
        }
        const { requestId, messageId, eventId } = command;
        if (requestId === undefined && messageId === undefined && eventId === undefined) return { type: 'events', events: run.eventLog(command.limit ?? 200) };
        const held = run.eventLog();
        const mine = requestId !== undefined ? held.filter((e) => e.requestId === requestId) : messageThread(held, messageId, eventId);
        return { type: 'events', events: mine.slice(-(command.limit ?? 200)) };
      }
      case 'waterfall':
        return { type: 'waterfall', ...this.part('tools').traceRequest(this.scenario!, this.current(), command.requestId) };
      case 'exportEvents': {
        const run = this.current();
        return { type: 'exported', ...this.part('tools').eventLogJsonLines(this.scenario!, run.nowMs, command.maxEvents) };
      }
      case 'stepRequest': {
        const run = this.current();
        const ended = () => endedRequests(run);
        const before = ended();
        // Each step reads the clients' counts: keep the default cap small enough to answer within a second.
        const cap = command.maxEvents ?? 200_000;
        for (let i = 0; i < cap && ended() === before; i++) if (!run.step()) break;
        return { type: 'frame', frame: this.frame() };
      }
      case 'inject': {
        const now = this.current().nowMs;
        return this.edit(this.part('tools').withLiveFault(this.document as ScenarioInput, command.fault, now), now);
      }
      case 'endFault': {
        const now = this.current().nowMs;
        return this.edit(this.part('tools').endFault(this.document as ScenarioInput, command.index, now), now);
      }
      case 'setDocument':
        return this.edit(command.document, command.toMs ?? this.current().nowMs);
      case 'setLayout': {
        this.current();
        const document = { ...(this.document as ScenarioInput), layout: command.layout };
        const result = this.check().validateScenario(document);
        if (!result.ok) return { type: 'invalid', problems: result.problems };
        // Positions are not read by the model: the run of the new document is the run already going.
        this.scenario = result.scenario;
        this.document = document;
        return {
          type: 'edited',
          scenario: result.scenario,
          frame: this.frame(),
          document,
          share: this.check().encodeShareFragment(document),
        };
      }
      default: {
        const unknown: { type?: unknown } = command;
        return { type: 'error', message: `unknown command ${JSON.stringify(unknown.type)}` };
      }
    }
  }

  private part<K extends PartName>(name: K): HostParts[K] {
    const part = this.parts[name];
    if (part === undefined) throw new Error(`the worker's ${name} is not loaded`);
    return part;
  }

  private check(): Checker {
    return this.part('checker');
  }

  private load(document: unknown): WorkerMessage {
    const checker = this.check();
    const result = checker.validateScenario(document);
    if (!result.ok) return { type: 'invalid', problems: result.problems };
    return this.take(document, result.scenario, checker.encodeShareFragment(document as ScenarioInput));
  }

  /** Loads a checked document: its scenario (defaults applied) and share fragment known. */
  private take(document: unknown, scenario: Scenario, share: string): WorkerMessage {
    this.scenario = scenario;
    this.document = document;
    this.forgetCheckpoints();
    this.run = this.fresh();
    return { type: 'loaded', scenario, frame: this.frame(), document, share };
  }

  /**
   * Replaces the document and runs the new one from t=0 to `toMs`: the run is then exactly the
   * fresh run of the new document, which is what its share link replays. An invalid document
   * leaves the current run alone.
   */
  private edit(document: unknown, toMs: number): WorkerMessage {
    const checker = this.check();
    const result = checker.validateScenario(document);
    if (!result.ok) return { type: 'invalid', problems: result.problems };
    this.scenario = result.scenario;
    this.document = document;
    this.forgetCheckpoints();
    const run = (this.run = this.fresh());
    this.advance(run, Math.max(0, toMs));
    run.takeHops(); // the re-run to now is a jump, not animated
    return {
      type: 'edited',
      scenario: result.scenario,
      frame: this.frame(),
      document,
      share: checker.encodeShareFragment(document as ScenarioInput),
    };
  }

  private fresh(): Run {
    if (!this.scenario) throw new Error('no scenario loaded: send "load" first');
    this.samplesSent = 0;
    return createRun(this.scenario, { recordHops: true, maxHopsPerTake: MAX_HOPS_PER_FRAME, metrics: true, checkpoints: true });
  }

  /** A new document (or an edited one): the checkpoints of the run before are of no use. */
  private forgetCheckpoints(): void {
    this.checkpoints.clear();
    this.warmedUp = false;
    this.warming = null;
  }

  /** The run rebuilt at a checkpoint (its series is sent again from the start, as for a fresh run). */
  private restored(checkpoint: Checkpoint): Run {
    this.samplesSent = 0;
    return restoreRun(checkpoint);
  }

  /**
   * `run.advanceTo(toMs, maxEvents)`, cut at each moment a checkpoint may be due, where one is taken
   * (cutting a run into slices changes nothing it computes). A state that cannot be copied (a
   * CheckpointError) is simply not checkpointed.
   */
  private advance(run: Run, toMs: number, maxEvents = Infinity): void {
    let left = maxEvents;
    for (;;) {
      const moment = this.checkpoints.nextMoment(run.nowMs);
      const stop = Math.min(toMs, moment);
      const before = run.events;
      run.advanceTo(stop, left);
      left -= run.events - before;
      if (run.nowMs === moment && this.checkpoints.due(moment, run.events)) {
        try {
          const checkpoint = takeCheckpoint(run);
          this.checkpoints.add(checkpoint);
          if (!this.warmedUp) {
            this.warmedUp = true;
            this.warming = { run: restoreRun(checkpoint), left: WARM_UP_EVENTS };
          }
        } catch (e) {
          if (!(e instanceof CheckpointError)) throw e;
        }
      }
      if (run.finished || run.nowMs < stop || run.nowMs >= toMs || left <= 0) return;
    }
  }

  /** Time-series samples already sent in frames of the current run. */
  private samplesSent = 0;

  private seriesDelta(run: Run): NonNullable<Frame['series']> {
    const from = this.samplesSent;
    const samples = run.samples(from);
    this.samplesSent = from + samples.length;
    return { from, samples, intervalMs: run.metricsIntervalMs, totals: run.seriesTotals() };
  }

  private current(): Run {
    if (!this.run) throw new Error('no scenario loaded: send "load" first');
    return this.run;
  }

  /** The run's frame; without `panels` (and unfinished), no run summary and no node states are built. */
  private frame(panels = true): Frame {
    const run = this.current();
    const { hops, dropped, flows } = run.takeHops();
    return {
      simTimeMs: run.nowMs,
      durationMs: run.durationMs,
      events: run.events,
      finished: run.finished,
      hops,
      hopsDropped: dropped,
      flows,
      ...(panels || run.finished ? { nodes: run.nodeStates(), summary: run.summary() } : {}),
      series: this.seriesDelta(run),
    };
  }
}

/**
 * A broker message's events: those of its copy (`messageId`) or its publish (`eventId`), joined
 * through the route events that carry both, so a delivery's story starts at its publish.
 */
export function messageThread(events: readonly LoggedEvent[], messageId?: number, eventId?: number): LoggedEvent[] {
  const copies = new Set<number>(messageId === undefined ? [] : [messageId]);
  const publishes = new Set<number>(eventId === undefined ? [] : [eventId]);
  for (const e of events) {
    if (typeof e.messageId !== 'number' || typeof e.eventId !== 'number') continue;
    if (copies.has(e.messageId)) publishes.add(e.eventId);
  }
  for (const e of events) {
    if (e.kind === 'message.route' && typeof e.messageId === 'number' && typeof e.eventId === 'number' && publishes.has(e.eventId)) copies.add(e.messageId);
  }
  return events.filter((e) =>
    typeof e.messageId === 'number' ? copies.has(e.messageId) : typeof e.eventId === 'number' && publishes.has(e.eventId) && e.kind.startsWith('message.'),
  );
}

/** Requests that have ended so far (ok or failed), counted at the clients where they began. */
function endedRequests(run: Run): number {
  let n = 0;
  for (const state of Object.values(run.nodeStates())) if (state.kind === 'client') n += state.ok + state.failed;
  return n;
}

/**
 * The main thread's side of a run, as the components see it: playback (the xstate actor), live
 * edits, the bottom panel's queries, and what the panels show (written into the store). It joins
 * three parts, each in its own file: the worker session (commands, epochs, answers), the pacer
 * (the playback clock deciding how far each animation frame advances) and the link router (the
 * address bar: which scenario a fragment opens, the share link).
 */
import { createActor } from 'xstate';
import type { Actor } from 'xstate';
import type { Frame } from '../../run/protocol';
import type { LoggedEvent, RunSummary } from '../../run/types';
import type { Problem } from '../../scenario/validate';
import type { CommandBody } from './bridge';
import { ParticleBuffer, scheduleHops } from '../canvas/particles';
import { loadAutoLayout, needsAutoLayout, scenarioTopology } from '../canvas/layout';
import { playbackMachine } from '../playback';
import type { PlaybackState, Speed } from '../playback';
import { showToast, useApp } from '../store';
import { applySeries } from '../charts/series';
import type { EventQuery } from '../../run/eventQuery';
import type { Waterfall } from '../../run/waterfall';
import type { LiveFault } from '../../run/live';
import { formatClock } from '../format';
import { SUPERSEDED, WorkerSession } from './session';
import { Pacer } from './pacer';
import { LinkRouter } from './linkRouter';
import { editHistory } from '../history';
import type { Scenario } from '../../scenario/schema';

/**
 * How often node states, the summary and the charts are pushed to React while playing. The run
 * summary and the node states are built in the worker only for these frames (an `advance` asks
 * for them when the panels are due): on a big scenario they cost milliseconds, too much for every
 * frame.
 */
export const PANEL_INTERVAL_MS = 200;
/**
 * How often the clock (the simulated time on the bar, the slider, the charts' cursors) is pushed
 * to React while playing. Not every frame: each push re-renders and repaints them, and at 60
 * frames a second that is a good part of the frame; the dots move on every frame regardless.
 */
export const CLOCK_INTERVAL_MS = 100;
/** Simulated time the per-node rates look back over. */
const RATE_WINDOW_MS = 2000;
/** Events one slice of a seek may run: the worker answers between slices, so a seek can show progress and be cancelled. */
export const SEEK_SLICE_EVENTS = 150_000;
/** A seek running longer than this (wall time) shows its progress and a Cancel button. */
export const SEEK_PROGRESS_AFTER_MS = 300;
/** Wall time the measured playback rate looks back over. */
const REAL_RATE_WINDOW_MS = 2500;

/** A seek under way: where it goes, the slice in the worker, when it began (wall time). */
interface SeekJob {
  fromMs: number;
  toMs: number;
  slice: number;
  startedAt: number;
}

type PlaybackActor = Actor<typeof playbackMachine>;

/**
 * A second run that keeps to this one's clock (compare view's run A): it is asked for the same
 * simulated times as each `advance`, follows every frame (steps, edits), and goes back when this
 * run seeks or restarts. The pacer waits for its `advance` too, so both move together.
 */
export interface Follower {
  /** An `advance` of the follower is still in its worker. */
  readonly busy: boolean;
  /**
   * Run up to `toMs` (never back). `summary`: this run's frame for that moment carries its run
   * summary (the panels are due, or the run paused, sought or ended), so the follower's next
   * frame should carry one too.
   */
  follow(toMs: number, summary: boolean): void;
  /** Go to `tMs` (back too), as this run did. */
  reset(tMs: number): void;
}

export class SimulationController {
  readonly particles = new ParticleBuffer();
  readonly actor: PlaybackActor;
  readonly session: WorkerSession;
  readonly pacer: Pacer;
  readonly links: LinkRouter;

  private seekJob: SeekJob | null = null;
  private nextSeek: number | null = null;
  private seekSliceLanded = false;
  /** (wall ms, simulated ms) while playing, for the measured rate. */
  private rateSamples: { wall: number; sim: number }[] = [];
  private simMs = 0;
  private durationMs = 0;
  private finished = true;
  private loaded = false;
  private lastPanelAt = -Infinity;
  private lastClockAt = -Infinity;
  private rateHistory = new Map<string, { t: number; n: number }[]>();
  /** A document without nodes is on screen (being built): the worker holds no run of it. */
  private empty = false;
  /** Compare view's other run, kept on this run's clock; null when one run is on screen. */
  follower: Follower | null = null;
  /** Loads asked for so far (landed or not): compare view's start gives way to a load asked after it began. */
  loadsAsked = 0;
  private loadsDone = 0;

  constructor(worker?: Worker) {
    this.session = new WorkerSession(
      {
        frame: (frame) => this.applyFrame(frame, false),
        fail: (message) => this.fail(message),
        answered: (id) => this.answered(id),
      },
      worker,
    );
    this.pacer = new Pacer({
      playing: () => this.state === 'playing',
      speed: () => this.actor.getSnapshot().context.speed,
      ready: () => !this.session.busy && this.loaded && !this.finished && this.seekJob === null && !(this.follower?.busy ?? false),
      simMs: () => this.simMs,
      durationMs: () => this.durationMs,
      advance: (toMs, maxEvents) => {
        // The summary and node states are built for the frames that reach the panels only.
        const summary = performance.now() - this.lastPanelAt >= PANEL_INTERVAL_MS;
        this.session.advance(toMs, maxEvents, summary);
        this.follower?.follow(toMs, summary);
      },
    });
    this.links = new LinkRouter({
      // A document the address bar opens starts a new undo history.
      load: async (command) => {
        const result = await this.load(command);
        if (result === true) editHistory.reset(useApp.getState().document);
        return result;
      },
      moment: ({ tMs, speed }) => {
        if (speed !== undefined) this.setSpeed(speed);
        if (tMs !== undefined && tMs > 0) {
          this.pause();
          this.seek(tMs);
        }
      },
      view: (params) => {
        useApp.setState({
          present: params.present,
          embed: params.embed,
          editable: !params.embed,
          lesson: params.lesson !== undefined ? { id: params.lesson, step: params.step ?? 0 } : null,
          challenge: params.challenge ?? null,
          ...(params.lesson !== undefined || params.challenge !== undefined ? { sideTab: 'story' } : {}),
        });
      },
      now: () => ({ tMs: this.simMs, speed: this.actor.getSnapshot().context.speed }),
    });
    this.actor = createActor(
      playbackMachine.provide({
        actions: {
          restartRun: () => this.reset({ type: 'restart' }),
          stepRun: () => this.session.send({ type: 'step' }),
        },
      }),
    );
    this.actor.start();
  }

  /** Advances with wall time only while playing; the particle layer times dots on it. */
  get clock(): { animMs: number } {
    return this.pacer.clock;
  }

  start(): void {
    this.pacer.start();
    this.links.start();
  }

  stop(): void {
    this.links.stop();
    this.pacer.stop();
    this.actor.stop();
    this.session.terminate();
  }

  // --- playback -------------------------------------------------------------------------------

  get state(): PlaybackState {
    return this.actor.getSnapshot().value as PlaybackState;
  }

  play(): void {
    this.actor.send({ type: 'PLAY' });
  }
  pause(): void {
    this.actor.send({ type: 'PAUSE' });
  }
  togglePlay(): void {
    this.actor.send({ type: this.state === 'playing' ? 'PAUSE' : 'PLAY' });
  }
  restart(): void {
    this.actor.send({ type: 'RESTART' });
  }
  step(): void {
    this.actor.send({ type: 'STEP' });
  }
  /** Where the run is going: the target of a seek under way (the latest asked for), else the time on screen. */
  momentMs(): number {
    if (this.seekJob === null) return useApp.getState().simTimeMs;
    return this.nextSeek ?? this.seekJob.toMs;
  }

  /**
   * Jumps to a simulated time (backwards re-runs from t=0: the run is a pure function of its
   * document). The worker runs a seek in slices of events and answers after each, so a long one
   * shows its progress (after SEEK_PROGRESS_AFTER_MS) and can be cancelled.
   */
  seek(tMs: number): void {
    if (!this.loaded) return;
    const target = Math.max(0, Math.min(this.durationMs, tMs));
    // While dragging, seeks coalesce: one slice in the worker at a time, then the latest wish.
    if (this.seekJob !== null) {
      this.nextSeek = target;
      return;
    }
    this.seekJob = { fromMs: this.simMs, toMs: target, startedAt: performance.now(), slice: this.reset({ type: 'seek', tMs: target, maxEvents: SEEK_SLICE_EVENTS }) };
    if (!useApp.getState().seeking) useApp.setState({ seeking: true });
  }

  /** Stops a seek under way: the run stays where the last slice left it, paused. */
  cancelSeek(): void {
    if (this.seekJob === null) return;
    this.seekJob = null;
    this.nextSeek = null;
    // The slice in the worker still answers; its frame is current and shows where the run stopped.
    this.pause();
    useApp.setState({ seekProgress: null, seeking: false });
    showToast(`Seek cancelled at ${formatClock(this.simMs)}.`);
  }

  /**
   * Runs the document on screen to its end (paused; a seek in slices, so it shows progress and can
   * be cancelled) and answers the run's summary; null when cancelled or another document replaced it.
   */
  runToEnd(): Promise<RunSummary | null> {
    const start = useApp.getState();
    if (!this.loaded) return Promise.resolve(null);
    this.pause();
    if (start.finished && this.seekJob === null) return Promise.resolve(start.summary);
    const loadCount = start.loadCount;
    this.seek(this.durationMs);
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        const s = useApp.getState();
        if (s.loadCount !== loadCount) {
          clearInterval(timer);
          resolve(null);
        } else if (this.seekJob === null) {
          clearInterval(timer);
          resolve(s.finished ? s.summary : null);
        }
      }, 50);
    });
  }

  /** Where the run is headed: the latest seek asked for while one is under way, else where it is. */
  get seekingTo(): number {
    return this.nextSeek ?? this.seekJob?.toMs ?? this.simMs;
  }

  /** Whether a seek is under way. */
  get seekingNow(): boolean {
    return this.seekJob !== null;
  }
  setSpeed(speed: Speed): void {
    this.actor.send({ type: 'SPEED', speed });
  }

  /** Puts the link to the scenario on screen on the clipboard (and in the address bar). */
  copyLink(): Promise<string | null> {
    return this.links.copy();
  }

  // --- live edits: faults and settings ---------------------------------------------------------

  /** Injects a fault now; it is recorded in the document (and the link) at the simulated time. */
  async inject(fault: LiveFault): Promise<true | Problem[] | string> {
    const result = await this.edit({ type: 'inject', fault }, `inject ${fault.kind} on ${fault.target}`);
    if (result === true) {
      const at = formatClock(useApp.getState().simTimeMs);
      const one = typeof fault.instance === 'number' ? ` (instance ${fault.instance})` : '';
      showToast(`${fault.kind} on ${fault.target}${one} from ${at}: recorded in the scenario, so the link replays it.`);
    }
    return result;
  }

  /** Ends fault `index` of the document now. */
  async endFault(index: number): Promise<true | Problem[] | string> {
    return this.edit({ type: 'endFault', index }, `end fault ${index + 1} now`);
  }

  /**
   * Replaces the document (a settings change): re-runs it from t=0 to the current time. `label`
   * names the edit in the undo history.
   */
  async setDocument(document: unknown, label = 'change settings'): Promise<true | Problem[] | string> {
    const before = useApp.getState().summary;
    const result = await this.commit(document, label);
    // Apply is visible: the run before and after the edit, for the before → after note.
    const after = useApp.getState().summary;
    if (result === true && before && after) useApp.setState({ applied: { before, after } });
    return result;
  }

  /** Records the canvas arrangement in the document (the run goes on untouched; the link carries it). */
  async setLayout(layout: Record<string, { x: number; y: number }>, label = 'move nodes'): Promise<true | Problem[] | string> {
    if (this.empty) return this.commit({ ...(useApp.getState().document as object), layout }, label);
    return this.edit({ type: 'setLayout', layout }, label);
  }

  /**
   * An edit of the document, recorded in the undo history under `label`: a document without
   * nodes is shown without a run (the canvas being built from nothing); the first node loads it.
   */
  async commit(document: unknown, label: string): Promise<true | Problem[] | string> {
    const result = await this.apply(document);
    if (result === true || result === SUPERSEDED) editHistory.push(useApp.getState().document, label);
    return result;
  }

  /** Takes back the last edit: its label, or null when there was nothing to undo (or it failed: a toast says why). */
  async undo(): Promise<string | null> {
    return this.travel('undo');
  }

  /** Does again the last edit undone. */
  async redo(): Promise<string | null> {
    return this.travel('redo');
  }

  /**
   * Shows a document without nodes (`scenario` is it with the defaults applied): an empty canvas
   * to build on. The run stops; the first node added loads the document into the worker.
   */
  openEmpty(document: unknown, scenario: Scenario, label?: string): void {
    this.enterEmpty(document, scenario);
    if (label === undefined) editHistory.reset(document);
    else editHistory.push(document, label);
  }

  private enterEmpty(document: unknown, scenario: Scenario): void {
    this.actor.send({ type: 'PAUSE' });
    this.empty = true;
    this.loaded = false;
    this.particles.reset([]);
    this.rateHistory.clear();
    useApp.setState((s) => ({
      scenario,
      document,
      share: null,
      topology: { nodes: [], edges: [], layoutScale: 1 },
      loadCount: s.loadCount + 1,
      // The before → after note of an Apply belongs to the document it was applied to.
      applied: null,
      simTimeMs: 0,
      durationMs: scenario.durationMs,
      events: 0,
      finished: false,
      nodes: {},
      rates: {},
      summary: null,
      banner: null,
      selection: null,
    }));
    this.links.write('');
  }

  /** Puts a document on screen without recording it: the empty canvas, a first load, or an edit. */
  private async apply(document: unknown): Promise<true | Problem[] | string> {
    const nodes = (document as { nodes?: unknown[] } | null)?.nodes;
    if (Array.isArray(nodes) && nodes.length === 0) {
      const scenario = useApp.getState().scenario;
      if (!scenario) return 'nothing is loaded yet';
      const { emptyScenarioOf } = await import('../editing/ops');
      const result = emptyScenarioOf(document);
      if (!result.ok) return result.problems;
      this.enterEmpty(document, result.scenario);
      return true;
    }
    if (this.empty) {
      const result = await this.load({ type: 'load', document });
      if (result === true) this.links.write(useApp.getState().share ?? '');
      return result;
    }
    const before = useApp.getState().document as { layout?: unknown } | null;
    if (before && onlyLayoutDiffers(before, document)) {
      return this.edit({ type: 'setLayout', layout: (document as { layout: Record<string, { x: number; y: number }> }).layout });
    }
    return this.edit({ type: 'setDocument', document });
  }

  private async travel(way: 'undo' | 'redo'): Promise<string | null> {
    const entry = way === 'undo' ? editHistory.peekUndo() : editHistory.peekRedo();
    if (!entry) return null;
    const result = await this.apply(entry.document);
    if (result !== true && result !== SUPERSEDED) {
      showToast(`Could not ${way} "${entry.label}": ${Array.isArray(result) ? result.map((p) => `${p.path} ${p.message}`).join('; ') : result}`);
      return null;
    }
    if (way === 'undo') editHistory.undo();
    else editHistory.redo();
    return entry.label;
  }

  /** Presenter mode on or off (the `P` key, the menu); the address keeps it. */
  setPresent(present: boolean): void {
    useApp.setState({ present });
    this.links.rewrite();
  }

  /** Opens a lesson at a step, or closes it (null); the address keeps it, so progress travels in the link. */
  setLesson(lesson: { id: string; step: number } | null): void {
    useApp.setState({ lesson, ...(lesson ? { sideTab: 'story', challenge: null } : {}) });
    this.links.rewrite();
  }

  /** Opens a challenge, or closes it (null); the address keeps it. */
  setChallenge(challenge: string | null): void {
    useApp.setState({ challenge, ...(challenge ? { sideTab: 'story', lesson: null } : {}) });
    this.links.rewrite();
  }

  /** Opens another document (a preset, a file) from t=0, and puts its link in the address bar. */
  async openDocument(document: unknown): Promise<true | Problem[] | string> {
    const result = await this.load({ type: 'load', document });
    if (result === true) {
      editHistory.reset(useApp.getState().document);
      useApp.setState({ banner: null, selection: null });
      this.links.write(useApp.getState().share ?? '');
    }
    return result;
  }

  /** Pauses and runs until the next request ends. */
  stepRequest(): void {
    if (!this.loaded) return;
    this.actor.send({ type: 'PAUSE' });
    this.session.send({ type: 'stepRequest' });
  }

  // --- event log, waterfall, exports (the bottom panel) ----------------------------------------

  /** The ring's events matching the event-log panel's filters (the latest `limit`), and how many matched. */
  async queryEvents(query: EventQuery): Promise<{ events: LoggedEvent[]; matched: number; held: number }> {
    const reply = await this.session.request({ type: 'events', ...query, kinds: query.kinds ?? [] }).reply;
    return reply.type === 'events' ? { events: reply.events, matched: reply.matched ?? reply.events.length, held: reply.held ?? reply.events.length } : { events: [], matched: 0, held: 0 };
  }

  /** A request's waterfall up to now (the worker re-runs the document if the ring lost its start). */
  async waterfall(requestId: number): Promise<{ waterfall: Waterfall; rerun: boolean } | string> {
    const reply = await this.session.request({ type: 'waterfall', requestId }).reply;
    if (reply.type === 'waterfall') return { waterfall: reply.waterfall, rerun: reply.rerun };
    return reply.type === 'error' ? reply.message : `unexpected answer "${reply.type}"`;
  }

  /** Every event up to now as JSON lines (a re-run keeping all events, capped). */
  async exportEvents(): Promise<{ text: string; events: number; truncated: boolean } | string> {
    const reply = await this.session.request({ type: 'exportEvents' }).reply;
    if (reply.type === 'exported') return { text: reply.text, events: reply.events, truncated: reply.truncated };
    return reply.type === 'error' ? reply.message : `unexpected answer "${reply.type}"`;
  }

  /**
   * The events the worker's log still holds for one request, or one broker message: `by` says
   * which id a dot carries (a publish hop carries the eventId, a queued copy's hops its messageId).
   */
  async requestEvents(id: number, by: 'request' | 'message' | 'event' = 'request', limit = 200): Promise<LoggedEvent[]> {
    const filter = by === 'message' ? { messageId: id } : by === 'event' ? { eventId: id } : { requestId: id };
    const reply = await this.session.request({ type: 'events', ...filter, limit }).reply;
    return reply.type === 'events' ? reply.events : [];
  }

  /** Sends an edit to the worker; with a `label`, records its result in the undo history. */
  private async edit(command: Extract<CommandBody, { type: 'inject' | 'endFault' | 'setDocument' | 'setLayout' }>, label?: string): Promise<true | Problem[] | string> {
    const result = await this.send(command);
    if (label !== undefined && (result === true || result === SUPERSEDED)) editHistory.push(useApp.getState().document, label);
    return result;
  }

  private async send(command: Extract<CommandBody, { type: 'inject' | 'endFault' | 'setDocument' | 'setLayout' }>): Promise<true | Problem[] | string> {
    if (!this.loaded) return 'nothing is loaded yet';
    // A document leaving a node unplaced is drawn with the automatic layout: loaded before the
    // command goes, so that answers are still taken in the order they come.
    const placing = command.type === 'setDocument' ? command.document : command.type === 'setLayout' ? { nodes: useApp.getState().scenario?.nodes, layout: command.layout } : null;
    if (placing !== null && needsAutoLayout(placing)) await loadAutoLayout();
    if (command.type !== 'setLayout') this.dropSeek();
    // Frames of the run being replaced are stale from here on (a layout change keeps the run).
    const { id, reply } = command.type === 'setLayout' ? this.session.request(command) : this.session.requestReplacing(command);
    const message = await reply;
    if (message.type === 'invalid') return message.problems;
    if (message.type !== 'edited') return message.type === 'error' ? message.message : `unexpected answer "${message.type}"`;
    // The worker holds the new document from now on, even if a seek or restart overtook this
    // answer: the link must carry it. Only the frame may be stale.
    const topology = scenarioTopology(message.scenario);
    const before = useApp.getState().topology?.nodes.map((n) => n.id).join(' ');
    const after = topology.nodes.map((n) => n.id).join(' ');
    if (before !== after) this.particles.reset(topology.nodes.map((n) => n.id));
    useApp.setState({ scenario: message.scenario, document: message.document, share: message.share, topology });
    this.links.write(message.share);
    if (command.type === 'setLayout' ? this.session.isStale(id) : !this.session.isCurrent(id)) return SUPERSEDED;
    this.applyFrame(message.frame, true);
    return true;
  }

  // --- loading --------------------------------------------------------------------------------

  /** Opens the scenario in a fragment; a bad one shows why and opens the default beside it. */
  openFromHash(hash: string): Promise<void> {
    return this.links.open(hash);
  }

  /** Loads a document (or opens a link) in the worker: true, the problems that kept it out, or an error. */
  async load(command: Extract<CommandBody, { type: 'load' | 'open' }>): Promise<true | Problem[] | string> {
    this.loadsAsked++;
    try {
      return await this.loadNow(command);
    } finally {
      this.loadsDone++;
    }
  }

  /** Whether a load asked for has not answered yet (a document is on its way to the screen). */
  get loading(): boolean {
    return this.loadsDone !== this.loadsAsked;
  }

  private async loadNow(command: Extract<CommandBody, { type: 'load' | 'open' }>): Promise<true | Problem[] | string> {
    const wasLoaded = this.loaded;
    // Until the answer comes, the pacer sends nothing and older frames are ignored; a seek under way is dropped.
    this.loaded = false;
    this.dropSeek();
    const { id, reply } = this.session.requestReplacing(command);
    const message = await reply;
    if (message.type !== 'loaded') {
      // A later load replaced this one (or cancelled it in the worker): its refusal is stale.
      if (!this.session.isCurrent(id)) return SUPERSEDED;
      // The worker keeps the run it had.
      this.loaded = wasLoaded;
      if (message.type === 'invalid') return message.problems;
      return message.type === 'error' ? message.message : `unexpected answer "${message.type}"`;
    }
    // Nothing else is taken in until this load is (edits wait for it); a newer load wins below.
    if (needsAutoLayout(message.scenario)) await loadAutoLayout();
    if (!this.session.isCurrent(id)) return SUPERSEDED;
    this.loaded = true;
    this.empty = false;
    const topology = scenarioTopology(message.scenario);
    this.particles.reset(topology.nodes.map((n) => n.id));
    this.rateHistory.clear();
    useApp.setState((s) => ({
      scenario: message.scenario,
      document: message.document,
      share: message.share,
      topology,
      loadCount: s.loadCount + 1,
      // The before → after note of an Apply belongs to the document it was applied to (closing a
      // comparison, opening a preset or a link is another document).
      applied: null,
      fatal: null,
    }));
    this.actor.send({ type: 'LOADED' });
    this.applyFrame(message.frame, true);
    return true;
  }

  // --- answers and frames ----------------------------------------------------------------------

  /** A command that replaces the run (restart, seek): older answers are ignored from now on. */
  private reset(command: CommandBody): number {
    if (command.type !== 'seek') this.dropSeek();
    const id = this.session.replace(command);
    if (command.type === 'seek' || command.type === 'restart') this.follower?.reset(command.type === 'seek' ? command.tMs : 0);
    this.particles.reset();
    this.rateHistory.clear();
    this.rateSamples = [];
    return id;
  }

  /** Forgets a seek under way (another document, a restart, an edit replaced the run). */
  private dropSeek(): void {
    this.seekJob = null;
    this.nextSeek = null;
    this.seekEnded();
  }

  private seekEnded(): void {
    const s = useApp.getState();
    if (s.seekProgress !== null || s.seeking) useApp.setState({ seekProgress: null, seeking: false });
  }

  /** Any answer: a seek's slice landed (its frame follows; `continueSeek` runs after it). */
  private answered(id: number): void {
    if (this.seekJob === null || id !== this.seekJob.slice) return;
    this.seekSliceLanded = true;
    queueMicrotask(() => this.continueSeek());
  }

  /** After a seek's slice: the latest wish goes next, or the next slice, or the seek is done. */
  private continueSeek(): void {
    const job = this.seekJob;
    if (job === null || !this.seekSliceLanded) return;
    this.seekSliceLanded = false;
    const next = this.nextSeek;
    this.nextSeek = null;
    if (next !== null) {
      this.seekJob = null;
      // Forward from where the run is: go on from here (a new job); backwards: the worker re-runs.
      this.seek(next);
      return;
    }
    if (this.simMs >= job.toMs || this.finished) {
      this.seekJob = null;
      this.seekEnded();
      return;
    }
    // Same epoch: the next slice goes on from where this one stopped (now < target, so no re-run).
    job.slice = this.session.send({ type: 'seek', tMs: job.toMs, maxEvents: SEEK_SLICE_EVENTS });
    if (performance.now() - job.startedAt >= SEEK_PROGRESS_AFTER_MS) {
      useApp.setState({ seekProgress: { fromMs: job.fromMs, atMs: this.simMs, toMs: job.toMs } });
    }
  }

  private fail(message: string): void {
    useApp.setState({ fatal: `The simulation stopped: ${message}` });
    this.actor.send({ type: 'PAUSE' });
  }

  private applyFrame(frame: Frame, force: boolean): void {
    // An answer to a run of the document that was on screen before the empty canvas.
    if (this.empty) return;
    const span = this.pacer.span;
    scheduleHops(
      this.particles,
      frame.hops,
      { fromSimMs: Math.min(span.fromSimMs, frame.simTimeMs), toSimMs: frame.simTimeMs, wallMs: span.wallMs, animMs: this.pacer.clock.animMs },
      frame.flows,
    );
    this.particles.skipped += frame.hopsDropped;
    this.simMs = frame.simTimeMs;
    this.pacer.landed(frame.simTimeMs);
    this.durationMs = frame.durationMs;
    this.finished = frame.finished;

    const now = performance.now();
    if (this.state === 'playing' && this.seekJob === null) {
      const samples = this.rateSamples;
      const last = samples[samples.length - 1];
      if (last && last.sim > frame.simTimeMs) samples.length = 0;
      samples.push({ wall: now, sim: frame.simTimeMs });
      while (samples.length > 2 && samples[1]!.wall <= now - REAL_RATE_WINDOW_MS) samples.shift();
    } else if (this.rateSamples.length > 0) {
      this.rateSamples = [];
    }
    // Only a frame with the run summary reaches the panels (the summary, node figures and charts
    // of one moment): while playing, one every PANEL_INTERVAL_MS (the pacer asks for it then).
    // An `advance` sent while playing that lands after a pause has none: the worker is asked for
    // the run as it stands, whose frame then fills the panels.
    const settled = force || frame.finished || this.state !== 'playing';
    const figures = frame.summary !== undefined && frame.nodes !== undefined ? { summary: frame.summary, nodes: frame.nodes } : null;
    const panels = figures !== null && (settled || now - this.lastPanelAt >= PANEL_INTERVAL_MS);
    if (settled && figures === null) this.session.send({ type: 'refresh' });
    // The charts and sparklines redraw when the series is published: with the panels, not on every frame.
    if (frame.series) applySeries(frame.series, panels);
    if (panels) {
      this.lastPanelAt = this.lastClockAt = now;
      useApp.setState({
        simTimeMs: frame.simTimeMs,
        durationMs: frame.durationMs,
        events: frame.events,
        finished: frame.finished,
        nodes: figures.nodes,
        rates: this.rates(frame.simTimeMs, figures.nodes),
        summary: figures.summary,
        hopsDropped: this.particles.skipped,
        realRate: this.realRate(now),
      });
    } else if (now - this.lastClockAt >= CLOCK_INTERVAL_MS) {
      this.lastClockAt = now;
      useApp.setState({ simTimeMs: frame.simTimeMs, events: frame.events, finished: frame.finished });
    }
    this.actor.send({ type: 'TICK', finished: frame.finished });
    this.follower?.follow(frame.simTimeMs, frame.summary !== undefined);
  }

  /** Simulated time per wall second over the last seconds of play; null under a second of it. */
  private realRate(now: number): number | null {
    const samples = this.rateSamples;
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (!first || !last || last.wall - first.wall < 1000 || now - last.wall > 500) return null;
    return (last.sim - first.sim) / (last.wall - first.wall);
  }

  private rates(t: number, nodes: NonNullable<Frame['nodes']>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, state] of Object.entries(nodes)) {
      let history = this.rateHistory.get(id);
      if (!history) this.rateHistory.set(id, (history = []));
      const last = history[history.length - 1];
      if (last && last.t > t) history.length = 0; // time went back: a new run
      history.push({ t, n: state.received });
      while (history.length > 2 && history[1]!.t <= t - RATE_WINDOW_MS) history.shift();
      const first = history[0]!;
      out[id] = t - first.t > 0 ? ((state.received - first.n) * 1000) / (t - first.t) : 0;
    }
    return out;
  }
}

/** Whether two documents differ in their canvas positions only (no re-run needed). */
function onlyLayoutDiffers(a: { layout?: unknown }, b: unknown): boolean {
  if (typeof b !== 'object' || b === null) return false;
  const { layout: la, ...ra } = a;
  const { layout: lb, ...rb } = b as { layout?: unknown };
  return lb !== undefined && JSON.stringify(la) !== JSON.stringify(lb) && JSON.stringify(ra) === JSON.stringify(rb);
}

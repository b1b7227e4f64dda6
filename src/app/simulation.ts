/**
 * The main thread's side of a run: owns the worker bridge and the playback actor, paces
 * simulated time from animation frames, and writes what the panels show into the store.
 *
 * Pacing: on each animation frame while playing, the target is `sim + wallDelta × speed`
 * (wallDelta capped at 100 ms so a background tab does not leap), sent as one `advance`; the
 * next is sent only once its frame came back, so a slow scenario slows the clock instead of
 * queueing work. "max" asks for the end with a cap of events per frame, so the tab stays
 * responsive however heavy the run.
 */
import { createActor } from 'xstate';
import type { Actor } from 'xstate';
import type { Frame, WorkerMessage } from '../run/protocol';
import type { LoggedEvent, RunSummary } from '../run/types';
import { defaultScenario } from '../scenario/defaultScenario';
import type { Problem } from '../scenario/validate';
import { WorkerBridge, createSimulationWorker } from './bridge';
import type { CommandBody } from './bridge';
import { ParticleBuffer, scheduleHops } from './canvas/particles';
import { scenarioTopology } from './canvas/layout';
import { playbackMachine } from './playback';
import type { PlaybackState, Speed } from './playback';
import { showToast, useApp } from './store';
import { applySeries } from './charts/series';
import type { EventQuery } from '../run/eventQuery';
import type { Waterfall } from '../run/waterfall';
import { hasFragment, shareLink } from './url';
import type { LiveFault } from '../run/live';
import { presetBySlug } from '../scenario/presets';
import { formatClock } from './format';

/** Longest wall-time step one frame may stand for (a background tab resumes without a leap). */
export const MAX_WALL_STEP_MS = 100;
/** Events one `advance` may process at a finite speed, and at "max". */
export const EVENTS_PER_FRAME = 100_000;
export const EVENTS_PER_FRAME_MAX = 200_000;
/** How often node states and the summary are pushed to React. */
export const PANEL_INTERVAL_MS = 200;
/** Simulated time the per-node rates look back over. */
const RATE_WINDOW_MS = 2000;

/** What load() answers when a later load replaced it before it finished. */
const SUPERSEDED = 'superseded by a later load';

type PlaybackActor = Actor<typeof playbackMachine>;

export class SimulationController {
  readonly particles = new ParticleBuffer();
  /** Advances with wall time only while playing; the particle layer times dots on it. */
  readonly clock = { animMs: 0 };
  readonly actor: PlaybackActor;

  private readonly bridge: WorkerBridge;
  /** Answers to commands older than this one belong to a run that was replaced. */
  private epoch = 0;
  private outstanding: number | null = null;
  private seeking: number | null = null;
  private nextSeek: number | null = null;
  private span = { fromSimMs: 0, wallMs: 0 };
  private lastSendAnimMs = 0;
  private simMs = 0;
  private durationMs = 0;
  private finished = true;
  private loaded = false;
  private lastPanelAt = -Infinity;
  private rateHistory = new Map<string, { t: number; n: number }[]>();
  private rafId = 0;
  private lastTs: number | null = null;
  private writtenHash = '';
  private readonly onHashChange = () => {
    if (location.hash !== this.writtenHash) void this.openFromHash(location.hash);
  };
  /** The last link "copy link" produced (the e2e tests read it instead of the clipboard). */
  lastCopiedLink: string | null = null;

  constructor(worker: Worker = createSimulationWorker()) {
    this.bridge = new WorkerBridge(worker, (message) => this.fail(message));
    this.bridge.subscribe((m) => this.receive(m));
    this.actor = createActor(
      playbackMachine.provide({
        actions: {
          restartRun: () => this.reset({ type: 'restart' }),
          stepRun: () => this.send({ type: 'step' }),
        },
      }),
    );
    this.actor.start();
  }

  start(): void {
    window.addEventListener('hashchange', this.onHashChange);
    this.rafId = requestAnimationFrame(this.loop);
    void this.openFromHash(location.hash);
  }

  stop(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    cancelAnimationFrame(this.rafId);
    this.actor.stop();
    this.bridge.terminate();
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
  /** Jumps to a simulated time (backwards re-runs from t=0: the run is a pure function of its document). */
  seek(tMs: number): void {
    if (!this.loaded) return;
    const target = Math.max(0, Math.min(this.durationMs, tMs));
    // While dragging, seeks coalesce: one in the worker at a time, then the latest wish.
    if (this.seeking !== null) this.nextSeek = target;
    else this.seeking = this.reset({ type: 'seek', tMs: target });
  }
  setSpeed(speed: Speed): void {
    this.actor.send({ type: 'SPEED', speed });
  }

  /** Puts the link to the scenario on screen on the clipboard (and in the address bar). */
  async copyLink(): Promise<string | null> {
    const share = useApp.getState().share;
    if (share === null) return null;
    const link = shareLink(share);
    this.lastCopiedLink = link;
    this.writeHash(share);
    try {
      await navigator.clipboard.writeText(link);
      showToast('Link copied: it holds the whole scenario, seed included.');
    } catch {
      showToast('The clipboard is not available here: the link is in the address bar.');
    }
    return link;
  }

  // --- live edits: faults and settings ---------------------------------------------------------

  /** Injects a fault now; it is recorded in the document (and the link) at the simulated time. */
  async inject(fault: LiveFault): Promise<true | Problem[] | string> {
    const result = await this.edit({ type: 'inject', fault });
    if (result === true) {
      const at = formatClock(useApp.getState().simTimeMs);
      showToast(`${fault.kind} on ${fault.target} from ${at}: recorded in the scenario, so the link replays it.`);
    }
    return result;
  }

  /** Ends fault `index` of the document now. */
  async endFault(index: number): Promise<true | Problem[] | string> {
    return this.edit({ type: 'endFault', index });
  }

  /** Replaces the document (a settings change): re-runs it from t=0 to the current time. */
  async setDocument(document: unknown): Promise<true | Problem[] | string> {
    return this.edit({ type: 'setDocument', document });
  }

  /** Records the canvas arrangement in the document (the run goes on untouched; the link carries it). */
  async setLayout(layout: Record<string, { x: number; y: number }>): Promise<true | Problem[] | string> {
    return this.edit({ type: 'setLayout', layout });
  }

  /** Opens another document (a preset, a file) from t=0, and puts its link in the address bar. */
  async openDocument(document: unknown): Promise<true | Problem[] | string> {
    const result = await this.load({ type: 'load', document });
    if (result === true) {
      useApp.setState({ banner: null, selection: null });
      this.writeHash(useApp.getState().share ?? '');
    }
    return result;
  }

  /** Pauses and runs until the next request ends. */
  stepRequest(): void {
    if (!this.loaded) return;
    this.actor.send({ type: 'PAUSE' });
    this.send({ type: 'stepRequest' });
  }

  // --- event log, waterfall, exports (the bottom panel) ----------------------------------------

  /** The ring's events matching the event-log panel's filters (the latest `limit`), and how many matched. */
  async queryEvents(query: EventQuery): Promise<{ events: LoggedEvent[]; matched: number; held: number }> {
    const reply = await this.bridge.request({ type: 'events', ...query, kinds: query.kinds ?? [] }).reply;
    return reply.type === 'events' ? { events: reply.events, matched: reply.matched ?? reply.events.length, held: reply.held ?? reply.events.length } : { events: [], matched: 0, held: 0 };
  }

  /** A request's waterfall up to now (the worker re-runs the document if the ring lost its start). */
  async waterfall(requestId: number): Promise<{ waterfall: Waterfall; rerun: boolean } | string> {
    const reply = await this.bridge.request({ type: 'waterfall', requestId }).reply;
    if (reply.type === 'waterfall') return { waterfall: reply.waterfall, rerun: reply.rerun };
    return reply.type === 'error' ? reply.message : `unexpected answer "${reply.type}"`;
  }

  /** Every event up to now as JSON lines (a re-run keeping all events, capped). */
  async exportEvents(): Promise<{ text: string; events: number; truncated: boolean } | string> {
    const reply = await this.bridge.request({ type: 'exportEvents' }).reply;
    if (reply.type === 'exported') return { text: reply.text, events: reply.events, truncated: reply.truncated };
    return reply.type === 'error' ? reply.message : `unexpected answer "${reply.type}"`;
  }

  /**
   * The events the worker's log still holds for one request, or one broker message: `by` says
   * which id a dot carries (a publish hop carries the eventId, a queued copy's hops its messageId).
   */
  async requestEvents(id: number, by: 'request' | 'message' | 'event' = 'request', limit = 200): Promise<LoggedEvent[]> {
    const filter = by === 'message' ? { messageId: id } : by === 'event' ? { eventId: id } : { requestId: id };
    const reply = await this.bridge.request({ type: 'events', ...filter, limit }).reply;
    return reply.type === 'events' ? reply.events : [];
  }

  private async edit(command: Extract<CommandBody, { type: 'inject' | 'endFault' | 'setDocument' | 'setLayout' }>): Promise<true | Problem[] | string> {
    if (!this.loaded) return 'nothing is loaded yet';
    const { id, reply } = this.bridge.request(command);
    // Frames of the run being replaced are stale from here on (a layout change keeps the run).
    if (command.type !== 'setLayout') this.epoch = id;
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
    this.writeHash(message.share);
    if (command.type === 'setLayout' ? id < this.epoch : id !== this.epoch) return SUPERSEDED;
    this.applyFrame(message.frame, true);
    return true;
  }

  // --- loading --------------------------------------------------------------------------------

  /** Opens the scenario in a fragment; a bad one shows why and opens the default beside it. */
  async openFromHash(hash: string): Promise<void> {
    if (!hasFragment(hash)) {
      useApp.setState({ banner: null });
      const result = await this.load({ type: 'load', document: defaultScenario });
      if (result === true) this.writeHash(useApp.getState().share ?? '');
      return;
    }
    const presetSlug = /^#?preset=([a-z0-9-]+)$/.exec(hash)?.[1];
    const preset = presetSlug === undefined ? undefined : presetBySlug(presetSlug);
    if (preset) {
      useApp.setState({ banner: null });
      const loaded = await this.load({ type: 'load', document: preset.document });
      if (loaded === true) this.writeHash(useApp.getState().share ?? '');
      return;
    }
    const result = await this.load({ type: 'open', link: hash });
    if (result === SUPERSEDED) return;
    if (result === true) {
      useApp.setState({ banner: null });
      this.writtenHash = location.hash;
      return;
    }
    this.showProblems(Array.isArray(result) ? result : [{ path: '', message: result }]);
    await this.load({ type: 'load', document: defaultScenario });
  }

  /** Loads a document (or opens a link) in the worker: true, the problems that kept it out, or an error. */
  async load(command: Extract<CommandBody, { type: 'load' | 'open' }>): Promise<true | Problem[] | string> {
    const wasLoaded = this.loaded;
    // Until the answer comes, the loop sends nothing and older frames are ignored.
    this.loaded = false;
    const { id, reply } = this.bridge.request(command);
    this.epoch = id;
    const message = await reply;
    if (message.type !== 'loaded') {
      // The worker keeps the run it had.
      if (id === this.epoch) this.loaded = wasLoaded;
      if (message.type === 'invalid') return message.problems;
      return message.type === 'error' ? message.message : `unexpected answer "${message.type}"`;
    }
    if (id !== this.epoch) return SUPERSEDED;
    this.loaded = true;
    const topology = scenarioTopology(message.scenario);
    this.particles.reset(topology.nodes.map((n) => n.id));
    this.rateHistory.clear();
    useApp.setState((s) => ({
      scenario: message.scenario,
      document: message.document,
      share: message.share,
      topology,
      loadCount: s.loadCount + 1,
      fatal: null,
    }));
    this.actor.send({ type: 'LOADED' });
    this.applyFrame(message.frame, true);
    return true;
  }

  /** Runs a document to its end in a worker of its own and returns its summary (test hook). */
  async runToEnd(document: unknown): Promise<RunSummary | { problems: Problem[] } | { error: string }> {
    const result = await this.runAside(document, 0);
    return 'summary' in result ? result.summary : result;
  }

  /** Runs a document to its end aside and returns the tail of its event log (test hook). */
  async eventLogToEnd(document: unknown, limit = 10_000): Promise<LoggedEvent[] | { problems: Problem[] } | { error: string }> {
    const result = await this.runAside(document, limit);
    return 'summary' in result ? result.events : result;
  }

  private async runAside(
    document: unknown,
    eventLimit: number,
  ): Promise<{ summary: RunSummary; events: LoggedEvent[] } | { problems: Problem[] } | { error: string }> {
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
      return { summary: frame.summary, events };
    } finally {
      bridge.terminate();
    }
  }

  private showProblems(problems: Problem[]): void {
    useApp.setState({
      banner: { title: 'The scenario in this link could not be opened, so the default scenario is shown instead.', problems },
    });
  }

  private writeHash(share: string): void {
    const hash = `#${share}`;
    this.writtenHash = hash;
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }

  // --- the worker -----------------------------------------------------------------------------

  private send(command: CommandBody): number {
    return this.bridge.send(command);
  }

  /** A command that replaces the run (restart, seek): older answers are ignored from now on. */
  private reset(command: CommandBody): number {
    this.epoch = this.send(command);
    this.particles.reset();
    this.rateHistory.clear();
    return this.epoch;
  }

  private receive(message: WorkerMessage): void {
    if (message.id !== undefined && message.id === this.outstanding) this.outstanding = null;
    if (message.id !== undefined && message.id === this.seeking) {
      this.seeking = null;
      const next = this.nextSeek;
      this.nextSeek = null;
      if (next !== null) queueMicrotask(() => this.seek(next));
    }
    if (message.id !== undefined && message.id < this.epoch) return;
    switch (message.type) {
      case 'frame':
        this.applyFrame(message.frame, false);
        break;
      case 'error':
        this.fail(message.message);
        break;
      default:
        break; // 'loaded' and 'invalid' are handled by load(); 'events' by whoever asked.
    }
  }

  private fail(message: string): void {
    useApp.setState({ fatal: `The simulation stopped: ${message}` });
    this.actor.send({ type: 'PAUSE' });
  }

  private applyFrame(frame: Frame, force: boolean): void {
    if (frame.series) applySeries(frame.series);
    const fromSimMs = this.span.fromSimMs;
    if (frame.hops.length > 0) {
      scheduleHops(this.particles, frame.hops, {
        fromSimMs: Math.min(fromSimMs, frame.simTimeMs),
        toSimMs: frame.simTimeMs,
        wallMs: this.span.wallMs,
        animMs: this.clock.animMs,
      });
    }
    this.particles.skipped += frame.hopsDropped;
    this.simMs = frame.simTimeMs;
    this.span = { fromSimMs: frame.simTimeMs, wallMs: 0 };
    this.durationMs = frame.durationMs;
    this.finished = frame.finished;

    const now = performance.now();
    const panels = force || frame.finished || this.state !== 'playing' || now - this.lastPanelAt >= PANEL_INTERVAL_MS;
    if (panels) {
      this.lastPanelAt = now;
      useApp.setState({
        simTimeMs: frame.simTimeMs,
        durationMs: frame.durationMs,
        events: frame.events,
        finished: frame.finished,
        nodes: frame.nodes,
        rates: this.rates(frame),
        summary: frame.summary,
        hopsDropped: this.particles.skipped,
      });
    } else {
      useApp.setState({ simTimeMs: frame.simTimeMs, events: frame.events, finished: frame.finished });
    }
    this.actor.send({ type: 'TICK', finished: frame.finished });
  }

  private rates(frame: Frame): Record<string, number> {
    const out: Record<string, number> = {};
    const t = frame.simTimeMs;
    for (const [id, state] of Object.entries(frame.nodes)) {
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

  // --- pacing ---------------------------------------------------------------------------------

  private readonly loop = (ts: number) => {
    this.rafId = requestAnimationFrame(this.loop);
    const dt = this.lastTs === null ? 0 : Math.min(ts - this.lastTs, MAX_WALL_STEP_MS);
    this.lastTs = ts;
    const playing = this.state === 'playing';
    if (!playing) {
      this.lastSendAnimMs = this.clock.animMs;
      return;
    }
    this.clock.animMs += dt;
    if (this.outstanding !== null || !this.loaded || this.finished) return;
    const wallMs = Math.min(this.clock.animMs - this.lastSendAnimMs, MAX_WALL_STEP_MS);
    this.lastSendAnimMs = this.clock.animMs;
    const speed = this.actor.getSnapshot().context.speed;
    const max = speed === 'max';
    const toMs = max ? this.durationMs : this.simMs + wallMs * speed;
    this.span = { fromSimMs: this.simMs, wallMs };
    this.outstanding = this.send({ type: 'advance', toMs, maxEvents: max ? EVENTS_PER_FRAME_MAX : EVENTS_PER_FRAME });
  };
}

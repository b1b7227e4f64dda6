/**
 * Starting and ending compare view. A comparison is document A with its `variants` and the name
 * of the variant shown as B: the canvas (the controller's run) runs B, so the inspector edits B
 * and every changed setting lands in that variant's `set`; a second worker (FollowerRun) runs A on
 * the same seed and clock. The address bar carries both: A's share fragment and `&compare=<B>`.
 */
import type { Frame } from '../../run/protocol';
import type { Problem } from '../../scenario/validate';
import { encodeShareFragment } from '../../scenario/codec';
import type { ScenarioInput } from '../../scenario/schema';
import { variantDocument } from '../../scenario/variants';
import type { SimulationController } from '../simulation';
import { showToast, useApp } from '../store';
import { SUPERSEDED } from '../simulation';
import { editHistory } from '../history';
import { useCompareFlags } from './request';
import { diffAsSet, listDelta, settingDiff } from './diff';
import { FollowerRun } from './follower';
import { EMPTY_A, mergeSamples, useCompare } from './state';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Session {
  follower: FollowerRun;
  /** useApp's loadCount once B was loaded: another load (a preset, a file, a link) ends the comparison. */
  loadCount: number;
  unsubscribe: () => void;
}

let current: Session | null = null;
/**
 * Bumped by each startCompare: a start that an await let another one (or another document the
 * address bar opened) overtake is stale, and writes neither the link nor compare view's state.
 */
let generation = 0;

/** The document without its variants (what A runs, and what B's diff is taken from). */
export function plainOf(doc: unknown): unknown {
  if (!isObj(doc)) return doc;
  const { variants: _v, sweep: _s, ...rest } = doc;
  return rest;
}

/** Document A with variant `name` added, or its `set` replaced when it exists. */
export function withVariant(base: unknown, name: string, set: Record<string, unknown>, description?: string): unknown {
  const doc = isObj(base) ? base : {};
  const list = Array.isArray(doc.variants) ? (doc.variants as Obj[]) : [];
  const i = list.findIndex((v) => v.name === name);
  const entry: Obj = { ...(i >= 0 ? list[i] : {}), name, set };
  if (description !== undefined) entry.description = description;
  const variants = i >= 0 ? list.map((v, k) => (k === i ? entry : v)) : [...list, entry];
  return { ...doc, variants };
}

/** The longest name a variant or a document may have (the schema's). */
export const MAX_NAME = 120;

/** A name cut to MAX_NAME characters, with "…" where it was cut. */
export function fitName(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

/**
 * The name of a variant made from settings (a fork's, a sweep cell's): `prefix` and each
 * `path = value`. When that is longer than a name may be, the paths are shortened from the front
 * ("…breaker.slidingWindowSize"), the values kept whole: two cells of one sweep differ in their
 * values, so their names still do.
 */
export function settingsName(prefix: string, settings: readonly (readonly [string, string])[]): string {
  const made = (room: number) => prefix + settings.map(([path, value]) => `${path.length > room ? `…${path.slice(path.length - room + 1)}` : path} = ${value}`).join(', ');
  let room = Math.max(0, ...settings.map(([path]) => path.length));
  while (room > 12 && made(room).length > MAX_NAME) room--;
  return fitName(made(room));
}

/**
 * Document A of a fork or a sweep started from the run on screen. Outside compare view it is the
 * document (its variants kept). In compare view the run on screen is B, so the new comparison
 * starts from B's document, named for what it is ("Retry storm · full jitter") rather than
 * keeping the name of the A it no longer is.
 */
export function canvasDocument(document: unknown): unknown {
  if (!useCompareFlags.getState().active) return document;
  const plain = plainOf(document);
  const { base, variant } = useCompare.getState();
  const nameA = isObj(base) && typeof base.name === 'string' ? base.name : 'A';
  return isObj(plain) ? { ...plain, name: fitName(`${nameA} · ${variant}`) } : plain;
}

/**
 * Problems with a fork as its dialog names them. A fork is a variant whose `set` holds a timed
 * change, so validation reports `variants[3].set["changes"]` with `changes[0].set["PATH"]: …` in
 * its message; the person typed PATH, so the problem is named by PATH alone.
 */
export function forkProblems(problems: readonly Problem[]): Problem[] {
  return problems.map((p) => {
    if (!/^variants\[\d+\]\.set\["changes"\]$/.test(p.path)) return p;
    const m = /^changes\[\d+\]\.set\[("(?:[^"\\]|\\.)*")\]: ([\s\S]*)$/.exec(p.message);
    if (!m) return p;
    return { path: JSON.parse(m[1]!) as string, message: m[2]! };
  });
}

/**
 * The moment variant `name` of `base` forks from A: when all it does is add timed changes or
 * faults that start at one time (what "What if from here…" makes), that time; otherwise null. So a
 * fork reopened from a link, or chosen again in the variant list, shows where it parts from A, and
 * another variant chosen after a fork does not.
 */
export function forkMomentOf(base: unknown, name: string): number | null {
  if (!isObj(base) || !Array.isArray(base.variants)) return null;
  const variant = (base.variants as unknown[]).find((v) => isObj(v) && v.name === name);
  if (!isObj(variant) || !isObj(variant.set)) return null;
  const keys = Object.keys(variant.set);
  const key = keys[0];
  if (keys.length !== 1 || (key !== 'changes' && key !== 'faults')) return null;
  const delta = listDelta(base[key] ?? [], variant.set[key]);
  if (!delta || delta.removed.length > 0 || delta.added.length === 0) return null;
  const times = new Set(delta.added.map((x) => (isObj(x) ? x.atMs : undefined)));
  const [at] = [...times];
  return times.size === 1 && typeof at === 'number' ? at : null;
}

/** The fragment of the comparison on screen: A's share with its variants, and `compare=` naming B. */
export function compareFragment(base: unknown, variant: string): string {
  return `${encodeShareFragment(base as ScenarioInput)}&compare=${encodeURIComponent(variant)}`;
}

/**
 * Opens compare view: A is `base` (with its variants), B its variant `variant`. A is validated
 * whole in its worker first (variants and timed changes included), so a variant the model cannot
 * run is refused with its reasons and nothing on screen changes. `seekMs` puts both runs there;
 * `forkAtMs` (else the variant's own moment, `forkMomentOf`) marks where B parts from A.
 */
export async function startCompare(
  controller: SimulationController,
  base: unknown,
  variant: string,
  options: { seekMs?: number; forkAtMs?: number | null } = {},
): Promise<true | Problem[] | string> {
  const b = variantDocument(base, variant);
  if (!b.ok) return b.problems;
  const mineGeneration = ++generation;
  // A document is on its way (the address bar asked for another one after this was asked): it wins.
  if (controller.loading) return SUPERSEDED;
  // Another document asked for meanwhile (a preset the address bar names) wins over this start.
  const asked = controller.loadsAsked;
  // Run A's frames are drawn only once this comparison is the one on screen.
  let mine = false;
  const follower = new FollowerRun(
    (frame) => {
      if (mine) applyA(frame);
    },
    (message) => {
      if (mine) useCompare.setState({ failure: `Run A stopped: ${message}` });
    },
  );
  const stale = (loads: number) => mineGeneration !== generation || controller.loadsAsked !== loads;
  const loadedA = await follower.load(base);
  if (loadedA !== true || stale(asked)) {
    follower.terminate();
    return loadedA !== true ? loadedA : SUPERSEDED;
  }
  endSession(controller);
  const loadedB = await controller.load({ type: 'load', document: b.document });
  if (loadedB !== true || stale(asked + 1)) {
    follower.terminate();
    if (loadedB === true || loadedB === SUPERSEDED) return SUPERSEDED;
    if (mineGeneration === generation) useCompareFlags.setState({ active: false, aNodes: {} });
    return loadedB;
  }
  // Undo and redo go over B's edits from here (the history of the document before is A's).
  editHistory.reset(useApp.getState().document);
  const forkAtMs = options.forkAtMs !== undefined ? options.forkAtMs : forkMomentOf(base, variant);
  useCompare.setState({ base, variant, diff: settingDiff(plainOf(base), b.document), forkAtMs, failure: null });
  const session: Session = { follower, loadCount: useApp.getState().loadCount, unsubscribe: () => {} };
  session.unsubscribe = useApp.subscribe((s, prev) => {
    if (current !== session) return;
    if (s.loadCount !== session.loadCount) {
      // Another document was opened: the comparison is over.
      endSession(controller);
      return;
    }
    if (s.document !== prev.document) bEdited(s.document);
  });
  current = session;
  mine = true;
  if (follower.lastFrame) applyA(follower.lastFrame);
  controller.follower = follower;
  controller.links.compose = () => {
    const st = useCompare.getState();
    return compareFragment(st.base, st.variant);
  };
  controller.links.write('');
  useCompareFlags.setState({ active: true, request: null });
  if (options.seekMs !== undefined && options.seekMs > 0) controller.seek(options.seekMs);
  follower.follow(useApp.getState().simTimeMs, true);
  return true;
}

/**
 * A frame of run A into compare view's store (series merged, as the canvas's run's are). While
 * playing, A's summary and node states come a few times a second, with the canvas's run's; the
 * frames between keep the last ones.
 */
function applyA(frame: Frame): void {
  const a = useCompare.getState().a;
  useCompare.setState({
    a: {
      summary: frame.summary ?? a.summary,
      simTimeMs: frame.simTimeMs,
      samples: frame.series ? mergeSamples(a.samples, frame.series) : a.samples,
      intervalMs: frame.series?.intervalMs ?? a.intervalMs,
    },
  });
  if (frame.nodes) useCompareFlags.setState({ aNodes: frame.nodes });
}

/** B was edited (inspector, a live fault): its settings become the variant's `set`. */
function bEdited(document: unknown): void {
  const st = useCompare.getState();
  const diff = settingDiff(plainOf(st.base), document);
  const base = withVariant(st.base, st.variant, diffAsSet(diff));
  useCompare.setState({ base, diff });
}

/** Leaves compare view without loading anything (another document is being opened). */
function endSession(controller: SimulationController): void {
  const session = current;
  current = null;
  if (controller.follower) controller.follower = null;
  controller.links.compose = null;
  if (session) {
    session.unsubscribe();
    session.follower.terminate();
  }
  useCompare.setState({ a: EMPTY_A, forkAtMs: null, failure: null });
  useCompareFlags.setState({ active: false, aNodes: {} });
}

/** Closes compare view: back to A, whose link keeps B as a variant. */
export async function closeCompare(controller: SimulationController): Promise<void> {
  const base = useCompare.getState().base;
  // Both runs were on one clock: A opens at that moment (where a seek under way was going),
  // paused, not back at 00:00.
  const atMs = controller.momentMs();
  endSession(controller);
  const result = await controller.openDocument(base);
  if (result !== true) showToast('Document A could not be reopened; the last run stays on screen.');
  else if (atMs > 0) controller.seek(atMs);
}

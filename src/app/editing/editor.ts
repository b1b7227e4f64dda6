/**
 * The canvas's editing actions, joining the pure operations (ops.ts, loaded on first use) to the
 * controller (which applies the document, re-runs it and records the edit in the undo history)
 * and telling the user what happened: what else a delete took, why a wire made nothing, which
 * field a refused edit got wrong. The palette, the canvas, the context menu and the keyboard
 * all call these.
 */
import { create } from 'zustand';
import type { Problem } from '../../scenario/validate';
import { scenarioEdges } from '../../scenario/graph';
import type { SimulationController } from '../simulation';
import { showToast, useApp } from '../store';
import { GAP_X, GAP_Y, keepSpread, nodeSize } from '../canvas/layout';
import type { Clip, Connection, Doc, Outcome, Point, Positions } from './ops';

/** The operations, in a chunk of their own (they carry zod through the kinds' schemas). */
export const loadOps = () => import('./ops');

/** What the canvas asks after a wire was dropped: a value to fill in, a choice, or why nothing can be made. */
export interface Prompt {
  /** Where the drag ended, in the canvas's own coordinates (the popover opens there). */
  x: number;
  y: number;
  source: string;
  target: string;
  connections: Connection[];
  /** Why the pair allows nothing (when `connections` is empty). */
  why?: string;
  /** A refusal of the last try (a field named), shown in the prompt. */
  problem?: string;
}

interface EditingState {
  prompt: Prompt | null;
  /** The nodes selected on the canvas (several with Shift + drag or Ctrl + click). */
  selected: string[];
  clip: Clip | null;
  /** Bumped when the canvas should fit its nodes in view again (nodes added, pasted, imported, laid out). */
  fit: number;
  /** Nodes the canvas should select once the document on screen has them (what was just added or pasted); each request a new list. */
  pick: string[] | null;
}

export const useEditing = create<EditingState>()(() => ({ prompt: null, selected: [], clip: null, fit: 0, pick: null }));

let turn: Promise<unknown> = Promise.resolve();

/**
 * Runs edits one after another, each reading the document the one before it left: the document
 * on screen changes only when the worker has taken an edit in, so two quick clicks on "service"
 * would otherwise both add "service-1" to the same document, and the second would replace the
 * first. Undo and redo take their turn too.
 */
export function inTurn<T>(edit: () => Promise<T>): Promise<T> {
  const next = turn.then(edit, edit);
  turn = next.catch(() => undefined);
  return next;
}

/** Asks the canvas to bring every node into view. */
export function requestFit(): void {
  useEditing.setState((s) => ({ fit: s.fit + 1 }));
}

/** Where the canvas shows each node now, in the document's layout units. */
export function positionsNow(): Positions {
  const topology = useApp.getState().topology;
  if (!topology) return {};
  const scale = topology.layoutScale || 1;
  return Object.fromEntries(topology.nodes.map((n) => [n.id, { x: n.position.x / scale, y: n.position.y / scale }]));
}

/** Canvas units → layout units (the document's layout may be spread on screen). */
export function toLayout(p: Point): Point {
  const scale = useApp.getState().topology?.layoutScale || 1;
  return { x: p.x / scale, y: p.y / scale };
}

/**
 * The document with the boxes an edit placed (`ids`: added, pasted) moved just clear of the
 * others, so that the layout needs no more spreading than the canvas gives it now: a box dropped
 * against another would otherwise spread every box apart (canvas/layout.ts).
 */
export function clearOfOthers(doc: Doc, ids: readonly string[]): Doc {
  const layout = (doc.layout ?? {}) as Positions;
  const kinds = new Map(doc.nodes.map((n) => [n.id, n.kind]));
  const points = Object.entries(layout).flatMap(([id, p]) => (kinds.has(id) ? [{ id, x: p.x, y: p.y, kind: kinds.get(id)! }] : []));
  const moved = keepSpread(points, new Set(ids), useApp.getState().topology?.layoutScale ?? 1);
  return { ...doc, layout: { ...layout, ...Object.fromEntries(moved) } };
}

/**
 * The document with the nodes its layout leaves out (an import's exchanges and queues) laid out
 * among themselves, left to right, below the boxes already placed. Without it the automatic
 * layout placed them in its own units among boxes the document places, on top of them. A
 * document that places no node is left to the automatic layout as a whole.
 */
export async function placeUnplaced(doc: Doc): Promise<Doc> {
  const layout = (doc.layout ?? {}) as Positions;
  const fresh = doc.nodes.filter((n) => layout[n.id] === undefined);
  const placed = doc.nodes.filter((n) => layout[n.id] !== undefined);
  if (fresh.length === 0 || placed.length === 0) return doc;
  const { placeLeftToRight } = await import('../canvas/autoLayout');
  const ids = new Set(fresh.map((n) => n.id));
  const among = scenarioEdges({ nodes: fresh as never }).filter((e) => ids.has(e.source) && ids.has(e.target));
  const auto = placeLeftToRight(fresh, among, (n) => nodeSize(n.kind), GAP_X);
  const scale = useApp.getState().topology?.layoutScale ?? 1;
  const left = Math.min(...placed.map((n) => layout[n.id]!.x));
  const top = Math.max(...placed.map((n) => layout[n.id]!.y + (nodeSize(n.kind).height + GAP_Y) / scale));
  const next: Positions = { ...layout };
  for (const n of fresh) {
    const p = auto.get(n.id) ?? { x: 0, y: 0 };
    next[n.id] = { x: Math.round(left + p.x / scale), y: Math.round(top + p.y / scale) };
  }
  return clearOfOthers({ ...doc, layout: next }, [...ids]);
}

function problemsText(problems: Problem[]): string {
  const shown = problems.slice(0, 3).map((p) => `${p.path || '(document)'}: ${p.message}`);
  return `${shown.join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`;
}

/**
 * Applies an operation's outcome: the new document goes to the controller (recorded under its
 * label); the user is told what else changed, or why nothing did. Returns the refusal, if any.
 */
export async function apply(controller: SimulationController, outcome: Outcome, quiet = false): Promise<string | null> {
  if (!outcome.ok) {
    showToast(outcome.reason);
    return outcome.reason;
  }
  const result = await controller.commit(outcome.doc, outcome.label);
  if (Array.isArray(result)) {
    const why = `Not applied — ${problemsText(result)}`;
    showToast(why);
    return why;
  }
  if (typeof result === 'string' && result !== 'superseded by a later load') {
    showToast(`Not applied: ${result}`);
    return result;
  }
  if (/^(add|paste|import|new)\b/.test(outcome.label)) requestFit();
  if (!quiet || outcome.changes.length > 0) {
    const label = outcome.label.charAt(0).toUpperCase() + outcome.label.slice(1);
    showToast(outcome.changes.length > 0 ? `${label}. Also: ${outcome.changes.join('; ')}.` : `${label}.`);
  }
  return null;
}

function editable(): boolean {
  const s = useApp.getState();
  return s.editable && s.document !== null;
}

/** Adds a node of `kind` (at a point in canvas units, or beside the others) and selects it. */
export function addKind(controller: SimulationController, kind: string, at: Point | null): Promise<void> {
  return inTurn(async () => {
    if (!editable()) return;
    const ops = await loadOps();
    const added = ops.addNode(useApp.getState().document, kind, at ? toLayout(at) : null, positionsNow());
    const outcome = added.ok && added.id ? { ...added, doc: clearOfOthers(added.doc, [added.id]) } : added;
    const refused = await apply(controller, outcome);
    if (refused === null && outcome.ok && outcome.id) {
      useApp.setState({ selection: { type: 'node', id: outcome.id } });
      // The new node is what Delete or Ctrl+C acts on now, not what was selected before.
      useEditing.setState({ pick: [outcome.id], selected: [outcome.id] });
    }
  });
}

/**
 * A wire dropped from `source` on `target` (`at`: where, in the canvas's coordinates): what the
 * pair allows is made at once, or asked about first (a prefix, a key, a choice); a pair that
 * allows nothing says why, there.
 */
export function wire(controller: SimulationController, source: string, target: string | null, at: Point): Promise<void> {
  return inTurn(async () => {
    if (!editable()) return;
    const ops = await loadOps();
    const doc = useApp.getState().document;
    if (target === null) {
      useEditing.setState({ prompt: { ...at, source, target: '', connections: [], why: 'Drop the wire on another node to connect them.' } });
      return;
    }
    const connections = ops.connectionsFor(doc, source, target);
    if (connections.length === 1 && connections[0]!.ask === null) {
      await apply(controller, ops.connect(doc, connections[0]!, ''));
      return;
    }
    useEditing.setState({ prompt: { ...at, source, target, connections, ...(connections.length === 0 ? { why: ops.whyNot(doc, source, target) } : {}) } });
  });
}

/** Makes a connection the prompt asked about; keeps the prompt open with the refusal when it fails. */
export function finishWire(controller: SimulationController, connection: Connection, value: string): Promise<void> {
  return inTurn(async () => {
    const ops = await loadOps();
    const prompt = useEditing.getState().prompt;
    const outcome = ops.connect(useApp.getState().document, connection, value);
    if (!outcome.ok) {
      if (prompt) useEditing.setState({ prompt: { ...prompt, problem: outcome.reason } });
      return;
    }
    const refused = await apply(controller, outcome);
    if (refused === null) useEditing.setState({ prompt: null });
    else if (prompt) useEditing.setState({ prompt: { ...prompt, problem: refused } });
  });
}

export function deleteNodes(controller: SimulationController, ids: string[]): Promise<void> {
  return inTurn(async () => {
    if (!editable() || ids.length === 0) return;
    const ops = await loadOps();
    const outcome = ops.deleteNodes(useApp.getState().document, ids);
    const refused = await apply(controller, outcome);
    if (refused === null) {
      useApp.setState({ selection: null });
      useEditing.setState({ selected: [] });
    }
  });
}

/** Deletes the reference a canvas edge draws. */
export function deleteEdge(controller: SimulationController, edgeId: string): Promise<void> {
  return inTurn(async () => {
    if (!editable()) return;
    const edge = useApp.getState().topology?.edges.find((e) => e.id === edgeId);
    if (!edge) return;
    const ops = await loadOps();
    const { pathOf } = await import('../docPath');
    const refused = await apply(controller, ops.deleteEdge(useApp.getState().document, pathOf(edge.path)));
    if (refused === null) useApp.setState({ selection: null });
  });
}

/** Delete / Backspace: the nodes selected on the canvas, else the edge or node in the inspector. */
export async function deleteSelection(controller: SimulationController): Promise<void> {
  // What is still there: a node added and then undone stays selected, and Delete said "nothing to delete".
  const s = useApp.getState();
  const here = new Set(s.scenario?.nodes.map((n) => n.id) ?? []);
  const selected = useEditing.getState().selected.filter((id) => here.has(id));
  const selection = s.selection;
  if (selected.length > 0) await deleteNodes(controller, selected);
  else if (selection?.type === 'edge' && s.topology?.edges.some((e) => e.id === selection.id)) await deleteEdge(controller, selection.id);
  else if (selection?.type === 'node' && here.has(selection.id)) await deleteNodes(controller, [selection.id]);
}

/** Renames a node with every reference updated; the refusal (naming the field), or null. */
export function rename(controller: SimulationController, from: string, to: string): Promise<string | null> {
  return inTurn(async () => {
    if (!editable()) return 'editing is off';
    const ops = await loadOps();
    const outcome = ops.renameNode(useApp.getState().document, from, to.trim());
    if (!outcome.ok) return outcome.reason;
    const refused = await apply(controller, outcome);
    if (refused === null) useApp.setState({ selection: { type: 'node', id: to.trim() } });
    return refused;
  });
}

/**
 * Puts the selected nodes aside. In turn with the edits: a Ctrl+V pressed right after Ctrl+C
 * pastes what was just copied (the copy waited for the operations to load, and the paste ran
 * first, with nothing to paste), and a copy made after an edit copies its result.
 */
export function copySelection(): Promise<void> {
  const s = useApp.getState();
  const ids = useEditing.getState().selected.length > 0 ? useEditing.getState().selected : s.selection?.type === 'node' ? [s.selection.id] : [];
  if (ids.length === 0) return Promise.resolve();
  return inTurn(async () => {
    const ops = await loadOps();
    const clip = ops.copyNodes(useApp.getState().document, ids, positionsNow());
    if (!clip) return;
    useEditing.setState({ clip });
    showToast(`Copied ${clip.nodes.map((n) => n.id).join(', ')}: Ctrl+V pastes them with new ids.`);
  });
}

export function paste(controller: SimulationController): Promise<void> {
  return inTurn(async () => {
    const clip = useEditing.getState().clip;
    if (!editable() || !clip) return;
    const ops = await loadOps();
    const pasted = ops.pasteNodes(useApp.getState().document, clip, positionsNow());
    const outcome = pasted.ok && pasted.ids ? { ...pasted, doc: clearOfOthers(pasted.doc, pasted.ids) } : pasted;
    const refused = await apply(controller, outcome);
    if (refused !== null || !outcome.ok) return;
    // Pasting again lands further on, not on top of the first copies; the copies are selected
    // (Delete right after a paste takes the copies, not the originals).
    useEditing.setState({
      clip: { ...clip, positions: Object.fromEntries(Object.entries(clip.positions).map(([id, p]) => [id, { x: p.x + 40, y: p.y + 40 }])) },
      pick: outcome.ids ?? null,
      selected: outcome.ids ?? [],
    });
    useApp.setState({ selection: null });
  });
}

/** A node's box as the canvas draws it now (a service with breaker chips is taller than its kind's size), at least that size. */
function drawnSize(node: { id: string; kind: string }): { width: number; height: number } {
  const base = nodeSize(node.kind);
  const el = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(node.id)}"]`);
  return el ? { width: Math.max(base.width, el.offsetWidth), height: Math.max(base.height, el.offsetHeight) } : base;
}

/**
 * Places every node afresh (dagre, left to right) and records it as the layout. The boxes are
 * ranked at the size they are drawn: at their kinds' sizes a gateway (drawn 212 high, sized 140)
 * or a service with breaker chips overlapped the box below it.
 */
export function autoLayout(controller: SimulationController): Promise<void> {
  return inTurn(async () => {
    const s = useApp.getState();
    if (!editable() || !s.scenario || s.scenario.nodes.length === 0) return;
    const { placeLeftToRight } = await import('../canvas/autoLayout');
    const placed = placeLeftToRight(s.scenario.nodes, scenarioEdges(s.scenario), drawnSize, GAP_X);
    const layout = Object.fromEntries([...placed].map(([id, p]) => [id, { x: p.x, y: p.y }]));
    const result = await controller.setLayout(layout, 'auto-layout');
    if (result === true) {
      requestFit();
      showToast('Laid out left to right. Ctrl+Z puts the boxes back.');
    }
    else if (Array.isArray(result)) showToast(`Not applied — ${problemsText(result)}`);
  });
}

/** An empty canvas to build on (undoable: Ctrl+Z brings the scenario back). */
export function newScenario(controller: SimulationController): Promise<void> {
  return inTurn(async () => {
    if (!editable()) return;
    const ops = await loadOps();
    const doc = ops.emptyDocument();
    const result = ops.emptyScenarioOf(doc);
    if (!result.ok) return;
    controller.openEmpty(doc, result.scenario, 'new empty scenario');
    showToast('An empty scenario: add components from the palette, then drag from a node’s right edge to another node to wire them.');
  });
}

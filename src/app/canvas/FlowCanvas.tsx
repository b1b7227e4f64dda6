/**
 * The scenario on an @xyflow/react canvas: nodes by kind, edges by what travels them, and the
 * particle layer on top. Nodes can be dragged (the dots follow); the graph is rebuilt and the
 * view refitted whenever another document is loaded. A click selects a node or an edge for the
 * inspector, or picks a moving dot; a right-click opens the fault menu.
 *
 * The canvas wrapper carries `--px`, one screen pixel in canvas units (1 / zoom): the presenter
 * level of detail sizes its type with it, so node text stays the same size on screen at any
 * zoom. Every fit leaves the edit bar and the legend their room (`fitPadding`); in presenter mode
 * the view is fitted again whenever the canvas changes size.
 */
import './canvas.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent as ReactDragEvent, KeyboardEvent as ReactKeyboardEvent, MouseEvent as ReactMouseEvent, RefObject } from 'react';
import { Background, Controls, MarkerType, ReactFlow, ReactFlowProvider, applyNodeChanges, useNodesInitialized, useReactFlow, useStore } from '@xyflow/react';
import type { FinalConnectionState, NodeChange, OnSelectionChangeParams } from '@xyflow/react';
import type { Scenario } from '../../scenario/schema';
import type { Topology, TopologyEdge } from './layout';
import { keepSpread } from './layout';
import type { SimulationController } from '../simulation';
import { useApp } from '../store';
import { useController } from '../context';
import { detailOf, nodeTypeOf, nodeTypes } from '../kinds';
import type { FlowNode, FlowNodeData } from '../kinds';
import { getIn, pathOf } from '../docPath';
import { edgeTypes } from './edges';
import type { FlowEdge } from './edges';
import { ParticleLayer } from './ParticleLayer';
import type { DotPicker, PickedDot } from './ParticleLayer';
import { Legend } from './Legend';
import { ContextMenu } from './ContextMenu';
import type { MenuRequest } from './ContextMenu';
import { activeByTarget, edgeFaultOffer, linkTarget } from '../faults/kinds';
import { MessagePopover } from '../inspector/MessagePopover';
import { EditBar, KIND_MIME } from '../editing/EditBar';
import { ConnectPrompt } from '../editing/ConnectPrompt';
import { addKind, useEditing, wire } from '../editing/editor';

export function FlowCanvas({ controller }: { controller: SimulationController }) {
  const topology = useApp((s) => s.topology);
  const scenario = useApp((s) => s.scenario);
  const loadCount = useApp((s) => s.loadCount);
  const pickRef = useRef<DotPicker | null>(null);
  const wrapRef = useRef<HTMLElement>(null);
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  const [dot, setDot] = useState<{ dot: PickedDot; x: number; y: number } | null>(null);
  // The node or edge the menu was opened on gets the focus back when it closes (if still there).
  const opener = useRef<HTMLElement | SVGElement | null>(null);
  const openMenu = useCallback((m: MenuRequest, from: HTMLElement | SVGElement | null) => {
    opener.current = from;
    setMenu(m);
  }, []);
  const closeMenu = useCallback(() => {
    setMenu(null);
    const from = opener.current;
    opener.current = null;
    if (from?.isConnected) from.focus();
  }, []);

  /** A click at a screen point: a dot there opens its popover (true), else nothing (false). */
  const pickAt = useCallback((clientX: number, clientY: number): boolean => {
    const box = wrapRef.current?.getBoundingClientRect();
    const picked = box ? pickRef.current?.(clientX - box.left, clientY - box.top) : null;
    if (!picked || !box) return false;
    setDot({ dot: picked, x: clientX - box.left, y: clientY - box.top });
    return true;
  }, []);

  return (
    <section className="canvas-wrap" aria-label="Scenario canvas" ref={wrapRef}>
      {topology && scenario ? (
        <ReactFlowProvider key={loadCount}>
          <Flow topology={topology} scenario={scenario} onMenu={openMenu} pickAt={pickAt} />
          <ZoomScale wrap={wrapRef} />
          <ViewFit wrap={wrapRef} />
          <ParticleLayer controller={controller} topology={topology} pickRef={pickRef} />
        </ReactFlowProvider>
      ) : (
        <p className="canvas-empty">Loading the scenario…</p>
      )}
      {scenario && scenario.nodes.length === 0 ? (
        <p className="canvas-empty canvas-empty-doc" data-testid="canvas-empty">
          An empty scenario. Add components from the palette above (click, or drag onto the canvas), then drag from a node’s right edge to another node to wire them.
        </p>
      ) : null}
      <EditBar controller={controller} />
      <ConnectPrompt />
      <Legend />
      {menu ? <ContextMenu menu={menu} onClose={closeMenu} /> : null}
      {dot ? <MessagePopover key={`${dot.dot.requestId}-${dot.x}`} dot={dot.dot} x={dot.x} y={dot.y} onClose={() => setDot(null)} /> : null}
    </section>
  );
}

/** Writes `--px` (one screen pixel in canvas units) on the canvas wrapper as the zoom changes. */
function ZoomScale({ wrap }: { wrap: RefObject<HTMLElement | null> }) {
  const zoom = useStore((s) => s.transform[2]);
  useEffect(() => {
    wrap.current?.style.setProperty('--px', String(1 / zoom));
  }, [zoom, wrap]);
  return null;
}

/** The bottom of the canvas the sampling note may take (canvas.css: 12 px up, two 12 px lines). */
const NOTE_ROOM_PX = 56;
type Px = `${number}px`;

/**
 * The room the canvas's own overlays take, as fit padding: the edit bar along the top, the
 * legend at the bottom left and the sampling note at the bottom right (the zoom controls sit
 * beside the edit bar). A fit leaves them free, so none covers a node.
 */
export function fitPadding(wrap: Element | null): { top: Px; bottom: Px; left: Px; right: Px } {
  const box = wrap?.getBoundingClientRect();
  const bar = wrap?.querySelector('.edit-bar')?.getBoundingClientRect();
  const legend = wrap?.querySelector('.legend')?.getBoundingClientRect();
  const top = box && bar && bar.height > 0 ? bar.bottom - box.top + 10 : 10;
  // The sampling note shares the legend's row once busy edges are sampled, two lines tall at most.
  const bottom = Math.max(box && legend && legend.height > 0 ? box.bottom - legend.top : 0, NOTE_ROOM_PX) + 10;
  return { top: `${Math.round(top)}px`, bottom: `${Math.round(bottom)}px`, left: '12px', right: '12px' };
}

/**
 * Fits the whole graph into the canvas, clear of the edit bar and the legend: once the boxes are
 * measured after a load, when presenter mode turns on or off (the boxes change size), and when
 * the canvas changes size (the bottom panel opened, the window resized) — in presenter mode
 * always, otherwise only while the view is still the one the last fit made (a view the user
 * panned or zoomed stays as they left it).
 */
function ViewFit({ wrap }: { wrap: RefObject<HTMLElement | null> }) {
  const present = useApp((s) => s.present);
  const ready = useNodesInitialized();
  const flow = useReactFlow();
  useEffect(() => {
    const el = wrap.current;
    if (!el || !ready) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let fitted: string | null = null;
    const viewNow = () => JSON.stringify(flow.getViewport());
    // After a short wait: the boxes are measured at their level of detail, the layout has settled.
    const refit = () => {
      clearTimeout(timer);
      el.removeAttribute('data-fit');
      timer = setTimeout(() => {
        void flow.fitView({ padding: fitPadding(el), maxZoom: 1.6 }).then(() => {
          fitted = viewNow();
          // Which fit the view has now (journeys wait for it).
          el.setAttribute('data-fit', present ? 'presenter' : 'normal');
        });
      }, 80);
    };
    refit();
    let first = true;
    const observer = new ResizeObserver(() => {
      // The observer reports the size it starts with: that fit is under way already.
      if (first) {
        first = false;
        return;
      }
      if (present || fitted === viewNow()) refit();
    });
    observer.observe(el);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [present, ready, flow, wrap]);
  return null;
}

/** The live faults now, as a string that changes only when the set of active faults does. */
function activeKey(s: { scenario: Scenario | null; simTimeMs: number }): string {
  if (!s.scenario || s.scenario.faults.length === 0) return '';
  return JSON.stringify([...activeByTarget(s.scenario.faults, s.simTimeMs)]);
}

function Flow({
  topology,
  scenario,
  onMenu,
  pickAt,
}: {
  topology: Topology;
  scenario: Scenario;
  onMenu: (m: MenuRequest, from: HTMLElement | SVGElement | null) => void;
  pickAt: (x: number, y: number) => boolean;
}) {
  const active = useApp(activeKey);
  const faults = useMemo(() => new Map<string, string[]>(active ? (JSON.parse(active) as [string, string[]][]) : []), [active]);
  // Settings changes and live faults update what the boxes say; positions stay where dragged,
  // until the document places a box elsewhere (auto-layout, undo of a move, an edit's layout).
  const fresh = useMemo(() => flowNodes(topology, scenario, faults), [topology, scenario, faults]);
  const [moved, setMoved] = useState<FlowNode[]>(fresh);
  const [placed, setPlaced] = useState<FlowNode[]>(fresh);
  if (placed !== fresh) {
    setPlaced(fresh);
    setMoved((ns) => relocated(ns, placed, fresh));
  }
  const nodes = useMemo(() => mergeNodes(moved, fresh), [moved, fresh]);
  // What an edit asks to be selected (the node just added, the copies just pasted), once on screen.
  // (Each request is a new list, applied once.)
  const pick = useEditing((s) => s.pick);
  const [picked, setPicked] = useState<string[] | null>(null);
  if (pick && pick !== picked && pick.every((id) => fresh.some((n) => n.id === id))) {
    setPicked(pick);
    const want = new Set(pick);
    setMoved((ns) => mergeNodes(ns, fresh).map((n) => (Boolean(n.selected) === want.has(n.id) ? n : { ...n, selected: want.has(n.id) })));
  }
  const edges = useMemo(() => flowEdges(topology, scenario, faults), [topology, scenario, faults]);
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setMoved((ns) => applyNodeChanges(changes, mergeNodes(ns, fresh))), [fresh]);
  const byId = useMemo(() => new Map(topology.edges.map((e) => [e.id, e])), [topology]);
  const controller = useController();
  const editable = useApp((s) => s.editable);
  const flow = useReactFlow();
  // A wire dropped on a node (its handle, or anywhere on its box) makes what the pair allows.
  const onConnectEnd = useCallback(
    (e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const from = state.fromNode?.id;
      if (!from) return;
      const point = 'changedTouches' in e ? e.changedTouches[0]! : e;
      const under = document.elementFromPoint(point.clientX, point.clientY)?.closest<HTMLElement>('.react-flow__node');
      const to = state.toNode?.id ?? under?.dataset.id ?? null;
      const box = (e.target as Element | null)?.closest('.canvas-wrap')?.getBoundingClientRect() ?? document.querySelector('.canvas-wrap')?.getBoundingClientRect();
      void wire(controller, from, to, { x: point.clientX - (box?.left ?? 0), y: point.clientY - (box?.top ?? 0) });
    },
    [controller],
  );
  const onDragOver = useCallback((e: ReactDragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: ReactDragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      void addKind(controller, kind, p);
    },
    [flow, controller],
  );
  // Nodes added, pasted, imported or laid out: bring them all into view, below the edit bar.
  const fit = useEditing((s) => s.fit);
  useEffect(() => {
    if (fit === 0) return;
    const t = setTimeout(() => void flow.fitView({ padding: fitPadding(document.querySelector('.canvas-wrap')), maxZoom: 1, duration: 200 }), 60);
    return () => clearTimeout(t);
  }, [fit, flow]);
  const onSelectionChange = useCallback(({ nodes: picked }: OnSelectionChangeParams) => {
    const ids = picked.map((n) => n.id);
    if (ids.join(' ') !== useEditing.getState().selected.join(' ')) useEditing.setState({ selected: ids });
  }, []);
  // A dropped box is written into the document's layout, so the link carries the arrangement;
  // dropped against another box, it moves just clear of it rather than spreading every box apart.
  const onNodeDragStop = useCallback(
    (_: unknown, _node: FlowNode, dragged: FlowNode[]) => {
      const moved = new Map(dragged.map((n) => [n.id, n.position]));
      const points = nodes.map((n) => {
        const p = moved.get(n.id) ?? n.position;
        return { id: n.id, kind: n.data.kind, x: Math.round(p.x / topology.layoutScale), y: Math.round(p.y / topology.layoutScale) };
      });
      const clear = keepSpread(points, new Set(moved.keys()), topology.layoutScale);
      const layout: Record<string, { x: number; y: number }> = {};
      for (const p of points) layout[p.id] = clear.get(p.id) ?? { x: p.x, y: p.y };
      void controller.setLayout(layout);
    },
    [nodes, topology.layoutScale, controller],
  );

  const onNodeClick = useCallback((_: ReactMouseEvent, node: FlowNode) => useApp.setState({ selection: { type: 'node', id: node.id } }), []);
  const onEdgeClick = useCallback(
    (e: ReactMouseEvent, edge: FlowEdge) => {
      if (!pickAt(e.clientX, e.clientY)) useApp.setState({ selection: { type: 'edge', id: edge.id } });
    },
    [pickAt],
  );
  const onPaneClick = useCallback((e: ReactMouseEvent) => {
    if (!pickAt(e.clientX, e.clientY)) useApp.setState({ selection: null });
  }, [pickAt]);
  const embed = useApp((s) => s.embed);
  // The menu of a node or an edge, at a screen point; the embedded player edits nothing.
  const nodeMenu = useCallback(
    (node: FlowNode, x: number, y: number, from: HTMLElement | SVGElement | null) => {
      if (useApp.getState().embed) return;
      onMenu({ x, y, target: node.id, title: `${node.data.kind} ${node.data.label}`, select: { type: 'node', id: node.id }, edit: { node: node.id } }, from);
    },
    [onMenu],
  );
  const edgeMenu = useCallback(
    (id: string, x: number, y: number, from: HTMLElement | SVGElement | null) => {
      const t = byId.get(id);
      if (!t || useApp.getState().embed) return;
      const doc = useApp.getState().scenario;
      const note = doc ? edgeFaultOffer(doc, t).why : null;
      onMenu({ x, y, target: linkTarget(t), title: `${t.kind} ${t.source} → ${t.target}`, select: { type: 'edge', id }, edit: { edge: id }, note }, from);
    },
    [onMenu, byId],
  );
  const onNodeContextMenu = useCallback(
    (e: ReactMouseEvent, node: FlowNode) => {
      e.preventDefault();
      nodeMenu(node, e.clientX, e.clientY, (e.currentTarget as HTMLElement | null)?.closest<HTMLElement>('.react-flow__node') ?? null);
    },
    [nodeMenu],
  );
  const onEdgeContextMenu = useCallback(
    (e: ReactMouseEvent, edge: FlowEdge) => {
      e.preventDefault();
      edgeMenu(edge.id, e.clientX, e.clientY, (e.target as Element | null)?.closest<SVGElement>('.react-flow__edge') ?? null);
    },
    [edgeMenu],
  );
  // The keyboard on a focused node or edge: Shift+F10 or the context-menu key opens its menu,
  // Enter selects it (as a click does), Delete on an edge deletes that edge (EditBar's key).
  const onKeyDown = useCallback(
    (e: ReactKeyboardEvent) => {
      const item = e.target instanceof Element ? e.target.closest<HTMLElement | SVGElement>('.react-flow__node, .react-flow__edge') : null;
      const id = item?.getAttribute('data-id');
      if (!item || item !== e.target || !id) return;
      const isEdge = item.classList.contains('react-flow__edge');
      if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
        e.preventDefault();
        const box = item.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        if (isEdge) edgeMenu(id, x, y, item);
        else {
          const node = nodes.find((n) => n.id === id);
          if (node) nodeMenu(node, x, y, item);
        }
      } else if (e.key === 'Enter') {
        useApp.setState({ selection: { type: isEdge ? 'edge' : 'node', id } });
      } else if (isEdge && (e.key === 'Delete' || e.key === 'Backspace')) {
        // What Delete removes: this edge, not nodes selected before.
        useEditing.setState({ selected: [] });
        useApp.setState({ selection: { type: 'edge', id } });
      }
    },
    [nodes, nodeMenu, edgeMenu],
  );

  return (
    <ReactFlow<FlowNode, FlowEdge>
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      nodesConnectable={editable}
      onConnectEnd={onConnectEnd}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onSelectionChange={onSelectionChange}
      // Delete and Backspace go through the editor (references, undo), not React Flow's own removal.
      deleteKeyCode={null}
      connectionRadius={40}
      connectOnClick={false}
      nodesDraggable={!embed}
      edgesFocusable
      onNodeClick={onNodeClick}
      onEdgeClick={onEdgeClick}
      onPaneClick={onPaneClick}
      onNodeContextMenu={onNodeContextMenu}
      onNodeDragStop={onNodeDragStop}
      onEdgeContextMenu={onEdgeContextMenu}
      onKeyDown={onKeyDown}
      fitView
      fitViewOptions={{ padding: 0.12, maxZoom: 1.6 }}
      minZoom={0.2}
      maxZoom={3}
      colorMode="system"
      aria-label="Services and the messages between them"
    >
      <Background gap={24} size={1.5} />
      <Controls position="top-left" showInteractive={false} />
    </ReactFlow>
  );
}

/** The nodes as dragged and measured (`moved`), with the data of the document now (`fresh`). */
/**
 * The boxes on screen with those the document has placed somewhere new since `before` (its
 * position in `after` differs) moved there; the others stay where they were dragged.
 */
export function relocated(onScreen: FlowNode[], before: FlowNode[], after: FlowNode[]): FlowNode[] {
  const was = new Map(before.map((n) => [n.id, n.position]));
  const now = new Map(after.map((n) => [n.id, n.position]));
  let changed = false;
  const out = onScreen.map((n) => {
    const a = was.get(n.id);
    const b = now.get(n.id);
    if (a === undefined || b === undefined || (a.x === b.x && a.y === b.y) || (n.position.x === b.x && n.position.y === b.y)) return n;
    changed = true;
    return { ...n, position: b };
  });
  return changed ? out : onScreen;
}

function mergeNodes(moved: FlowNode[], fresh: FlowNode[]): FlowNode[] {
  const byId = new Map(moved.map((n) => [n.id, n]));
  return fresh.map((n) => {
    const m = byId.get(n.id);
    return m ? (m.data === n.data ? m : { ...m, data: n.data }) : n;
  });
}

function flowNodes(topology: Topology, scenario: Scenario, faults: Map<string, string[]>): FlowNode[] {
  const specs = new Map(scenario.nodes.map((n) => [n.id, n]));
  return topology.nodes.map((n) => {
    const spec = specs.get(n.id);
    const data: FlowNodeData = { label: n.label, kind: n.kind, detail: spec ? detailOf(spec) : '', faults: faults.get(n.id) ?? [] };
    return {
      id: n.id,
      type: nodeTypeOf(n.kind),
      position: n.position,
      data,
      // Screen readers get the name; the box itself is not a control.
      ariaLabel: `${n.kind} ${n.label}`,
    };
  });
}

/** What an edge says: the route prefix, routing or binding key, consumers and prefetch. */
function edgeLabel(e: TopologyEdge, scenario: Scenario): string {
  if (e.kind === 'consume') {
    // The consumer entry holding the reference (`nodes[6].consumes[0].queue`).
    const c = getIn(scenario, pathOf(e.path).slice(0, -1)) as { consumers?: number; prefetch?: number } | undefined;
    // Two short lines: consume edges are often short.
    return c?.consumers !== undefined ? `${c.consumers} consumer${c.consumers === 1 ? '' : 's'}\nprefetch ${c.prefetch}` : 'consume';
  }
  if (e.kind === 'publish') return `publish ${e.label || '(no key)'}`;
  return e.label;
}

function flowEdges(topology: Topology, scenario: Scenario, faults: Map<string, string[]>): FlowEdge[] {
  return topology.edges.map((e) => {
    const nth = Number(/#(\d+)$/.exec(e.id)?.[1] ?? 0);
    const link = [...(faults.get(`${e.source}->${e.target}`) ?? []), ...(faults.get(`${e.target}->${e.source}`) ?? [])];
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      type: 'flow' as const,
      className: `edge-${e.kind}`,
      // What a screen reader says when Tab reaches the edge.
      ariaLabel: `${e.kind} ${e.source} → ${e.target}${e.label ? ` (${e.label})` : ''}`,
      data: { kind: e.kind, label: edgeLabel(e, scenario), nth, faults: link },
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
    };
  });
}

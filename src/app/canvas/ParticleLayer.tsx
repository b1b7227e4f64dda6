/**
 * One <canvas> over the flow that draws every moving dot, on requestAnimationFrame, straight
 * from the particle buffer: no React state per dot. Positions follow the flow's viewport
 * (pan/zoom) and the nodes' measured boxes, read from React Flow's store on each frame, so
 * dragging a node or zooming keeps the dots on their edges.
 */
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { Topology } from './layout';
import type { SimulationController } from '../simulation';
import { FATES } from './particles';
import type { HopFate } from '../../run/types';

/** A dot under the pointer: which request (or message) it carries, between which nodes, how it ends. */
export interface PickedDot {
  requestId: number;
  from: string;
  to: string;
  fate: HopFate;
  response: boolean;
}

/** Finds the dot drawn nearest a point (pixels from the layer's top-left), within a few pixels. */
export type DotPicker = (x: number, y: number) => PickedDot | null;

/** Half the distance between the request lane and the response lane of an edge, in flow units. */
const LANE = 5;
const RADIUS = 5;

export function ParticleLayer({ controller, topology, pickRef }: { controller: SimulationController; topology: Topology; pickRef?: RefObject<DotPicker | null> }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const flow = useStoreApi();

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const particles = controller.particles;
    const ids = topology.nodes.map((n) => n.id);
    const n = ids.length;

    // How a hop from node i to node j runs: 1 along an edge i -> j (source handle to target
    // handle), 2 back along an edge j -> i (a response), 0 centre to centre (no edge).
    const orient = new Uint8Array(n * n);
    for (const e of topology.edges) {
      const a = particles.nodeIndex(e.source);
      const b = particles.nodeIndex(e.target);
      if (a < 0 || b < 0) continue;
      orient[a * n + b] = 1;
      if (orient[b * n + a] === 0) orient[b * n + a] = 2;
    }

    // Node anchors in screen pixels, recomputed every frame.
    const leftX = new Float32Array(n);
    const rightX = new Float32Array(n);
    const midY = new Float32Array(n);
    // Dot positions grouped by fate, so each colour is one path and one fill.
    const pts = FATES.map(() => new Float32Array(particles.capacity * 2));
    const counts = new Uint32Array(FATES.length);
    // Where each slot's dot was last drawn (NaN: not drawn), for picking a dot with the pointer.
    const drawnX = new Float32Array(particles.capacity).fill(NaN);
    const drawnY = new Float32Array(particles.capacity).fill(NaN);
    if (pickRef) {
      pickRef.current = (x, y) => {
        let best = -1;
        let bestD = 10 * 10;
        for (let k = 0; k < particles.size; k++) {
          const dx = drawnX[k]! - x;
          const dy = drawnY[k]! - y;
          const d = dx * dx + dy * dy;
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        }
        if (best < 0) return null;
        return {
          requestId: particles.requestId[best]!,
          from: ids[particles.from[best]!] ?? '?',
          to: ids[particles.to[best]!] ?? '?',
          fate: FATES[particles.fate[best]!] ?? 'pending',
          response: particles.response[best] === 1,
        };
      };
    }

    let colours: string[] = [];
    let sprites: HTMLCanvasElement[] = [];
    let spriteRadius = 0;
    let spriteDpr = 0;
    const makeSprites = (r: number) => {
      spriteRadius = r;
      spriteDpr = dpr;
      const px = Math.ceil((r + 1) * 2 * dpr);
      sprites = colours.map((colour) => {
        const sprite = document.createElement('canvas');
        sprite.width = sprite.height = px;
        const g = sprite.getContext('2d');
        if (g) {
          g.fillStyle = colour;
          g.beginPath();
          g.arc(px / 2, px / 2, r * dpr, 0, Math.PI * 2);
          g.fill();
        }
        return sprite;
      });
    };
    const readColours = () => {
      const style = getComputedStyle(canvas);
      colours = FATES.map((f) => style.getPropertyValue(`--fate-${f}`).trim() || '#888');
      spriteRadius = 0; // redraw the sprites in the new colours
    };
    readColours();
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', readColours);

    let width = 0;
    let height = 0;
    let dpr = 1;
    const resize = () => {
      const parent = canvas.parentElement;
      if (!parent) return;
      dpr = window.devicePixelRatio || 1;
      width = parent.clientWidth;
      height = parent.clientHeight;
      canvas.width = Math.max(1, Math.round(width * dpr));
      canvas.height = Math.max(1, Math.round(height * dpr));
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    };
    resize();
    const observer = new ResizeObserver(resize);
    if (canvas.parentElement) observer.observe(canvas.parentElement);

    let raf = 0;
    const draw = () => {
      raf = requestAnimationFrame(draw);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      if (particles.size === 0) return;

      const { transform, nodeLookup } = flow.getState();
      const [tx, ty, zoom] = transform;
      for (let i = 0; i < n; i++) {
        const node = nodeLookup.get(ids[i]!);
        if (!node) {
          leftX[i] = rightX[i] = midY[i] = NaN;
          continue;
        }
        const p = node.internals.positionAbsolute;
        const w = node.measured.width ?? 0;
        const h = node.measured.height ?? 0;
        leftX[i] = p.x * zoom + tx;
        rightX[i] = (p.x + w) * zoom + tx;
        midY[i] = (p.y + h / 2) * zoom + ty;
      }

      counts.fill(0);
      const now = controller.clock.animMs;
      const lane = LANE * zoom;
      for (let k = 0; k < particles.size; k++) {
        drawnX[k] = NaN;
        const t = (now - particles.start[k]!) / particles.duration[k]!;
        if (t < 0 || t > 1) continue;
        const a = particles.from[k]!;
        const b = particles.to[k]!;
        const o = orient[a * n + b];
        let sx: number, ex: number;
        if (o === 1) {
          sx = rightX[a]!;
          ex = leftX[b]!;
        } else if (o === 2) {
          sx = leftX[a]!;
          ex = rightX[b]!;
        } else {
          sx = (leftX[a]! + rightX[a]!) / 2;
          ex = (leftX[b]! + rightX[b]!) / 2;
        }
        const sy = midY[a]!;
        const ey = midY[b]!;
        if (Number.isNaN(sx + ex + sy + ey)) continue;
        // Requests on one side of the edge, responses on the other.
        const dx = ex - sx;
        const dy = ey - sy;
        const len = Math.hypot(dx, dy) || 1;
        const side = (o === 2 ? -1 : 1) * (particles.response[k] ? 1 : -1) * lane;
        const f = particles.fate[k]!;
        const c = counts[f]!;
        const out = pts[f]!;
        const px = sx + dx * t + (-dy / len) * side;
        const py = sy + dy * t + (dx / len) * side;
        out[c * 2] = drawnX[k] = px;
        out[c * 2 + 1] = drawnY[k] = py;
        counts[f] = c + 1;
      }

      // One pre-drawn sprite per colour: blitting is far cheaper than a path per dot.
      const r = Math.round(RADIUS * Math.min(1.6, Math.max(0.7, zoom)) * 2) / 2;
      if (r !== spriteRadius || dpr !== spriteDpr) makeSprites(r);
      const size = (sprites[0]?.width ?? 0) / dpr;
      const half = size / 2;
      for (let f = 0; f < FATES.length; f++) {
        const c = counts[f]!;
        const sprite = sprites[f];
        if (c === 0 || !sprite) continue;
        const out = pts[f]!;
        for (let j = 0; j < c; j++) ctx.drawImage(sprite, out[j * 2]! - half, out[j * 2 + 1]! - half, size, size);
      }
    };
    raf = requestAnimationFrame(draw);

    return () => {
      if (pickRef) pickRef.current = null;
      cancelAnimationFrame(raf);
      observer.disconnect();
      scheme.removeEventListener('change', readColours);
    };
  }, [controller, topology, flow, pickRef]);

  return <canvas ref={canvasRef} className="particle-layer" aria-hidden="true" data-testid="particle-layer" />;
}

/**
 * One <canvas> over the flow that draws every moving dot, on requestAnimationFrame, straight
 * from the particle buffer: no React state per dot. Positions follow the flow's viewport
 * (pan/zoom) and the nodes' measured boxes, read from React Flow's store on each frame, so
 * dragging a node or zooming keeps the dots on their edges.
 *
 * Level of detail (particles.ts): a lane (one edge, one direction) with more dots than fit on it
 * apart draws a sample of them, and under them a band: its width grows with the hops per
 * simulated second (every hop, counted by the worker), its stripes are the mix of fates, and
 * gaps moving along it show the direction. A note on the canvas says the dots are sampled.
 */
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { useStoreApi } from '@xyflow/react';
import type { Topology } from './layout';
import type { SimulationController } from '../simulation';
import { FATES, MAX_STRIDE, bandWidth, inSample, nextStride } from './particles';
import type { Lane } from './particles';
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
/** Dots on a lane are kept about this many radii apart (centre to centre) before it is sampled. */
const SPACING_RADII = 2.5;
/** How far the moving gaps of a band travel per wall second, in pixels. */
const BAND_PX_PER_SEC = 45;
/** How often the sampling note is brought up to date. */
const NOTE_INTERVAL_MS = 250;

/** "1 in 37" → "1 in 40": the note gives the sampling to two significant digits at most. */
function roughly(n: number): string {
  if (n < 10) return String(Math.round(n));
  const p = 10 ** (Math.floor(Math.log10(n)) - 1);
  return (Math.round(n / p) * p).toLocaleString('en-US');
}

/**
 * What the canvas says of its sampling: nothing when no lane is sampled; else how many hops a dot
 * stands for at most — or, past the sparsest stride a lane keeps (at max, hardly a dot is drawn),
 * that busy edges show their flow rather than a ratio no dot stands for.
 */
export function samplingNote(bands: number, sparsest: number): string {
  if (bands <= 0) return '';
  const ratio = sparsest > MAX_STRIDE ? 'busy edges draw few dots or none and show their flow as a band' : `busy edges draw 1 dot in up to ${roughly(sparsest)} over a band of their flow`;
  return `Sampled: ${ratio}. Counts are exact.`;
}

export function ParticleLayer({ controller, topology, pickRef }: { controller: SimulationController; topology: Topology; pickRef?: RefObject<DotPicker | null> }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const noteRef = useRef<HTMLParagraphElement>(null);
  const flow = useStoreApi();

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const note = noteRef.current;
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
    // Each lane's dot path in screen pixels (start, direction, length, which side of the edge),
    // how many dots fit on it, and how many hops are on it now; recomputed every frame.
    let laneSX = new Float32Array(0);
    let laneSY = new Float32Array(0);
    let laneDX = new Float32Array(0);
    let laneDY = new Float32Array(0);
    let laneLen = new Float32Array(0);
    let laneSide = new Float32Array(0);
    let laneInFlight = new Float32Array(0);
    // Dot positions grouped by fate, so each colour is one batch of blits.
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

    let noteText = '';
    let noteAt = -Infinity;
    const setNote = (text: string) => {
      if (!note || text === noteText) return;
      noteText = text;
      note.textContent = text;
      note.hidden = text === '';
    };

    /** One lane's band: fate stripes side by side across its width, then gaps cut moving along it. */
    const drawBand = (l: number, ln: Lane, zoom: number, animMs: number) => {
      const rate = ln.rate;
      const len = laneLen[l]!;
      if (!(len > 1) || rate <= 0) return;
      const w = bandWidth(rate) * Math.min(1.4, Math.max(0.6, zoom));
      const ux = laneDX[l]! / len;
      const uy = laneDY[l]! / len;
      // Outward from the edge, on the lane's side: the unit normal the dots are offset along.
      const side = Math.sign(laneSide[l]!) || 1;
      const nx = -uy * side;
      const ny = ux * side;
      // The lane's dots ride at laneSide from the edge line; the band starts next to the line.
      const baseX = laneSX[l]! - nx * Math.abs(laneSide[l]!);
      const baseY = laneSY[l]! - ny * Math.abs(laneSide[l]!);
      let total = 0;
      for (let f = 0; f < FATES.length; f++) total += Math.max(0, ln.mixOf(f));
      if (total <= 0) return;
      ctx.lineCap = 'butt';
      ctx.setLineDash([]);
      ctx.globalAlpha = 0.7;
      let offset = 1;
      for (let f = 0; f < FATES.length; f++) {
        const share = Math.max(0, ln.mixOf(f)) / total;
        if (share <= 0) continue;
        const sw = share * w;
        const o = offset + sw / 2;
        ctx.strokeStyle = colours[f]!;
        ctx.lineWidth = sw;
        ctx.beginPath();
        ctx.moveTo(baseX + nx * o, baseY + ny * o);
        ctx.lineTo(baseX + nx * o + laneDX[l]!, baseY + ny * o + laneDY[l]!);
        ctx.stroke();
        offset += sw;
      }
      // Gaps moving from the lane's start to its end: the direction of the flow.
      ctx.globalAlpha = 0.55;
      ctx.globalCompositeOperation = 'destination-out';
      ctx.lineWidth = w + 1;
      ctx.setLineDash([3, 9]);
      ctx.lineDashOffset = -((animMs / 1000) * BAND_PX_PER_SEC) % 12;
      const o = 1 + w / 2;
      ctx.beginPath();
      ctx.moveTo(baseX + nx * o, baseY + ny * o);
      ctx.lineTo(baseX + nx * o + laneDX[l]!, baseY + ny * o + laneDY[l]!);
      ctx.stroke();
      ctx.globalCompositeOperation = 'source-over';
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
    };

    let raf = 0;
    const draw = () => {
      raf = requestAnimationFrame(draw);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const lanes = particles.lanes;
      if (particles.size === 0 && lanes.length === 0) {
        setNote('');
        return;
      }

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

      // Each lane's path: requests on one side of the edge, responses on the other.
      if (laneSX.length < lanes.length) {
        const m = Math.max(16, lanes.length * 2);
        laneSX = new Float32Array(m);
        laneSY = new Float32Array(m);
        laneDX = new Float32Array(m);
        laneDY = new Float32Array(m);
        laneLen = new Float32Array(m);
        laneSide = new Float32Array(m);
        laneInFlight = new Float32Array(m);
      }
      const lane = LANE * zoom;
      for (let l = 0; l < lanes.length; l++) {
        const { from: a, to: b, response } = lanes[l]!;
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
        const dx = ex - sx;
        const dy = ey - sy;
        const len = Math.hypot(dx, dy);
        laneInFlight[l] = 0;
        if (Number.isNaN(len)) {
          laneLen[l] = NaN;
          continue;
        }
        const side = (o === 2 ? -1 : 1) * (response ? 1 : -1) * lane;
        const unit = len || 1;
        laneSX[l] = sx + (-dy / unit) * side;
        laneSY[l] = sy + (dx / unit) * side;
        laneDX[l] = dx;
        laneDY[l] = dy;
        laneLen[l] = len;
        laneSide[l] = side;
      }

      counts.fill(0);
      const now = controller.clock.animMs;
      for (let k = 0; k < particles.size; k++) {
        drawnX[k] = NaN;
        const t = (now - particles.start[k]!) / particles.duration[k]!;
        if (!(t >= 0 && t <= 1)) continue;
        const l = particles.lane[k]!;
        const len = laneLen[l]!;
        if (Number.isNaN(len)) continue;
        // Every dot on its way counts for the hops it was sampled from; only the current sample is drawn.
        laneInFlight[l]! += particles.madeAtStride[k]!;
        if (!inSample(particles.hash[k]!, lanes[l]!.stride)) continue;
        const f = particles.fate[k]!;
        const c = counts[f]!;
        const out = pts[f]!;
        const px = laneSX[l]! + laneDX[l]! * t;
        const py = laneSY[l]! + laneDY[l]! * t;
        out[c * 2] = drawnX[k] = px;
        out[c * 2 + 1] = drawnY[k] = py;
        counts[f] = c + 1;
      }

      // One pre-drawn sprite per colour: blitting is far cheaper than a path per dot.
      const r = Math.round(RADIUS * Math.min(1.6, Math.max(0.7, zoom)) * 2) / 2;
      if (r !== spriteRadius || dpr !== spriteDpr) makeSprites(r);

      // Sample the lanes that hold more dots than fit apart; draw the flow of the sampled ones.
      let bands = 0;
      let sparsest = 1;
      for (let l = 0; l < lanes.length; l++) {
        const ln = lanes[l]!;
        const len = laneLen[l]!;
        if (!Number.isNaN(len)) ln.stride = nextStride(ln.stride, laneInFlight[l]!, len / (SPACING_RADII * r));
        if (ln.sampled && ln.rate > 0.01 && !Number.isNaN(len)) {
          drawBand(l, ln, zoom, now);
          bands++;
          sparsest = Math.max(sparsest, ln.sampling);
        }
      }
      particles.bandsDrawn = bands;

      const size = (sprites[0]?.width ?? 0) / dpr;
      const half = size / 2;
      for (let f = 0; f < FATES.length; f++) {
        const c = counts[f]!;
        const sprite = sprites[f];
        if (c === 0 || !sprite) continue;
        const out = pts[f]!;
        for (let j = 0; j < c; j++) ctx.drawImage(sprite, out[j * 2]! - half, out[j * 2 + 1]! - half, size, size);
      }

      const wall = performance.now();
      if (wall - noteAt >= NOTE_INTERVAL_MS) {
        noteAt = wall;
        setNote(samplingNote(bands, sparsest));
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

  return (
    <>
      <canvas ref={canvasRef} className="particle-layer" aria-hidden="true" data-testid="particle-layer" />
      <p ref={noteRef} className="lod-note" role="status" data-testid="lod-note" hidden />
    </>
  );
}

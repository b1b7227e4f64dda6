/**
 * Charts out as files: the chart's SVG with the page's computed colours and fonts written onto
 * each element (so it looks the same outside the page, light or dark as on screen), a title line
 * on top, and a background; PNG is that SVG drawn on a canvas at twice the size.
 */
import { download } from '../panels/download';
import { exportFileName } from '../../run/export';

const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline'] as const;
const TITLE_H = 30;

export interface ChartMeta {
  id: string;
  title: string;
  question: string;
  scenarioName: string;
  seed: string;
  format: 'svg' | 'png';
}

/** A standalone SVG document of the chart, with its title, as text. */
export function chartSvgText(svg: SVGSVGElement, meta: Pick<ChartMeta, 'title' | 'scenarioName' | 'seed'>): string {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const out = dst[i] as SVGElement;
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v && v !== 'normal' && !(p === 'stroke-dasharray' && v === 'none')) out.setAttribute(p, v);
    }
    out.removeAttribute('class');
    out.removeAttribute('style');
  });
  for (const hit of clone.querySelectorAll('[fill="transparent"], rect[fill="rgba(0, 0, 0, 0)"]')) hit.remove();
  const root = getComputedStyle(svg);
  const bg = getComputedStyle(document.body).backgroundColor || '#ffffff';
  const ns = 'http://www.w3.org/2000/svg';
  const doc = document.createElementNS(ns, 'svg');
  doc.setAttribute('xmlns', ns);
  doc.setAttribute('width', String(width));
  doc.setAttribute('height', String(height + TITLE_H));
  doc.setAttribute('viewBox', `0 0 ${width} ${height + TITLE_H}`);
  const rect = document.createElementNS(ns, 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', bg);
  doc.appendChild(rect);
  const title = document.createElementNS(ns, 'text');
  title.setAttribute('x', '12');
  title.setAttribute('y', '21');
  title.setAttribute('font-family', root.fontFamily);
  title.setAttribute('font-size', '16');
  title.setAttribute('font-weight', '700');
  title.setAttribute('fill', root.color);
  title.textContent = `${meta.title} — ${meta.scenarioName} (seed ${meta.seed})`;
  doc.appendChild(title);
  clone.setAttribute('y', String(TITLE_H));
  clone.removeAttribute('role');
  doc.appendChild(clone);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

/** The chart as a PNG blob, drawn at `scale` times its size. */
export async function chartPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.width = width;
    img.height = height;
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadChart(svg: SVGSVGElement, meta: ChartMeta): Promise<void> {
  const text = chartSvgText(svg, meta);
  const name = exportFileName(meta.scenarioName, meta.seed, `chart-${meta.id}`, meta.format);
  if (meta.format === 'svg') {
    download(name, text, 'image/svg+xml');
    return;
  }
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height')) + TITLE_H;
  download(name, await chartPng(text, width, height), 'image/png');
}

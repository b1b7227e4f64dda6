import { describe, expect, it } from 'vitest';
import { ellipsize, LABEL_CHAR_PX, placeFaultLabels } from '../../../src/app/charts/faultLabels';

/** Where each placed label ends (estimated as the chart draws it). */
const spans = (labels: { x: number; text: string }[], width: number, rows = 3) =>
  placeFaultLabels(labels, width, rows).map((p, i) => (p ? { row: p.row, text: p.text, from: labels[i]!.x, to: labels[i]!.x + p.text.length * LABEL_CHAR_PX } : null));

describe('fault band labels on a chart', () => {
  it('keeps labels that do not meet in the first row, whole', () => {
    expect(placeFaultLabels([{ x: 0, text: 'crash db' }, { x: 200, text: 'latency api' }], 400)).toEqual([
      { row: 0, text: 'crash db' },
      { row: 0, text: 'latency api' },
    ]);
  });

  it('stacks labels that would overprint in rows, and no two in a row overlap', () => {
    const labels = [0, 40, 80, 200].map((x, i) => ({ x, text: `crash fulfilment ${i}` }));
    const placed = spans(labels, 600);
    expect(placed.map((p) => p?.row)).toEqual([0, 1, 2, 0]);
    for (const a of placed) for (const b of placed) if (a && b && a !== b && a.row === b.row) expect(a.to <= b.from || b.to <= a.from).toBe(true);
  });

  it('with every row taken, shortens the earliest row-end label with an ellipsis, or leaves it out', () => {
    const labels = [0, 60, 70].map((x) => ({ x, text: 'drop orders-first->events' }));
    const placed = placeFaultLabels(labels, 800, 2);
    expect(placed[0]).toEqual({ row: 0, text: ellipsize('drop orders-first->events', Math.floor((70 - 0 - 8) / LABEL_CHAR_PX)) });
    expect(placed[0]!.text.endsWith('…')).toBe(true);
    expect(placed[2]).toEqual({ row: 0, text: 'drop orders-first->events' });
    // Too little room left: the earlier label goes (the band's hover text still names it).
    const tight = placeFaultLabels([0, 10, 20].map((x) => ({ x, text: 'crash fulfilment' })), 800, 2);
    expect(tight[0]).toBeNull();
    expect(tight.slice(1).map((p) => p?.row)).toEqual([1, 0]);
  });

  it("cuts a label at the chart's right edge", () => {
    const [p] = placeFaultLabels([{ x: 300, text: 'latency recommendations' }], 380);
    expect(p!.text).toBe(ellipsize('latency recommendations', Math.floor(80 / LABEL_CHAR_PX)));
    expect(p!.text.length * LABEL_CHAR_PX).toBeLessThanOrEqual(80);
  });

  it('ellipsizes text to a number of characters', () => {
    expect(ellipsize('orders', 10)).toBe('orders');
    expect(ellipsize('recommendations', 6)).toBe('recom…');
    expect(ellipsize('ab', 1)).toBe('…');
  });
});

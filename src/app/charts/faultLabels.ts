/**
 * Where the fault bands' labels go on a chart: each in the first row (from the top) where it
 * does not run into the label before it, up to `maxRows`; a label that finds no free row takes
 * the row whose last label started earliest, and that label is shortened (ellipsized) to end
 * before it — or left out when too little of it would remain (the band's hover text still names
 * the fault). A label is also cut at the chart's right edge. Widths are estimated from the
 * number of characters (`charPx` for the chart's 12 px bold type), so no two labels overprint.
 */

export interface PlacedLabel {
  /** Row from the top, 0-based. */
  row: number;
  /** The text drawn: the full label, or its start and an ellipsis. */
  text: string;
}

/** About the width of one character of the 12 px bold label type, with room to spare. */
export const LABEL_CHAR_PX = 7.6;
/** Room left between two labels in a row. */
const GAP_PX = 8;
/** Fewer characters than this (with the ellipsis) are not worth drawing. */
const MIN_CHARS = 4;

/** `text` cut to at most `chars` characters, ending with an ellipsis when cut. */
export function ellipsize(text: string, chars: number): string {
  if (text.length <= chars) return text;
  return chars <= 1 ? '…' : `${text.slice(0, chars - 1).trimEnd()}…`;
}

const charsIn = (px: number, charPx: number) => Math.floor(px / charPx);

/** The labels' rows and texts, by the labels' order (null: left out); `x` is where each starts, `width` the chart's. */
export function placeFaultLabels(labels: readonly { x: number; text: string }[], width: number, maxRows = 3, charPx = LABEL_CHAR_PX): (PlacedLabel | null)[] {
  const out: (PlacedLabel | null)[] = labels.map(() => null);
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.x - labels[b]!.x || a - b);
  /** Each row's last label: its index and where it ends. */
  const rows: { last: number; end: number }[] = [];
  for (const i of order) {
    const { x, text } = labels[i]!;
    const fit = ellipsize(text, charsIn(width - x, charPx));
    if (fit.length < Math.min(MIN_CHARS, text.length)) continue;
    const end = x + fit.length * charPx + GAP_PX;
    let row = rows.findIndex((r) => r.end <= x);
    if (row < 0 && rows.length < maxRows) row = rows.length;
    if (row < 0) {
      // No free row: shorten the label that started earliest among the rows' last ones.
      row = 0;
      for (let r = 1; r < rows.length; r++) if (labels[rows[r]!.last]!.x < labels[rows[row]!.last]!.x) row = r;
      const prev = rows[row]!.last;
      const room = charsIn(x - labels[prev]!.x - GAP_PX, charPx);
      out[prev] = room >= MIN_CHARS ? { row, text: ellipsize(out[prev]!.text, room) } : null;
    }
    rows[row] = { last: i, end };
    out[i] = { row, text: fit };
  }
  return out;
}

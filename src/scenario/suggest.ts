/** "Did you mean": the closest known word to a misspelt one, if it is close enough. */

/** Words longer than this get no suggestion (ids and keys are at most 64 characters). */
export const MAX_SUGGEST_LENGTH = 64;
/** Candidates looked at for one suggestion, at most (a document has at most 500 nodes). */
export const MAX_SUGGEST_CANDIDATES = 1000;

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours count 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[rows - 1]![cols - 1]!;
}

/**
 * The candidate closest to `word`, or undefined when none is plausibly meant. Case is ignored;
 * a candidate that starts with the word (`timeout` → `timeoutMs`) counts as close.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  // Ids and keys are short: a long word is not a typo of one, and its edit distance would cost
  // time and memory in proportion to its length.
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  let looked = 0;
  for (const c of candidates) {
    if (c.length > MAX_SUGGEST_LENGTH) continue;
    if (++looked > MAX_SUGGEST_CANDIDATES) break;
    const lc = c.toLowerCase();
    // The edit distance is at least the difference in length: skip what cannot be close.
    if (Math.abs(lc.length - w.length) > 3 && !(w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc)))) continue;
    let score = editDistance(w, lc);
    if (w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc))) score = Math.min(score, 1);
    // Allow about one edit per three letters of the longer word, and never a whole rewrite.
    const limit = Math.max(1, Math.min(3, Math.floor(Math.max(w.length, lc.length) / 3)));
    if (score <= limit && score < w.length && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The little of compare view that the page loads up front: whether a comparison is on (so App
 * mounts the lazy compare chunk), what asked for one (a `&compare=` link, a preset that is a
 * comparison, the "Compare…" button), and run A's node figures for the canvas beside B's.
 * Everything else of compare view is in this folder's lazy chunk.
 */
import { create } from 'zustand';
import type { NodeState } from '../../run/types';

/** What asked for compare view, and which dialog of it is open. */
export type CompareRequest =
  /** Compare the document on screen with one of its variants (a link, a preset). */
  | { type: 'variant'; variant: string; seekMs?: number }
  /** The "Compare…", "What if from here…" or "Sweep…" dialog. */
  | { type: 'dialog'; dialog: 'compare' | 'fork' | 'sweep' };

export interface CompareFlags {
  request: CompareRequest | null;
  /** A comparison is on screen: the canvas runs B, a second worker runs A. */
  active: boolean;
  /** Run A's node states (the canvas shows them beside B's). */
  aNodes: Record<string, NodeState>;
}

export const useCompareFlags = create<CompareFlags>()(() => ({ request: null, active: false, aNodes: {} }));

export function requestCompare(request: CompareRequest): void {
  useCompareFlags.setState({ request });
}

/** The `compare=` parameter of a fragment (`#s=2.…&compare=full%20jitter`): the variant shown as B. */
export function compareParamOf(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of fragment.split('&')) {
    if (!part.startsWith('compare=')) continue;
    try {
      const name = decodeURIComponent(part.slice('compare='.length));
      return name === '' ? null : name;
    } catch {
      return null;
    }
  }
  return null;
}

/** The first variant's name of a document, if it has variants. */
export function firstVariantOf(doc: unknown): string | null {
  const variants = (doc as { variants?: unknown } | null)?.variants;
  if (!Array.isArray(variants)) return null;
  const first = variants[0] as { name?: unknown } | undefined;
  return typeof first?.name === 'string' ? first.name : null;
}

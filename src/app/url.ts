/**
 * The scenario in the URL fragment. Decoding and encoding happen in the worker (the page does
 * not carry the codec): the page only tells an empty fragment from one to open, and builds the
 * link from the `s=2.…` fragment the worker sends back with each loaded document.
 */

/** True when the fragment holds anything at all (a link to open, or something broken). */
export function hasFragment(hash: string): boolean {
  return (hash.startsWith('#') ? hash.slice(1) : hash).trim() !== '';
}

/** The link that reopens a document: this page with the document's fragment. */
export function shareLink(share: string, loc: Pick<Location, 'origin' | 'pathname'> = location): string {
  return `${loc.origin}${loc.pathname}#${share}`;
}

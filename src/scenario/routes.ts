/**
 * How a gateway picks a route for a path (see model/gateway/gateway.ts): on path segments, the
 * longest prefix wins. Free of the model, so the canvas's editor reads it too (a client wired to a
 * gateway requests paths its routes take).
 */

/** The path without its query string or fragment. */
function pathOnly(path: string): string {
  let end = path.length;
  const q = path.indexOf('?');
  if (q >= 0) end = q;
  const h = path.indexOf('#');
  if (h >= 0 && h < end) end = h;
  return end === path.length ? path : path.slice(0, end);
}

/** Whether `prefix` matches `path` on path segments: `/apple` matches `/apple` and `/apple/images`, not `/applesauce`; a prefix ending in `/` matches every path it starts. */
export function prefixMatches(prefix: string, path: string): boolean {
  const p = pathOnly(path);
  if (!p.startsWith(prefix)) return false;
  return p.length === prefix.length || prefix.endsWith('/') || p.charCodeAt(prefix.length) === 47; // '/'
}

/** The index of the route whose prefix is the longest that matches `path` (first listed on ties), or -1. */
export function matchRoute(prefixes: readonly string[], path: string): number {
  let best = -1;
  for (let i = 0; i < prefixes.length; i++) {
    const prefix = prefixes[i]!;
    if ((best < 0 || prefix.length > prefixes[best]!.length) && prefixMatches(prefix, path)) best = i;
  }
  return best;
}

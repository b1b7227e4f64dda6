/**
 * Paths into the document: `nodes[2].calls[0].target` as text (how problems and the canvas
 * graph name a place) and as segments, and reading or replacing the value there. Shared by the
 * canvas (an edge's label reads the element its path names) and the inspector (a form edits one).
 */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `nodes[1].calls[0]` from ['nodes', 1, 'calls', 0], as validate.ts writes paths. */
export function pathString(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/** True when `problemPath` is `base` or inside it. */
export function isUnder(problemPath: string, base: string): boolean {
  return problemPath === base || problemPath.startsWith(`${base}.`) || problemPath.startsWith(`${base}[`);
}

/** A copy of `root` with the value at `path` replaced (undefined removes an object key). */
export function setIn(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    arr[head] = setIn(arr[head], rest, value);
    return arr;
  }
  const obj: Record<string, unknown> = isObj(root) ? { ...root } : {};
  const next = setIn(obj[head!], rest, value);
  if (next === undefined) delete obj[head!];
  else obj[head!] = next;
  return obj;
}

/** The value at `path` (undefined when any step is missing). */
export function getIn(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = isObj(v) ? v[seg] : undefined;
  }
  return v;
}

/** The inverse of pathString: `nodes[2].calls[0].target` → ['nodes', 2, 'calls', 0, 'target']. */
export function pathOf(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
}

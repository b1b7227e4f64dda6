/**
 * Checkpoints: a run's whole state copied as data at a moment, so that a run can be rebuilt there
 * and go on exactly as the original would have (the same events, trace hash, summary and event
 * log). Seeking back then re-runs from the nearest checkpoint instead of from t = 0.
 *
 * How. A run is a pure function of its document, and so is its construction: building the same
 * document twice makes the same objects in the same order, and registers the same handlers (the
 * closures that capture them). Right after a run is built, `numberRun` walks everything reachable
 * from it — objects, arrays, Maps, Sets, functions and their own fields — and gives each an id in
 * walk order: its structure. Everything else is state:
 * - `capture` copies what is reachable from the run now. A structural object is kept as its id
 *   plus a copy of its fields; an object made since (a request, an attempt, a policy frame, a job,
 *   a message) is copied whole, prototype included; typed arrays are copied (sparse when mostly
 *   zeros); frozen objects are immutable and kept as they are. A function made during the run must
 *   say how to make it again (`recipe`: streams and samplers do); any other closure made during the
 *   run — a timer whose payload is a closure — cannot be copied, and `capture` refuses with a
 *   CheckpointError naming where it sits.
 * - `restore` builds the document afresh, numbers it the same way, and writes each structural
 *   object's fields back by id, making fresh copies of everything else. The new run's closures
 *   were registered on its own structural objects, so they see the restored state.
 * The scenario document is shared and never written: it is numbered (so references to it map to
 * the new run's document) but not copied.
 *
 * A checkpoint holds no reference into the run it was taken from, and may be restored any number
 * of times. `Checkpoints` keeps a few of them, thinned out as a run grows (see below).
 */
import { samplerFrom, streamFrom } from '../engine';
import type { SamplerRecipe, StreamState } from '../engine';

/** Why a run's state could not be copied. */
export class CheckpointError extends Error {}

/** A run's structure: its objects by id (a fresh build of the same document numbers the same). */
export interface Structure {
  readonly byId: readonly unknown[];
  readonly ids: ReadonlyMap<unknown, number>;
  /** Ids below this belong to the document: shared, never copied. */
  readonly shared: number;
  /** The chunks the last checkpoint copied each large typed array into: an unchanged chunk is shared by the next. */
  readonly chunks: WeakMap<object, Typed[]>;
}

/** The content kinds of a copy. */
const OBJ = 0;
const ARR = 1;
const MAP = 2;
const SET = 3;
const FN = 4;
const TYPED = 5;
const SPARSE = 6;
const RECIPE = 7;
const REF = 8;
const CHUNKED = 9;

/**
 * A copy of one object (or the fields of a structural one, or a reference to one by id). `data`
 * holds the content: keys and values in turn (objects, Maps, functions), the items (arrays,
 * Sets), the typed array itself, [indexes, values] of a sparse one, or the chunks of a large one.
 */
class Img {
  constructor(
    readonly kind: number,
    readonly proto: object | null,
    public data: unknown,
    /** REF: the id; TYPED/SPARSE/CHUNKED: the length. */
    readonly n: number,
  ) {}
}

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

/** The children of a value, in walk order (the order a fresh build gives too). */
function forEachChild(v: object, f: (child: unknown) => void): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) f(v[i]);
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      f(k);
      f(x);
    }
  } else if (v instanceof Set) {
    for (const x of v) f(x);
  } else {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) f(o[k]);
  }
}

/**
 * Number everything reachable from `root`, the document first (`shared`). Typed arrays and frozen
 * objects are values, not structure.
 */
export function numberRun(root: object, document: object): Structure {
  const ids = new Map<unknown, number>();
  const byId: unknown[] = [];
  const stack: object[] = [];
  const visit = (v: unknown): void => {
    if (!isObject(v) || ids.has(v) || ArrayBuffer.isView(v) || Object.isFrozen(v)) return;
    ids.set(v, byId.length);
    byId.push(v);
    stack.push(v);
  };
  const walk = (start: object): void => {
    visit(start);
    while (stack.length > 0) forEachChild(stack.pop()!, visit);
  };
  walk(document);
  const shared = byId.length;
  walk(root);
  return { byId, ids, shared, chunks: new WeakMap() };
}

/** A run's state at one moment (see the file header). */
export interface CheckpointData {
  /** The structural objects' ids and their fields' copies, in turn. */
  readonly states: unknown[];
  /** What the copy holds besides `chunks`, in bytes as V8 lays it out (roughly). */
  readonly bytes: number;
  /** The chunks of large typed arrays it holds: each never changes, and an unchanged one is shared with the checkpoint before. */
  readonly chunks: readonly Typed[];
}

/** Copy the state of the run `root` numbered as `structure`. */
export function capture(root: object, structure: Structure): CheckpointData {
  const { ids, shared } = structure;
  const memo = new Map<unknown, unknown>();
  const states: unknown[] = [];
  const chunks: Typed[] = [];
  let bytes = 0;
  /** Where the walk is, for a CheckpointError. */
  const path: unknown[] = [];

  const contentOf = (v: object, kind: number): unknown[] => {
    // Arrays of their exact length: a copy keeps no slack.
    let out: unknown[];
    if (kind === ARR) {
      const a = v as unknown[];
      out = new Array<unknown>(a.length);
      for (let i = 0; i < a.length; i++) out[i] = valueOf(a[i], i);
    } else if (kind === MAP) {
      const m = v as Map<unknown, unknown>;
      out = new Array<unknown>(2 * m.size);
      let i = 0;
      for (const [k, x] of m) {
        out[i++] = valueOf(k, 'key');
        out[i++] = valueOf(x, k);
      }
    } else if (kind === SET) {
      const set = v as Set<unknown>;
      out = new Array<unknown>(set.size);
      let i = 0;
      for (const x of set) out[i++] = valueOf(x, 'item');
    } else {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      out = new Array<unknown>(2 * keys.length);
      for (let i = 0; i < keys.length; i++) {
        out[2 * i] = keys[i];
        out[2 * i + 1] = valueOf(o[keys[i]!], keys[i]);
      }
    }
    // As V8 lays it out: the copy (a header and four fields) and its array (a header and a slot per
    // item), and a heap number for each number that is not a small integer.
    let n = 88 + 8 * out.length;
    for (let i = 0; i < out.length; i++) {
      const x = out[i];
      if (typeof x === 'number' && (x | 0) !== x) n += 16;
    }
    bytes += n;
    return out;
  };

  const valueOf = (v: unknown, at: unknown): unknown => {
    if (!isObject(v)) return v;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (ArrayBuffer.isView(v)) {
      const img = copyTyped(v as Typed, structure.chunks);
      if (img.kind === CHUNKED) for (const c of img.data as Typed[]) chunks.push(c);
      else bytes += img.kind === SPARSE ? (img.data as [Int32Array, Typed])[0].byteLength + (img.data as [Int32Array, Typed])[1].byteLength : (img.data as Typed).byteLength;
      memo.set(v, img);
      return img;
    }
    if (Object.isFrozen(v)) return v;
    path.push(at);
    try {
      if (v instanceof WeakMap || v instanceof WeakSet) throw new CheckpointError(`a WeakMap or WeakSet cannot be copied (its entries cannot be listed), at ${path.join('.')}`);
      const id = ids.get(v);
      if (id !== undefined) {
        const ref = new Img(REF, null, null, id);
        memo.set(v, ref);
        if (id >= shared) states.push(id, new Img(kindOf(v), null, contentOf(v, kindOf(v)), 0));
        return ref;
      }
      if (typeof v === 'function') {
        const recipe = (v as { recipe?: unknown }).recipe;
        if (!isObject(recipe)) throw new CheckpointError(`a function made during the run, with no recipe to make it again, at ${path.join('.')}`);
        const img = new Img(RECIPE, null, null, 0);
        memo.set(v, img);
        img.data = valueOf(recipe, 'recipe');
        return img;
      }
      const kind = kindOf(v);
      const img = new Img(kind, kind === OBJ ? Object.getPrototypeOf(v) : null, null, 0);
      memo.set(v, img);
      img.data = contentOf(v, kind);
      return img;
    } finally {
      path.pop();
    }
  };

  valueOf(root, 'run');
  return { states, bytes, chunks };
}

function kindOf(v: object): number {
  if (typeof v === 'function') return FN;
  if (Array.isArray(v)) return ARR;
  if (v instanceof Map) return MAP;
  if (v instanceof Set) return SET;
  return OBJ;
}

/** Bytes per chunk of a large typed array; arrays of four chunks or more are copied by chunks. */
const CHUNK_BYTES = 16_384;

/**
 * A copy of a typed array: only its non-zero entries when those are under a quarter of it; by
 * chunks when it is large, each chunk equal to the one the last copy made (`last`) shared with it
 * (a log that only grows at its end costs a checkpoint its new chunks only).
 */
function copyTyped(a: Typed, last: WeakMap<object, Typed[]>): Img {
  if (a.length >= 256) {
    let nonZero = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) nonZero++;
    if (nonZero * 4 < a.length) {
      const at = new Int32Array(nonZero);
      const values = new (a.constructor as new (n: number) => Typed)(nonZero);
      for (let i = 0, j = 0; i < a.length; i++) {
        if (a[i] !== 0) {
          at[j] = i;
          values[j++] = a[i]!;
        }
      }
      return new Img(SPARSE, a.constructor.prototype as object, [at, values], a.length);
    }
  }
  if (a.byteLength < 4 * CHUNK_BYTES) return new Img(TYPED, null, a.slice(), a.length);
  const per = CHUNK_BYTES / a.BYTES_PER_ELEMENT;
  const before = last.get(a);
  const chunks: Typed[] = [];
  for (let from = 0, k = 0; from < a.length; from += per, k++) {
    const part = a.subarray(from, Math.min(a.length, from + per)) as Typed;
    const old = before?.[k];
    chunks.push(old !== undefined && sameBits(old, part) ? old : (part.slice() as Typed));
  }
  last.set(a, chunks);
  return new Img(CHUNKED, a.constructor.prototype as object, chunks, a.length);
}

/** Whether two typed arrays of one type hold the same bits (so -0 and 0, or two NaNs, are told apart or not as stored). */
function sameBits(x: Typed, y: Typed): boolean {
  if (x.byteLength !== y.byteLength) return false;
  const words = x.byteOffset % 4 === 0 && y.byteOffset % 4 === 0 ? x.byteLength >> 2 : 0;
  const xw = new Int32Array(x.buffer, x.byteOffset, words);
  const yw = new Int32Array(y.buffer, y.byteOffset, words);
  for (let i = 0; i < words; i++) if (xw[i] !== yw[i]) return false;
  const xb = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const yb = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  for (let i = words << 2; i < x.byteLength; i++) if (xb[i] !== yb[i]) return false;
  return true;
}

/** Write a checkpoint into a fresh build of the same document, numbered as `structure`. */
export function restore(data: CheckpointData, structure: Structure): void {
  const { byId } = structure;
  const memo = new Map<Img, unknown>();

  const make = (x: unknown): unknown => {
    if (!(x instanceof Img)) return x;
    if (x.kind === REF) {
      const o = byId[x.n];
      if (o === undefined) throw new CheckpointError(`no object ${x.n} in the fresh build: it is not the same document`);
      return o;
    }
    const known = memo.get(x);
    if (known !== undefined) return known;
    switch (x.kind) {
      case TYPED: {
        const a = (x.data as Typed).slice();
        memo.set(x, a);
        return a;
      }
      case CHUNKED: {
        const a = new ((x.proto as { constructor: new (n: number) => Typed }).constructor)(x.n);
        let from = 0;
        for (const c of x.data as Typed[]) {
          a.set(c as never, from);
          from += c.length;
        }
        memo.set(x, a);
        return a;
      }
      case SPARSE: {
        const [at, values] = x.data as [Int32Array, Typed];
        const a = new ((x.proto as { constructor: new (n: number) => Typed }).constructor)(x.n);
        for (let j = 0; j < at.length; j++) a[at[j]!] = values[j]!;
        memo.set(x, a);
        return a;
      }
      case RECIPE: {
        const recipe = make(x.data) as { kind: string; state?: StreamState };
        const f = recipe.kind === 'stream' ? streamFrom(recipe.state!) : samplerFrom(recipe as SamplerRecipe);
        memo.set(x, f);
        return f;
      }
      default: {
        const o: object = x.kind === ARR ? [] : x.kind === MAP ? new Map() : x.kind === SET ? new Set() : Object.create(x.proto) as object;
        memo.set(x, o);
        fill(o, x.kind, x.data as unknown[]);
        return o;
      }
    }
  };

  const fill = (o: object, kind: number, data: unknown[]): void => {
    switch (kind) {
      case ARR: {
        const a = o as unknown[];
        a.length = data.length;
        for (let i = 0; i < data.length; i++) a[i] = make(data[i]);
        return;
      }
      case MAP: {
        const m = o as Map<unknown, unknown>;
        m.clear();
        for (let i = 0; i < data.length; i += 2) m.set(make(data[i]), make(data[i + 1]));
        return;
      }
      case SET: {
        const s = o as Set<unknown>;
        s.clear();
        for (let i = 0; i < data.length; i++) s.add(make(data[i]));
        return;
      }
      default: {
        const r = o as Record<string, unknown>;
        const keys = Object.keys(r);
        let same = keys.length * 2 === data.length;
        for (let i = 0; same && i < keys.length; i++) same = keys[i] === data[2 * i];
        if (!same) for (const k of keys) delete r[k];
        for (let i = 0; i < data.length; i += 2) r[data[i] as string] = make(data[i + 1]);
      }
    }
  };

  const states = data.states;
  for (let i = 0; i < states.length; i += 2) {
    const target = byId[states[i] as number];
    const img = states[i + 1] as Img;
    if (!isObject(target) || kindOf(target) !== img.kind) throw new CheckpointError(`object ${String(states[i])} differs in the fresh build: it is not the same document`);
    fill(target, img.kind, img.data as unknown[]);
  }
}

/** What the store needs of a checkpoint. */
export interface Timed {
  readonly atMs: number;
  /** Events the run had processed when it was taken: the work a seek from it saves. */
  readonly events: number;
  /** Bytes it holds of its own. */
  readonly bytes: number;
  /** Chunks it may share with others (counted once however many hold them). */
  readonly chunks?: readonly { readonly byteLength: number }[];
}

export interface CheckpointPolicy {
  /** Checkpoints are taken only at whole multiples of this much simulated time. */
  intervalMs: number;
  /** ...and only once the run has processed this many events since the one before (more once the store is full). */
  minEvents: number;
  /** Most checkpoints held. */
  maxCount: number;
  /** Most bytes held (as the checkpoints count them). */
  maxBytes: number;
  /**
   * A big state is copied less often: after a checkpoint of B bytes, the next waits for at least
   * B / bytesPerEvent events (32 when not given), so copying stays a small share of the run even
   * when the state grows with it (a queue nobody consumes). A checkpoint bigger than the whole
   * budget is not kept, and sets that spacing.
   */
  bytesPerEvent?: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { intervalMs: 1_000, minEvents: 40_000, maxCount: 128, maxBytes: 80 * 1024 * 1024 };

/**
 * The checkpoints of one document's run. A checkpoint is due at a whole multiple of the interval
 * once enough events have passed since the one before: spread by work, so a seek re-runs about
 * `minEvents` at most whatever the scenario's pace, and taking them costs a small share of the
 * run. Past the count or the byte budget, the one whose neighbours are closest in events goes
 * (until it fits), and new ones come at the spacing the held ones then have: they stay evenly
 * spread over a run however long it grows, using the whole budget.
 */
export class Checkpoints<C extends Timed> {
  private list: C[] = [];
  private held = 0;
  minEvents: number;

  constructor(private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY) {
    this.minEvents = policy.minEvents;
  }

  get count(): number {
    return this.list.length;
  }

  /** Bytes held by all of them. */
  get bytes(): number {
    return this.held;
  }

  get times(): number[] {
    return this.list.map((c) => c.atMs);
  }

  /** The next moment after `tMs` at which a checkpoint may be taken. */
  nextMoment(tMs: number): number {
    const every = this.policy.intervalMs;
    return (Math.floor(tMs / every) + 1) * every;
  }

  /** Whether a run at `tMs` (one of the moments) having processed `events` events should be checkpointed now. */
  due(tMs: number, events: number): boolean {
    const prev = this.before(tMs);
    if (prev !== null && prev.atMs === tMs) return false;
    const next = this.after(tMs);
    const gap = prev === null ? this.minEvents : Math.max(this.minEvents, prev.bytes / (this.policy.bytesPerEvent ?? 32));
    return events - (prev === null ? 0 : prev.events) >= gap && (next === null || next.events - events >= this.minEvents);
  }

  /** The latest checkpoint at or before `tMs`, or null. */
  before(tMs: number): C | null {
    const i = this.upperBound(tMs);
    return i > 0 ? this.list[i - 1]! : null;
  }

  /** The earliest checkpoint after `tMs`, or null. */
  private after(tMs: number): C | null {
    return this.list[this.upperBound(tMs)] ?? null;
  }

  /** Index of the first checkpoint after `tMs`. */
  private upperBound(tMs: number): number {
    const list = this.list;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.atMs <= tMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(c: C): void {
    if (c.bytes > this.policy.maxBytes) {
      // Too big to keep: the run's state has outgrown the budget; copy it again only after as much work.
      this.minEvents = Math.max(this.minEvents, c.bytes / (this.policy.bytesPerEvent ?? 32));
      return;
    }
    const i = this.upperBound(c.atMs);
    const list = this.list;
    if (i > 0 && list[i - 1]!.atMs === c.atMs) list[i - 1] = c;
    else list.splice(i, 0, c);
    this.recount();
    if (this.list.length <= this.policy.maxCount && this.held <= this.policy.maxBytes) return;
    while (this.list.length > 2 && (this.list.length > this.policy.maxCount || this.held > this.policy.maxBytes)) {
      this.dropOne();
      this.recount();
    }
    // Full: the next ones come at the spacing the held ones now have.
    const first = this.list[0]!;
    const last = this.list[this.list.length - 1]!;
    this.minEvents = Math.max(this.minEvents, (last.events - first.events) / Math.max(1, this.list.length - 1));
  }

  /** Drop the one (never the first or the latest) whose neighbours are closest in events: the gaps stay as even as they can. */
  private dropOne(): void {
    const list = this.list;
    let best = 1;
    for (let i = 2; i < list.length - 1; i++) if (list[i + 1]!.events - list[i - 1]!.events < list[best + 1]!.events - list[best - 1]!.events) best = i;
    list.splice(best, 1);
  }

  /** What they hold: their own bytes, and each chunk once. */
  private recount(): void {
    const seen = new Set<object>();
    let n = 0;
    for (const c of this.list) {
      n += c.bytes;
      for (const chunk of c.chunks ?? []) {
        if (seen.has(chunk)) continue;
        seen.add(chunk);
        n += chunk.byteLength;
      }
    }
    this.held = n;
  }

  clear(): void {
    this.list = [];
    this.held = 0;
    this.minEvents = this.policy.minEvents;
  }
}

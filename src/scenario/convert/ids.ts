/**
 * Node ids for names from elsewhere (RabbitMQ queue and exchange names). Node ids must match
 * `[a-z0-9-]+` and be at most 64 characters; a broker name may be any string up to 255 bytes.
 *
 * The id of a name is its slug (lowercase, every run of other characters one dash) when that
 * slug is free and no other name of the set wants it; a queue named exactly like the slug has
 * first claim, then an exchange named exactly like it. Every other claimant gets the slug cut to
 * 55 characters plus `-` and 8 hex digits of an FNV-1a hash of its kind and name. The result
 * depends only on the set of names (never on their order), and the original name is kept as the
 * node's label, which export uses.
 */

export interface Named {
  kind: string;
  name: string;
  /** A fixed slug instead of the name's (the default exchange has the empty name). */
  slug?: string;
}

const MAX_ID = 64;
const HASHED_PREFIX = 55;

export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** FNV-1a, 32 bits, over UTF-16 code units, as 8 hex digits. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const keyOf = (n: Named): string => `${n.kind}\u0000${n.name}`;

/**
 * Ids for `names` that avoid `taken`. Returns a map from `kind\0name` to id. Throws only if two
 * hashed ids collide, which 32 bits make unlikely enough to be a bug worth hearing of.
 */
export function assignIds(names: readonly Named[], taken: ReadonlySet<string>, kindOrder: readonly string[] = ['queue', 'exchange']): Map<string, string> {
  const bySlug = new Map<string, Named[]>();
  for (const n of names) {
    const slug = n.slug ?? (slugOf(n.name) || n.kind);
    const list = bySlug.get(slug);
    if (list) list.push(n);
    else bySlug.set(slug, [n]);
  }
  const ids = new Map<string, string>();
  const used = new Set<string>(taken);
  const hashed = (slug: string, n: Named): string => {
    const stem = slug.slice(0, HASHED_PREFIX).replace(/-+$/, '');
    return `${stem}-${fnv1a(keyOf(n))}`;
  };
  // Plain slugs first, so a hashed id never takes a plain one's place by accident.
  const later: [string, Named][] = [];
  for (const [slug, claimants] of bySlug) {
    const fits = slug.length <= MAX_ID && !taken.has(slug);
    let winner: Named | undefined;
    if (fits) {
      if (claimants.length === 1) winner = claimants[0];
      else {
        const exact = claimants.filter((c) => c.name === slug || c.slug === slug);
        for (const kind of kindOrder) {
          winner = exact.find((c) => c.kind === kind);
          if (winner) break;
        }
      }
    }
    for (const c of claimants) {
      if (c === winner) {
        ids.set(keyOf(c), slug);
        used.add(slug);
      } else later.push([slug, c]);
    }
  }
  for (const [slug, c] of later) {
    const id = hashed(slug, c);
    if (used.has(id)) throw new Error(`two names map to the node id "${id}"`);
    ids.set(keyOf(c), id);
    used.add(id);
  }
  return ids;
}

export function idKey(kind: string, name: string): string {
  return keyOf({ kind, name });
}

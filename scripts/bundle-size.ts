/**
 * The JavaScript the first view loads, gzipped: the entry chunk, its static imports (followed
 * through the build's manifest, dist/.vite/manifest.json) and the simulation worker's bundle (the
 * worker the entry starts). Chunks fetched later (dynamic imports) do not count.
 *
 *   npm run build && npx tsx scripts/bundle-size.ts             one line per chunk, and the total
 *   npx vite build --sourcemap && npx tsx scripts/bundle-size.ts --packages
 *                                                               also who the bytes are, per package
 *                                                               (node_modules) or src/ folder
 *   ... --max 200                                               exit 1 above 200 KB gzip
 *   ... --dir DIR                                               a build elsewhere (vite build --outDir DIR)
 *
 * KB = 1000 bytes; gzip at zlib's default level, as a server would send it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

const args = process.argv.slice(2);
const dirAt = args.indexOf('--dir');
const dist = dirAt >= 0 ? args[dirAt + 1]! : 'dist';
const byPackage = args.includes('--packages');
const maxAt = args.indexOf('--max');
const max = maxAt >= 0 ? Number(args[maxAt + 1]) : undefined;
if (max !== undefined && !Number.isFinite(max)) throw new Error(`--max wants a number of KB, not "${args[maxAt + 1]}"`);

const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run \`npm run build\` first (vite.config.ts sets build.manifest)`);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;

/** The entry's file and every chunk it imports statically, in load order. */
export function staticClosure(chunks: Record<string, ManifestChunk>): string[] {
  const entry = Object.keys(chunks).find((k) => chunks[k]!.isEntry);
  if (entry === undefined) throw new Error('the manifest names no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of chunks[key]?.imports ?? []) visit(next);
  };
  visit(entry);
  return [...seen].map((k) => chunks[k]!.file);
}

const files = staticClosure(manifest);
// The simulation worker is its own bundle, named in the chunk that starts it.
const workers = new Set<string>();
for (const file of files) {
  for (const [, name] of readFileSync(join(dist, file), 'utf8').matchAll(/\b(worker-[\w-]+\.js)\b/g)) workers.add(`assets/${name}`);
}
if (workers.size === 0) throw new Error('no simulation worker bundle (assets/worker-*.js) is named by the first view');
files.push(...workers);

const kb = (n: number) => (n / 1000).toFixed(1).padStart(6);
let total = 0;
const owners = new Map<string, number>();
for (const file of files) {
  const code = readFileSync(join(dist, file));
  const gz = gzipSync(code).length;
  total += gz;
  console.log(`${kb(gz)} KB gzip  ${kb(code.length)} KB raw  ${file}`);
  if (byPackage) for (const [owner, share] of sharesOf(file, code.toString('utf8'), gz)) owners.set(owner, (owners.get(owner) ?? 0) + share);
}
console.log(`${kb(total)} KB gzip  initial JavaScript (${files.length} files)`);

if (byPackage) {
  console.log('\nper package (each chunk\'s gzip shared out by what its parts gzip to alone):');
  for (const [owner, bytes] of [...owners].sort((a, b) => b[1] - a[1])) console.log(`${kb(bytes)} KB  ${owner}`);
}

if (max !== undefined && total > max * 1000) {
  console.error(`initial JavaScript is ${(total / 1000).toFixed(1)} KB gzip, over the ${max} KB budget`);
  process.exit(1);
}

/** Who wrote a source file: its package under node_modules, else its folder under src/. */
function ownerOf(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = source.indexOf('src/');
  if (src >= 0) {
    const parts = source.slice(src).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : source.slice(src);
  }
  return source;
}

/** A chunk's gzip size shared out among the owners of its code, by its source map. */
function sharesOf(file: string, code: string, gz: number): Map<string, number> {
  const mapPath = join(dist, `${file}.map`);
  if (!existsSync(mapPath)) {
    // The bundler's own runtime has no map; a chunk of the app always has one in a --sourcemap build.
    if (/\/rolldown-runtime-/.test(file)) return new Map([['(bundler)', gz]]);
    throw new Error(`${mapPath} is missing: build with \`npx vite build --sourcemap\` for --packages`);
  }
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(mapPath, 'utf8')) as RawSourceMap);
  const lines = code.split('\n');
  const texts = new Map<string, string[]>();
  let last: { line: number; column: number; owner: string } | undefined;
  const take = (to: { line: number; column: number } | undefined) => {
    if (!last) return;
    let text = '';
    const end = to ?? { line: lines.length, column: Infinity };
    for (let l = last.line; l <= end.line; l++) {
      const row = lines[l - 1] ?? '';
      text += row.slice(l === last.line ? last.column : 0, l === end.line ? end.column : row.length);
    }
    const list = texts.get(last.owner) ?? [];
    list.push(text);
    texts.set(last.owner, list);
  };
  consumer.eachMapping((m) => {
    const at = { line: m.generatedLine, column: m.generatedColumn };
    take(at);
    last = { ...at, owner: m.source ? ownerOf(m.source) : '(bundler)' };
  });
  take(undefined);
  const alone = new Map([...texts].map(([owner, parts]) => [owner, gzipSync(parts.join('')).length]));
  const sum = [...alone.values()].reduce((a, b) => a + b, 0);
  return new Map([...alone].map(([owner, bytes]) => [owner, (gz * bytes) / sum]));
}

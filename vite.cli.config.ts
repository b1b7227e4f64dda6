/**
 * The Node builds, one self-contained ES module each, no tsx at run time (its keepNames makes the
 * model about 1.36x slower, and it adds a second of start-up):
 *   vite build -c vite.cli.config.ts                      -> dist-cli/faultline.mjs   (the package's bin)
 *   vite build -c vite.cli.config.ts --mode sweep-worker  -> dist-cli/sweepWorker.mjs (the bin's sweep
 *                                                            starts it beside itself, one per thread)
 *   vite build -c vite.cli.config.ts --mode bench         -> dist-cli/bench.mjs       (npm run bench)
 * `npm run build:cli` makes the first two. dist-cli/ is build output (gitignored).
 */
import { defineConfig } from 'vite';

const entries = {
  production: { input: 'src/cli/main.ts', file: 'faultline.mjs', banner: '#!/usr/bin/env node' },
  'sweep-worker': { input: 'src/cli/sweepWorker.ts', file: 'sweepWorker.mjs', banner: '' },
  bench: { input: 'bench/run.ts', file: 'bench.mjs', banner: '' },
} as const;

export default defineConfig(({ mode }) => {
  if (!Object.hasOwn(entries, mode)) throw new Error(`vite.cli.config.ts: no build "${mode}" (${Object.keys(entries).join(', ')})`);
  const entry = entries[mode as keyof typeof entries];
  return {
    // Node, not a page: no public/ copied, every dependency bundled in.
    publicDir: false,
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: entry.input,
      outDir: 'dist-cli',
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      rolldownOptions: {
        output: { format: 'es', entryFileNames: entry.file, codeSplitting: false, banner: entry.banner },
      },
    },
  };
});

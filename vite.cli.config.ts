/**
 * The Node builds, one self-contained ES module each, no tsx at run time (its keepNames makes the
 * model about 1.36x slower, and it adds a second of start-up):
 *   vite build -c vite.cli.config.ts               -> dist-cli/faultline.mjs (the package's bin)
 *   vite build -c vite.cli.config.ts --mode bench  -> dist-cli/bench.mjs     (npm run bench)
 * dist-cli/ is build output (gitignored).
 */
import { defineConfig } from 'vite';

const entries = {
  production: { input: 'src/cli/main.ts', file: 'faultline.mjs', banner: '#!/usr/bin/env node' },
  bench: { input: 'bench/run.ts', file: 'bench.mjs', banner: '' },
} as const;

export default defineConfig(({ mode }) => {
  const entry = mode === 'bench' ? entries.bench : entries.production;
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

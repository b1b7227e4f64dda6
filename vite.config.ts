import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { runnerImport } from 'vite';
import type { Plugin } from 'vite';
import type { checkDefault } from './src/app/simulation/checkDefault';

/**
 * index.html carries the page's Content-Security-Policy (scripts and workers from this origin
 * only, no inline script). The dev server needs what the built app does not (React's inline
 * refresh preamble, CSS injected as <style>), so it serves the page without that meta tag; the
 * build and `vite preview` keep it.
 */
const cspOnlyInBuild: Plugin = {
  name: 'faultline-csp-only-in-build',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
};

/**
 * `virtual:faultline/default-scenario`: the built-in first scenario checked here, with the
 * scenario's own validation and codec (its defaults applied, its share fragment), so the page
 * hands it to the worker ready (app/simulation/defaultLoad.ts) and the worker's checker (zod, the
 * schemas, compression) stays out of the first view. The modules are imported with Vite's module
 * runner, and the files they read are watched, so the dev server follows defaultScenario.ts.
 */
const DEFAULT_SCENARIO_ID = 'virtual:faultline/default-scenario';
const CHECKED_DEFAULT_SOURCE = 'src/app/simulation/checkDefault.ts';
const defaultScenarioChecked: Plugin = {
  name: 'faultline-default-scenario-checked',
  resolveId: (id) => (id === DEFAULT_SCENARIO_ID ? `\0${DEFAULT_SCENARIO_ID}` : undefined),
  async load(id) {
    if (id !== `\0${DEFAULT_SCENARIO_ID}`) return undefined;
    const { module, dependencies } = await runnerImport<{ checkDefault: typeof checkDefault }>(`./${CHECKED_DEFAULT_SOURCE}`, {
      configFile: false,
      logLevel: 'warn',
    });
    for (const file of dependencies) this.addWatchFile(file);
    return `export default ${JSON.stringify(module.checkDefault())};\n`;
  },
};

export default defineConfig({
  plugins: [react(), cspOnlyInBuild, defaultScenarioChecked],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 1200, manifest: true },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup/fastCheck.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'threads',
  },
});

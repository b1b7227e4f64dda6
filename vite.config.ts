import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

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

export default defineConfig({
  plugins: [react(), cspOnlyInBuild],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 1200 },
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

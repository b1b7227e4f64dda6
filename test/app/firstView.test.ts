/**
 * What the first view loads, read from the sources: the modules the page's entry (main.tsx) and
 * the simulation worker's entry (run/worker.ts) import statically, through any number of files
 * (dynamic `import()` starts a chunk of its own and is not followed; type-only imports vanish).
 * Pins what was moved out of the first view, so it does not creep back in; scripts/bundle-size.ts
 * measures the bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

/** The files (relative to the project) and packages a module imports statically, transitively. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const rel = relative(root, file);
    if (files.has(rel)) return;
    files.add(rel);
    const text = readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const [, typeOnly, from] of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm)) if (!typeOnly) specifiers.push(from!);
    for (const [, from] of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specifiers.push(from!);
    for (const from of specifiers) {
      if (from.startsWith('.')) {
        const base = resolve(dirname(file), from);
        const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((f) => existsSync(f) && /\.tsx?$/.test(f));
        if (found) visit(found);
        else if (!/\.(css|json)$/.test(from)) throw new Error(`${rel}: cannot find ${from}`);
      } else if (!from.startsWith('virtual:')) {
        packages.add(from.startsWith('@') ? from.split('/').slice(0, 2).join('/') : from.split('/')[0]!);
      }
    }
  };
  visit(join(root, entry));
  return { files, packages };
}

/** Modules that build the scenario's schemas (zod) or check documents and links. */
const CHECKING = ['src/scenario/validate.ts', 'src/scenario/schema.ts', 'src/scenario/parts.ts', 'src/scenario/kinds/index.ts', 'src/scenario/codec.ts', 'src/scenario/variants.ts', 'src/run/checker.ts'];

describe("the first view's modules", () => {
  const page = staticGraph('src/app/main.tsx');
  const worker = staticGraph('src/run/worker.ts');

  it('are found: the walk reaches the canvas, the controller and the run', () => {
    expect(page.files).toContain('src/app/App.tsx');
    expect(page.files).toContain('src/app/simulation/controller.ts');
    expect(page.files).toContain('src/app/simulation/defaultLoad.ts');
    expect(page.packages).toContain('react-dom');
    expect(page.packages).toContain('@xyflow/react');
    expect(worker.files).toContain('src/run/host.ts');
    expect(worker.files).toContain('src/run/run.ts');
    expect(worker.files).toContain('src/model/registry.ts');
  });

  it("of the page import no schema library, no link codec, no preset library, no chart or layout library, and nothing of the simulation's", () => {
    for (const pkg of ['zod', 'fflate', 'd3', 'd3-scale', 'd3-shape', '@dagrejs/dagre', 'yaml', 'jsonc-parser', 'seedrandom']) expect(page.packages, pkg).not.toContain(pkg);
    for (const file of [...CHECKING, 'src/scenario/presets/index.ts', 'src/app/canvas/autoLayout.ts', 'src/app/simulation/checkDefault.ts']) expect(page.files, file).not.toContain(file);
    const simulation = [...page.files].filter((f) => /^src\/(engine|model)\//.test(f) || f === 'src/run/run.ts');
    expect(simulation).toEqual([]);
  });

  it("of the worker import no schema library and no link codec: the checker is a chunk it loads when a command needs it", () => {
    for (const pkg of ['zod', 'fflate', 'yaml', 'jsonc-parser']) expect(worker.packages, pkg).not.toContain(pkg);
    for (const file of CHECKING) expect(worker.files, file).not.toContain(file);
    expect(readFileSync(join(root, 'src/run/worker.ts'), 'utf8')).toContain("import('./checker')");
  });

  it("of the worker leave the bottom panel's queries, exports and live faults to the tools chunk", () => {
    for (const file of ['src/run/tools.ts', 'src/run/waterfall.ts', 'src/run/eventQuery.ts', 'src/run/export.ts', 'src/run/live.ts']) expect(worker.files, file).not.toContain(file);
    expect(readFileSync(join(root, 'src/run/worker.ts'), 'utf8')).toContain("import('./tools')");
  });
});

/** Runs a document to its end, headless (Node, tests): the summary a lesson's checks read. */
import { validateScenario } from '../scenario/validate';
import { createRun } from './run';
import type { RunSummary } from './types';

export function runToEnd(document: unknown): { ok: true; summary: RunSummary } | { ok: false; message: string } {
  const v = validateScenario(document);
  if (!v.ok) return { ok: false, message: v.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
  const run = createRun(v.scenario, {});
  run.advanceTo(v.scenario.durationMs);
  return { ok: true, summary: run.summary() };
}

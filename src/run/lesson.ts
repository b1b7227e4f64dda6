/**
 * Lessons and challenges against the run (scenario/lessons/): the document a step opens, a
 * question's answer read from the run's own numbers, a goal checked as expectations, a
 * challenge's budget and score. Pure (no run is made here: the app reads its worker's run, the
 * tests and the CLI run headless with lessonRun.ts), so the app and the tests check the same way.
 */
import type { Challenge, Goal, Lesson, Question, Step } from '../scenario/lessons/schema';
import { presetBySlug } from '../scenario/presets';
import { applySettings } from '../scenario/variants';
import { getSetting } from '../scenario/paths';
import { validateScenario } from '../scenario/validate';
import type { ScenarioInput } from '../scenario/schema';
import { checkExpectations, metricValue } from './expect';
import type { ExpectationResult } from './expect';
import type { RunSummary } from './types';

export type DocResult = { ok: true; document: unknown } | { ok: false; message: string };

/** A step's action on a document: its preset (or `base`), then its settings, then its faults. */
export function stepDocument(step: Step, base: unknown): DocResult {
  let doc: unknown = base;
  if (step.preset !== undefined) {
    const preset = presetBySlug(step.preset);
    if (!preset) return { ok: false, message: `no preset "${step.preset}"` };
    doc = preset.document;
  }
  if (doc === null || doc === undefined) return { ok: false, message: 'the step opens no document, and none is open' };
  if (step.set) {
    const r = applySettings(doc, step.set);
    if (!r.ok) return { ok: false, message: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
    doc = r.document;
  }
  if (step.faults) {
    const d = doc as ScenarioInput;
    doc = { ...d, faults: [...(d.faults ?? []), ...step.faults] };
  }
  return { ok: true, document: doc };
}

/**
 * The document a lesson's step starts from: the steps up to it applied in order (a step without
 * a preset goes on from the document before it; a goal's solution is not applied).
 */
export function lessonStepDocument(lesson: Lesson, index: number): DocResult {
  let doc: unknown = null;
  for (let i = 0; i <= index && i < lesson.steps.length; i++) {
    const r = stepDocument(lesson.steps[i]!, doc);
    if (!r.ok) return { ok: false, message: `step ${i + 1}: ${r.message}` };
    doc = r.document;
  }
  return { ok: true, document: doc };
}

/**
 * The right choice of a question for a run: the first whose [min, max] holds the metric's value
 * in that run's summary (-1 when none does, or the metric names nothing). Never stored: read
 * from the run each time.
 */
export function answerOf(question: Question, summary: RunSummary): { index: number; value: number | null } {
  const m = metricValue(summary, question.metric);
  if (!m.ok || m.value === null) return { index: -1, value: null };
  const v = m.value;
  const index = question.choices.findIndex((c) => (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max));
  return { index, value: v };
}

/** A goal's expectations checked against a summary. */
export function checkGoal(goal: Goal, summary: RunSummary): ExpectationResult[] {
  return checkExpectations(summary, goal.expect);
}

/** The document of a challenge: its preset with the fixed fault timeline, then the player's settings. */
export function challengeDocument(challenge: Challenge, settings: Record<string, unknown> = {}): DocResult {
  const preset = presetBySlug(challenge.preset);
  if (!preset) return { ok: false, message: `no preset "${challenge.preset}"` };
  const base = { ...preset.document, faults: challenge.faults } as ScenarioInput;
  const r = applySettings(base, settings);
  return r.ok ? { ok: true, document: r.document } : { ok: false, message: r.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
}

/** What each budget line spends in a document (the sum of its paths' numbers, defaults applied). */
export function budgetUse(challenge: Challenge, document: unknown): { text: string; used: number; max: number; ok: boolean }[] {
  const v = validateScenario(document);
  return challenge.budget.map((b) => {
    let used = 0;
    for (const path of b.paths) {
      const g = v.ok ? getSetting(v.scenario, path) : null;
      const value = g?.ok ? g.value : undefined;
      used += typeof value === 'number' ? value : Number.POSITIVE_INFINITY; // unreadable: never within budget
    }
    return { text: b.text, used, max: b.max, ok: used <= b.max };
  });
}

/**
 * A challenge's score: 0 when a goal is missed or the budget overspent; else 100 points for
 * meeting the goal, plus up to 100 for what is left of the budget (spending less scores more).
 */
export function challengeScore(challenge: Challenge, document: unknown, summary: RunSummary): { score: number; goal: ExpectationResult[]; budget: ReturnType<typeof budgetUse> } {
  const goal = checkExpectations(summary, challenge.goal);
  const budget = budgetUse(challenge, document);
  if (!goal.every((g) => g.ok) || !budget.every((b) => b.ok)) return { score: 0, goal, budget };
  const left = budget.length === 0 ? 1 : budget.reduce((s, b) => s + (b.max > 0 ? 1 - b.used / b.max : 0), 0) / budget.length;
  return { score: 100 + Math.round(100 * Math.max(0, left)), goal, budget };
}

/**
 * The lesson format (docs/lessons.md): a lesson is JSON a teacher writes without touching code,
 * validated here with zod. A lesson is ordered steps; each step tells a short story, does an
 * action (open a preset, change settings by setting path, inject a fault), may ask a "predict,
 * then run" question whose answer is read from the run's own numbers, and may set a goal — an
 * expectation (run/expect.ts) the student's setting must reach — with the documented setting
 * that reaches it. Challenges share the format's pieces: a fixed fault timeline, a goal, a budget.
 */
import { z } from 'zod';

const Slug = z.string().regex(/^[a-z0-9-]{1,80}$/, 'a slug: lowercase letters, digits and dashes');

/** One bound on one summary metric (the shape of the document's `expect`). */
export const ExpectationSchema = z
  .object({ metric: z.string().min(1), min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((e) => e.min !== undefined || e.max !== undefined, 'an expectation needs a min or a max');

/** Settings by setting path (SCENARIO.md "Setting paths"): `{ "nodes[api].calls[db].timeoutMs": 1000 }`. */
const Settings = z.record(z.string().min(1), z.unknown());

export const ChoiceSchema = z
  .object({
    text: z.string().min(1),
    /** The choice is right when the run's value of the question's metric is within [min, max]. */
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();

export const QuestionSchema = z
  .object({
    prompt: z.string().min(1),
    /** The summary path the answer is read from, after the step's document runs to its end. */
    metric: z.string().min(1),
    choices: z.array(ChoiceSchema).min(2).max(6),
    /** Said after the answer, whichever it was. */
    explain: z.string().min(1),
  })
  .strict();

export const GoalSchema = z
  .object({
    /** What to reach, in words. */
    text: z.string().min(1),
    /** The settings the student is invited to change (shown as fields in the lesson). */
    settings: z.array(z.string().min(1)).min(1),
    expect: z.array(ExpectationSchema).min(1),
    /** The documented setting that reaches the goal (shown on request; a test runs it). */
    solution: Settings,
  })
  .strict();

export const StepSchema = z
  .object({
    title: z.string().min(1),
    /** A short narrative: a small Markdown subset (paragraphs, "- " lists, **bold**, `code`). */
    text: z.string().min(1),
    /** The action: open a preset, then apply settings, then inject faults (each optional). */
    preset: Slug.optional(),
    set: Settings.optional(),
    faults: z.array(z.record(z.string(), z.unknown())).optional(),
    question: QuestionSchema.optional(),
    goal: GoalSchema.optional(),
  })
  .strict();

export const LessonSchema = z
  .object({
    id: Slug,
    title: z.string().min(1),
    summary: z.string().min(1),
    /** Its place in the course (lessons are listed in this order). */
    order: z.number().int().min(1),
    steps: z.array(StepSchema).min(1).max(20),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    if (lesson.steps[0]?.preset === undefined) ctx.addIssue({ code: 'custom', path: ['steps', 0, 'preset'], message: 'the first step must open a preset' });
  });

export const ChallengeSchema = z
  .object({
    id: Slug,
    title: z.string().min(1),
    text: z.string().min(1),
    preset: Slug,
    /** The fixed fault timeline (replaces the preset's faults). */
    faults: z.array(z.record(z.string(), z.unknown())),
    /** The settings the player may change, and the budget they are held to (instances, workers…). */
    settings: z.array(z.string().min(1)).min(1),
    budget: z.array(z.object({ text: z.string().min(1), paths: z.array(z.string().min(1)).min(1), max: z.number() }).strict()),
    goal: z.array(ExpectationSchema).min(1),
    /** A setting that meets the goal within the budget (a test runs it). */
    solution: Settings,
  })
  .strict();

export type Expectation = z.infer<typeof ExpectationSchema>;
export type Choice = z.infer<typeof ChoiceSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type Goal = z.infer<typeof GoalSchema>;
export type Step = z.infer<typeof StepSchema>;
export type Lesson = z.infer<typeof LessonSchema>;
export type Challenge = z.infer<typeof ChallengeSchema>;

/** A lesson read from JSON, or why not (each problem with its path). */
export function parseLesson(data: unknown): { ok: true; lesson: Lesson } | { ok: false; problems: string[] } {
  const r = LessonSchema.safeParse(data);
  return r.success ? { ok: true, lesson: r.data } : { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || '(lesson)'}: ${i.message}`) };
}

export function parseChallenge(data: unknown): { ok: true; challenge: Challenge } | { ok: false; problems: string[] } {
  const r = ChallengeSchema.safeParse(data);
  return r.success ? { ok: true, challenge: r.data } : { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || '(challenge)'}: ${i.message}`) };
}

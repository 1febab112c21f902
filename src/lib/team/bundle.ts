import { z } from 'zod';
import { DecisionSchema, type Decision } from '../review/decision';
import type { Assignment, TeamSession } from './assignment';
import { readTeamFile, safeName, stringField } from './file-format';

/**
 * A reviewer's work, sent back to the lead as one file: their decisions on the
 * samples of their assignment. Decisions are the review layer's own Decision
 * records, with the lead's dataset id and sample indexes, so the lead can use
 * them unchanged.
 */

export const BUNDLE_FORMAT = 'au-review-bundle';

export const ReviewBundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(1),
  sessionId: z.string().min(1),
  datasetId: z.string().min(1),
  /** For messages only ("bundle.json is from dataset X"). */
  datasetName: z.string().optional(),
  reviewer: z.string().min(1),
  /** Milliseconds since the epoch. */
  startedAt: z.number(),
  finishedAt: z.number(),
  /** Every decision the reviewer made, history included; the latest per sample counts. */
  decisions: z.array(DecisionSchema),
  /** Time spent looking at each sample, when the reviewer's app measured it. */
  durationsMs: z
    .array(z.object({ sample: z.number().int().min(0), ms: z.number().min(0) }))
    .optional(),
});
export type ReviewBundle = z.infer<typeof ReviewBundleSchema>;

export interface BundleExpectation {
  sessionId: string;
  datasetId: string;
  /** Used in messages when given. */
  datasetName?: string;
  /** When given, the reviewer must be in it; decisions on unassigned samples give warnings. */
  session?: Pick<TeamSession, 'reviewers' | 'assignments'>;
}

export type ParsedBundle =
  { ok: true; bundle: ReviewBundle; warnings: string[] } | { ok: false; problems: string[] };

function named(id: string, name: string | undefined): string {
  return name && name !== id ? `"${name}" (${id})` : id;
}

/**
 * Read a bundle file on the lead's side. Never throws: bad input gives problems
 * such as "bundle.json is from dataset X, this session is for Y", "... is not
 * valid JSON at line 3, column 7: ...", "... is an assignment file, not a review
 * bundle", "... is a review bundle version 2; this app reads version 1".
 */
export function parseBundle(
  text: string,
  fileName: string,
  expected: BundleExpectation,
): ParsedBundle {
  const read = readTeamFile(text, fileName, BUNDLE_FORMAT, 1, ReviewBundleSchema, (json) => {
    const problems: string[] = [];
    const datasetId = stringField(json, 'datasetId');
    if (datasetId !== undefined && datasetId !== expected.datasetId) {
      problems.push(
        `${fileName} is from dataset ${named(datasetId, stringField(json, 'datasetName'))}, ` +
          `this session is for ${named(expected.datasetId, expected.datasetName)}`,
      );
    }
    const sessionId = stringField(json, 'sessionId');
    if (sessionId !== undefined && sessionId !== expected.sessionId) {
      problems.push(
        `${fileName} belongs to review session ${sessionId}, this session is ${expected.sessionId}`,
      );
    }
    return problems;
  });
  if (!read.ok) return read;
  const bundle = read.value;
  const problems = bundleProblems(bundle, fileName, expected.session);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, bundle, warnings: bundleWarnings(bundle, fileName, expected.session) };
}

function bundleProblems(
  bundle: ReviewBundle,
  fileName: string,
  session: BundleExpectation['session'],
): string[] {
  const problems: string[] = [];
  if (session && !session.reviewers.includes(bundle.reviewer)) {
    problems.push(
      `${fileName} is from reviewer "${bundle.reviewer}", who is not in this session ` +
        `(${session.reviewers.join(', ')})`,
    );
  }
  bundle.decisions.forEach((d, i) => {
    const which = `decision ${i + 1} (sample ${d.sample}, ${d.sampleName || 'no name'})`;
    if (d.reviewer !== bundle.reviewer) {
      problems.push(
        `${fileName}: ${which} is by "${d.reviewer}", the bundle is from "${bundle.reviewer}"`,
      );
    }
    if (d.datasetId !== bundle.datasetId) {
      problems.push(
        `${fileName}: ${which} is for dataset ${d.datasetId}, the bundle is for ${bundle.datasetId}`,
      );
    }
  });
  return problems;
}

function bundleWarnings(
  bundle: ReviewBundle,
  fileName: string,
  session: BundleExpectation['session'],
): string[] {
  const warnings: string[] = [];
  if (bundle.finishedAt < bundle.startedAt) {
    warnings.push(`${fileName}: finishedAt is before startedAt; its time span is ignored`);
  }
  if (session) {
    const assigned = new Set(
      session.assignments.find((a) => a.reviewer === bundle.reviewer)?.samples ?? [],
    );
    const outside = new Set(bundle.decisions.map((d) => d.sample).filter((s) => !assigned.has(s)));
    if (outside.size > 0) {
      warnings.push(
        `${fileName}: ${outside.size} sample(s) with decisions were not assigned to ` +
          `"${bundle.reviewer}" (e.g. ${[...outside].slice(0, 3).join(', ')}); kept, but left out of the agreement report`,
      );
    }
  }
  if (bundle.decisions.length === 0) warnings.push(`${fileName} holds no decisions yet`);
  return warnings;
}

/**
 * The reviewer's bundle from their assignment and the decisions made in their
 * browser. Keeps only the reviewer's decisions on assigned samples of the lead's
 * dataset (decisions must carry assignment.datasetId and the assignment's sample
 * indexes); history is kept, the latest per sample counts.
 */
export function buildBundle(input: {
  assignment: Pick<Assignment, 'sessionId' | 'datasetId' | 'datasetName' | 'reviewer' | 'samples'>;
  decisions: readonly Decision[];
  startedAt: number;
  finishedAt: number;
  durationsMs?: ReadonlyMap<number, number>;
}): ReviewBundle {
  const { assignment } = input;
  const assigned = new Set(assignment.samples.map((s) => s.index));
  const decisions = input.decisions.filter(
    (d) =>
      d.reviewer === assignment.reviewer &&
      d.datasetId === assignment.datasetId &&
      assigned.has(d.sample),
  );
  const durations = input.durationsMs
    ? [...input.durationsMs]
        .filter(([sample]) => assigned.has(sample))
        .sort((a, b) => a[0] - b[0])
        .map(([sample, ms]) => ({ sample, ms }))
    : undefined;
  return ReviewBundleSchema.parse({
    format: BUNDLE_FORMAT,
    version: 1,
    sessionId: assignment.sessionId,
    datasetId: assignment.datasetId,
    datasetName: assignment.datasetName,
    reviewer: assignment.reviewer,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    decisions,
    ...(durations ? { durationsMs: durations } : {}),
  });
}

/** A file name for a bundle, safe on every file system. */
export function bundleFileName(bundle: Pick<ReviewBundle, 'sessionId' | 'reviewer'>): string {
  return `review-${safeName(bundle.reviewer)}-${safeName(bundle.sessionId)}.json`;
}

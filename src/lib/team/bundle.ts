import { z } from 'zod';
import { DecisionSchema, type Decision } from '../review/decision';
import type { Assignment, TeamSession } from './assignment';
import { reviewerKeyOf } from './assignment';
import { TEAM_LIMITS, clip, decisionProblems, textProblem, type DecisionContext } from './checks';
import { capped, readTeamFile, safeName, stringField } from './file-format';
import { MAC_PATTERN, SIGNATURE_ALGORITHM, signContent, verifyContent } from './signature';

/**
 * A reviewer's work, sent back to the lead as one file: their decisions on the
 * samples of their assignment, signed with the key of their assignment file.
 * Decisions are the review layer's own Decision records, with the lead's dataset
 * id and sample indexes, so the lead can use them unchanged.
 */

export const BUNDLE_FORMAT = 'au-review-bundle';
/** Version 2: signed (HMAC-SHA-256 with the reviewer's key). */
export const BUNDLE_VERSION = 2;

/**
 * The content of a bundle; also the lead's merged record of a reviewer's work
 * (which is not a file and carries no signature; version 1 ones are from older apps).
 */
export const ReviewBundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.union([z.literal(1), z.literal(BUNDLE_VERSION)]),
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

export const BundleSignatureSchema = z.object({
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  /** Base64url MAC of the canonical JSON of every other field. */
  mac: z.string().regex(MAC_PATTERN, 'a signature is 43 base64url characters'),
});

/** A bundle file as the reviewer sends it. */
export const BundleFileSchema = ReviewBundleSchema.extend({
  version: z.literal(BUNDLE_VERSION),
  signature: BundleSignatureSchema,
});
export type BundleFile = z.infer<typeof BundleFileSchema>;

export interface BundleExpectation {
  sessionId: string;
  datasetId: string;
  /** Used in messages when given. */
  datasetName?: string;
  /** Its reviewers, their samples and their keys. */
  session: Pick<TeamSession, 'reviewers' | 'assignments' | 'reviewerKeys'>;
  /** Class ids of the dataset's scheme: a correction must set one of them. */
  classIds: Iterable<number>;
  /** The sample's original labels in the lead's dataset, when known. */
  original?: DecisionContext['original'];
}

export type ParsedBundle =
  { ok: true; bundle: ReviewBundle; warnings: string[] } | { ok: false; problems: string[] };

function named(id: string, name: string | undefined): string {
  return name && name !== id ? `"${name}" (${id})` : id;
}

const UNSIGNED =
  "it is not signed, so it cannot be authenticated as the reviewer's; the reviewer needs an " +
  'assignment file from a new session (version 2) and must export the bundle again';

/**
 * Read and authenticate a bundle file on the lead's side. Never throws (and never
 * rejects): bad input gives problems that start with the file name, such as "is from
 * dataset X, this session is for Y", "is not valid JSON at line 3, column 7: ...",
 * "decision 4 (sample 12, 0013.jpg) sets class id 40000, which is not in the
 * dataset's scheme", "signature does not match reviewer Bo's key: ...".
 */
export async function parseBundle(
  text: string,
  fileName: string,
  expected: BundleExpectation,
): Promise<ParsedBundle> {
  const read = readTeamFile(text, fileName, BUNDLE_FORMAT, BUNDLE_VERSION, BundleFileSchema, {
    olderVersion: UNSIGNED,
    maxChars: TEAM_LIMITS.bundleChars,
    precheck: (json) => {
      const problems: string[] = [];
      const datasetId = stringField(json, 'datasetId');
      if (datasetId !== undefined && datasetId !== expected.datasetId) {
        problems.push(
          `${fileName} is from dataset ${named(clip(datasetId), clip(stringField(json, 'datasetName') ?? ''))}, ` +
            `this session is for ${named(expected.datasetId, expected.datasetName)}`,
        );
      }
      const sessionId = stringField(json, 'sessionId');
      if (sessionId !== undefined && sessionId !== expected.sessionId) {
        problems.push(
          `${fileName} belongs to review session ${clip(sessionId)}, this session is ${expected.sessionId}`,
        );
      }
      return problems;
    },
  });
  if (!read.ok) return read;
  const { signature, ...bundle } = read.value;
  const { session } = expected;
  const who = bundle.reviewer;
  if (!session.reviewers.includes(who)) {
    return {
      ok: false,
      problems: [
        `${fileName} is from reviewer ${JSON.stringify(clip(who))}, who is not in this session ` +
          `(${session.reviewers.join(', ')})`,
      ],
    };
  }
  const problems = contentProblems(bundle, fileName, expected);
  const key = reviewerKeyOf(session, who);
  // A key or MAC the platform will not take is no signature of ours.
  const authentic =
    key !== undefined &&
    (await verifyContent(read.json as Record<string, unknown>, signature.mac, key).catch(
      () => false,
    ));
  if (key === undefined) {
    problems.unshift(
      `${fileName} cannot be authenticated: this session holds no signing key for ${who} ` +
        '(it was created before bundles were signed); create a new session',
    );
  } else if (!authentic) {
    problems.unshift(
      `${fileName}: signature does not match reviewer ${who}'s key: the file was edited or is not theirs`,
    );
  }
  if (problems.length > 0) return { ok: false, problems: capped(problems, fileName) };
  return { ok: true, bundle, warnings: bundleWarnings(bundle, fileName) };
}

/** Every field problem of a bundle's content, each naming the file (and the decision). */
function contentProblems(
  bundle: ReviewBundle,
  fileName: string,
  expected: BundleExpectation,
): string[] {
  const problems: string[] = [];
  const field = (name: string, value: string | undefined, max: number): void => {
    const problem = value === undefined ? null : textProblem(value, max);
    if (problem) problems.push(`${fileName}: ${name} ${problem}`);
  };
  field('reviewer', bundle.reviewer, TEAM_LIMITS.nameChars);
  field('datasetName', bundle.datasetName, TEAM_LIMITS.nameChars);
  const assigned = new Set(
    expected.session.assignments.find((a) => a.reviewer === bundle.reviewer)?.samples ?? [],
  );
  const most = Math.max(1, assigned.size) * TEAM_LIMITS.decisionsPerSample;
  if (bundle.decisions.length > most) {
    problems.push(
      `${fileName} holds ${bundle.decisions.length.toLocaleString('en')} decisions; at most ` +
        `${most.toLocaleString('en')} are allowed for ${assigned.size} assigned samples`,
    );
    return problems;
  }
  const context: DecisionContext = {
    reviewer: bundle.reviewer,
    datasetId: expected.datasetId,
    classIds: new Set(expected.classIds),
    assigned,
    ...(expected.original ? { original: expected.original } : {}),
  };
  bundle.decisions.forEach((d, i) => {
    const which = `decision ${i + 1} (sample ${d.sample}, ${JSON.stringify(clip(d.sampleName))})`;
    for (const problem of decisionProblems(d, context)) {
      problems.push(`${fileName}: ${which} ${problem}`);
    }
  });
  const timed = new Set<number>();
  (bundle.durationsMs ?? []).forEach(({ sample, ms }, i) => {
    const which = `${fileName}: durationsMs[${i}] (sample ${sample})`;
    if (!assigned.has(sample)) problems.push(`${which} is not in ${bundle.reviewer}'s assignment`);
    else if (timed.has(sample)) problems.push(`${which} is listed twice`);
    timed.add(sample);
    if (!Number.isFinite(ms)) problems.push(`${which} has no valid time`);
  });
  return problems;
}

function bundleWarnings(bundle: ReviewBundle, fileName: string): string[] {
  const warnings: string[] = [];
  if (bundle.finishedAt < bundle.startedAt) {
    warnings.push(`${fileName}: finishedAt is before startedAt; its time span is ignored`);
  }
  if (bundle.decisions.length === 0) warnings.push(`${fileName} holds no decisions yet`);
  return warnings;
}

/** What the checks of a decision need, from the reviewer's assignment (reviewer side). */
export function assignmentDecisionContext(
  assignment: Pick<Assignment, 'reviewer' | 'datasetId' | 'classes' | 'samples'>,
): DecisionContext {
  const originals = new Map(
    assignment.samples.map((s) => [s.index, { classId: s.classId, auRaw: s.auRaw }]),
  );
  return {
    reviewer: assignment.reviewer,
    datasetId: assignment.datasetId,
    classIds: new Set(assignment.classes.map((c) => c.id)),
    assigned: new Set(originals.keys()),
    original: (sample) => originals.get(sample),
  };
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
    version: BUNDLE_VERSION,
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

/** The bundle file: the content signed with the reviewer's key. */
export async function signBundle(bundle: ReviewBundle, key: string): Promise<BundleFile> {
  const content = { ...bundle, version: BUNDLE_VERSION };
  const mac = await signContent(content, key);
  return BundleFileSchema.parse({ ...content, signature: { algorithm: SIGNATURE_ALGORITHM, mac } });
}

/** A file name for a bundle, safe on every file system. */
export function bundleFileName(bundle: Pick<ReviewBundle, 'sessionId' | 'reviewer'>): string {
  return `review-${safeName(bundle.reviewer)}-${safeName(bundle.sessionId)}.json`;
}

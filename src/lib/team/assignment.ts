import { z } from 'zod';
import { AuStatus, type LabelScheme, type SampleTable, type SplitNames } from '../labels/types';
import { capped, readTeamFile, safeName, type TeamFileRead } from './file-format';
import { textAt } from '../labels/text-column';
import { MAX_CLASS_ID, TEAM_LIMITS, clip, textProblem } from './checks';
import { KEY_PATTERN } from './signature';
import { hashSeed, seededRandom } from '../random/seeded-random';

/**
 * Splitting a review among reviewers. The lead plans who reviews which sample
 * (each sample goes to `overlap` different reviewers so their agreement can be
 * measured), keeps the plan as the team session, and hands each reviewer an
 * assignment file with just their samples. Reviewers work blind: an assignment
 * names no other reviewer and carries no one else's decisions.
 */

export const SESSION_FORMAT = 'au-review-session';
export const ASSIGNMENT_FORMAT = 'au-review-assignment';
/** Version 2: sessions hold a signing key per reviewer, an assignment file holds its reviewer's. */
export const SESSION_VERSION = 2;
export const ASSIGNMENT_VERSION = 2;

const UNSIGNED =
  'it was written before review bundles were signed, so the bundles it leads to cannot be ' +
  'authenticated; ask the lead for a new assignment file from a new session';

/** A reviewer's signing key: 256 random bits, base64url. */
const ReviewerKeySchema = z.string().regex(KEY_PATTERN, 'a signing key is 43 base64url characters');

const ReviewerNameSchema = z
  .string()
  .min(1)
  .refine((s) => s.trim() === s, 'reviewer names have no leading or trailing spaces');

export const AssignmentPlanSchema = z.object({
  sessionId: z.string().min(1),
  /** What the plan was drawn with: the same seed and inputs give the same plan. */
  seed: z.union([z.number(), z.string()]),
  /** Reviewers per sample. */
  overlap: z.number().int().min(1),
  reviewers: z.array(ReviewerNameSchema).min(1),
  /** One entry per reviewer, in the order of `reviewers`; sample indexes ascending. */
  assignments: z.array(
    z.object({
      reviewer: ReviewerNameSchema,
      samples: z.array(z.number().int().min(0)),
    }),
  ),
});
export type AssignmentPlan = z.infer<typeof AssignmentPlanSchema>;

/** The lead's record of a team review: the plan plus what it is about. */
export const TeamSessionSchema = AssignmentPlanSchema.extend({
  format: z.literal(SESSION_FORMAT),
  /** Version 1 sessions (still in some browsers) have no keys: their bundles cannot be authenticated. */
  version: z.union([z.literal(1), z.literal(SESSION_VERSION)]),
  /** Each reviewer's signing key; only that reviewer's assignment file carries it. */
  reviewerKeys: z.record(z.string(), ReviewerKeySchema).optional(),
  datasetId: z.string().min(1),
  datasetName: z.string(),
  lead: ReviewerNameSchema,
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
});
export type TeamSession = z.infer<typeof TeamSessionSchema>;

export const AssignmentSampleSchema = z.object({
  /** Index of the sample in the lead's table: decisions must carry this index. */
  index: z.number().int().min(0),
  name: z.string(),
  /** Class id as the scheme numbers it; -1 = none. */
  classId: z.number().int(),
  /** The AU text exactly as in the label file ('' when absent, 'null' when not coded). */
  auRaw: z.string(),
  auStatus: z.enum(['absent', 'null', 'coded']),
  /** Split id; -1 = none. */
  split: z.number().int(),
  /** The face image as a data URL, when the lead chose to include images. */
  image: z.string().startsWith('data:').optional(),
});
export type AssignmentSample = z.infer<typeof AssignmentSampleSchema>;

export const AssignmentSchema = z.object({
  format: z.literal(ASSIGNMENT_FORMAT),
  /** Version 1 assignments (opened by an older app) have no key and cannot sign a bundle. */
  version: z.union([z.literal(1), z.literal(ASSIGNMENT_VERSION)]),
  /** The reviewer's signing key: the bundle is signed with it, the lead checks it. */
  key: ReviewerKeySchema.optional(),
  sessionId: z.string().min(1),
  /** The lead's dataset id: every decision of the reviewer carries it. */
  datasetId: z.string().min(1),
  datasetName: z.string(),
  lead: ReviewerNameSchema,
  reviewer: ReviewerNameSchema,
  createdAt: z.number(),
  schemeId: z.string().min(1),
  classes: z.array(z.object({ id: z.number().int(), name: z.string() })),
  splitNames: z.record(z.string(), z.string()).optional(),
  samples: z.array(AssignmentSampleSchema),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/** What an assignment file must be: the current version, with its key. */
const AssignmentFileSchema = AssignmentSchema.extend({
  version: z.literal(ASSIGNMENT_VERSION),
  key: ReviewerKeySchema,
});

const TeamSessionFileSchema = TeamSessionSchema.extend({
  version: z.literal(SESSION_VERSION),
  reviewerKeys: z.record(z.string(), ReviewerKeySchema),
});

export interface PlanInput {
  sessionId: string;
  /** Sample indexes to review (any order; no duplicates). */
  samples: readonly number[];
  reviewers: readonly string[];
  overlap: number;
  seed: number | string;
}

/** Why a plan cannot be drawn, in plain words; empty when it can. */
export function planProblems(input: PlanInput): string[] {
  const problems: string[] = [];
  if (input.sessionId === '') problems.push('the session needs an id');
  if (input.reviewers.length === 0) problems.push('add at least one reviewer');
  const seen = new Set<string>();
  for (const name of input.reviewers) {
    if (name.trim() === '') problems.push('a reviewer name is empty');
    else if (name.trim() !== name) problems.push(`reviewer "${name}" has spaces around the name`);
    if (seen.has(name)) problems.push(`reviewer "${name}" is listed twice`);
    seen.add(name);
  }
  if (!Number.isInteger(input.overlap) || input.overlap < 1) {
    problems.push(`overlap must be a whole number of reviewers per sample, at least 1`);
  } else if (input.overlap > input.reviewers.length) {
    problems.push(
      `overlap ${input.overlap} needs at least ${input.overlap} reviewers, there are ${input.reviewers.length}`,
    );
  }
  const samples = new Set<number>();
  for (const s of input.samples) {
    if (!Number.isInteger(s) || s < 0) problems.push(`sample index ${s} is not a valid index`);
    else if (samples.has(s)) problems.push(`sample ${s} is listed twice`);
    samples.add(s);
  }
  return problems;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

/**
 * A balanced, seeded plan: every sample goes to `overlap` distinct reviewers, and
 * reviewers' loads differ by at most one. Samples are visited in a seeded random
 * order; each seat goes to the least-loaded reviewer not already on the sample,
 * ties broken first by how often the candidate already shares samples with the
 * reviewers chosen so far (so pairs rotate and every pair's agreement can be
 * measured), then at random. Same seed, samples, reviewers and overlap: same plan,
 * whatever order samples and reviewers are listed in (output lists reviewers in
 * the given order, samples ascending).
 *
 * Throws RangeError on invalid input: check planProblems first.
 */
export function planAssignments(input: PlanInput): AssignmentPlan {
  const problems = planProblems(input);
  if (problems.length > 0) throw new RangeError(`cannot plan: ${problems.join('; ')}`);
  const { reviewers, overlap } = input;
  const r = reviewers.length;
  // The seed is hashed as text, so a seed typed as "42" plans as 42 does.
  const random = seededRandom(hashSeed(input.seed));
  const load = new Array<number>(r).fill(0);
  const together = Array.from({ length: r }, () => new Array<number>(r).fill(0));
  const assigned = Array.from({ length: r }, () => [] as number[]);
  // Sorted first, so the plan depends on the sets of samples and reviewers, not their order.
  const order = shuffle(
    [...input.samples].sort((a, b) => a - b),
    random,
  );
  const candidates = reviewers
    .map((_, i) => i)
    .sort((a, b) => ((reviewers[a] ?? '') < (reviewers[b] ?? '') ? -1 : 1));
  for (const sample of order) {
    shuffle(candidates, random); // random tie-break
    const chosen: number[] = [];
    for (let seat = 0; seat < overlap; seat++) {
      let best = -1;
      let bestLoad = Infinity;
      let bestShared = Infinity;
      for (const c of candidates) {
        if (chosen.includes(c)) continue;
        const cLoad = load[c] ?? 0;
        const row = together[c] ?? [];
        const shared = chosen.reduce((sum, o) => sum + (row[o] ?? 0), 0);
        if (cLoad < bestLoad || (cLoad === bestLoad && shared < bestShared)) {
          best = c;
          bestLoad = cLoad;
          bestShared = shared;
        }
      }
      for (const o of chosen) {
        (together[best] as number[])[o] = (together[best]?.[o] ?? 0) + 1;
        (together[o] as number[])[best] = (together[o]?.[best] ?? 0) + 1;
      }
      chosen.push(best);
      load[best] = bestLoad + 1;
      assigned[best]?.push(sample);
    }
  }
  return {
    sessionId: input.sessionId,
    seed: input.seed,
    overlap,
    reviewers: [...reviewers],
    assignments: reviewers.map((reviewer, i) => ({
      reviewer,
      samples: (assigned[i] ?? []).sort((a, b) => a - b),
    })),
  };
}

/** The team session the lead keeps: the plan plus what it is about. */
export function createSession(
  plan: AssignmentPlan,
  meta: {
    datasetId: string;
    datasetName: string;
    lead: string;
    createdAt: number;
    /** One fresh key per reviewer of the plan (see newReviewerKey). */
    reviewerKeys: Readonly<Record<string, string>>;
  },
): TeamSession {
  const missing = plan.reviewers.filter((r) => !Object.hasOwn(meta.reviewerKeys, r));
  if (missing.length > 0) throw new RangeError(`no signing key for ${missing.join(', ')}`);
  return TeamSessionSchema.parse({
    ...plan,
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    ...meta,
    reviewerKeys: { ...meta.reviewerKeys },
  });
}

/** The key a session holds for a reviewer; undefined for a version 1 session or a stranger. */
export function reviewerKeyOf(
  session: Pick<TeamSession, 'reviewerKeys'>,
  reviewer: string,
): string | undefined {
  const keys = session.reviewerKeys;
  return keys && Object.hasOwn(keys, reviewer) ? keys[reviewer] : undefined;
}

/** The samples a reviewer was given (empty for someone not in the plan). */
export function samplesOf(plan: AssignmentPlan, reviewer: string): readonly number[] {
  return plan.assignments.find((a) => a.reviewer === reviewer)?.samples ?? [];
}

export interface AssignmentMeta {
  datasetId: string;
  datasetName: string;
  lead: string;
  createdAt: number;
  scheme: Pick<LabelScheme, 'id' | 'classes'>;
  splitNames?: SplitNames;
  /** The reviewer's signing key (reviewerKeyOf). */
  key: string;
}

const AU_STATUS_NAMES = {
  [AuStatus.absent]: 'absent',
  [AuStatus.null]: 'null',
  [AuStatus.coded]: 'coded',
} as const;

/**
 * One reviewer's assignment file. `images` maps sample index to a data URL; samples
 * without one are sent without an image (the reviewer then needs the images
 * locally). Throws RangeError for a reviewer outside the plan or a sample outside
 * the table (bugs, not bad input).
 */
export function buildAssignmentFile(
  plan: AssignmentPlan,
  reviewer: string,
  table: SampleTable,
  meta: AssignmentMeta,
  images?: ReadonlyMap<number, string>,
): Assignment {
  const entry = plan.assignments.find((a) => a.reviewer === reviewer);
  if (!entry) throw new RangeError(`reviewer "${reviewer}" is not in session ${plan.sessionId}`);
  const samples = entry.samples.map((index): AssignmentSample => {
    if (index >= table.count) {
      throw new RangeError(`sample ${index} is outside the table (${table.count} samples)`);
    }
    const status = (table.auStatus[index] ?? AuStatus.absent) as keyof typeof AU_STATUS_NAMES;
    const image = images?.get(index);
    return {
      index,
      name: textAt(table.names, index),
      classId: table.classIds[index] ?? -1,
      auRaw: table.auRaw[index] ?? '',
      auStatus: AU_STATUS_NAMES[status] ?? 'absent',
      split: table.splits[index] ?? -1,
      ...(image === undefined ? {} : { image }),
    };
  });
  return AssignmentFileSchema.parse({
    format: ASSIGNMENT_FORMAT,
    version: ASSIGNMENT_VERSION,
    key: meta.key,
    sessionId: plan.sessionId,
    datasetId: meta.datasetId,
    datasetName: meta.datasetName,
    lead: meta.lead,
    reviewer,
    createdAt: meta.createdAt,
    schemeId: meta.scheme.id,
    classes: meta.scheme.classes.map((c) => ({ id: c.id, name: c.name })),
    ...(meta.splitNames ? { splitNames: meta.splitNames } : {}),
    samples,
  });
}

/** A file name for an assignment, safe on every file system. */
export function assignmentFileName(assignment: Pick<Assignment, 'sessionId' | 'reviewer'>): string {
  return `assignment-${safeName(assignment.reviewer)}-${safeName(assignment.sessionId)}.json`;
}

/** What the lead's app embeds (an image of unknown type goes as octet-stream); base64 only. */
const IMAGE_DATA_URL =
  /^data:(?:image\/[a-z0-9.+-]{1,40}|application\/octet-stream);base64,[A-Za-z0-9+/]*={0,2}$/;

/**
 * Every problem of an assignment's fields beyond its shape: bounded text without
 * control characters, unique class ids within the Int16 column, unique samples whose
 * class is one of the classes, images that are images. Messages name the file and
 * the sample by its position in the file.
 */
export function assignmentProblems(a: Assignment, fileName: string): string[] {
  const problems: string[] = [];
  const field = (name: string, value: string, max: number): void => {
    const problem = textProblem(value, max);
    if (problem) problems.push(`${fileName}: ${name} ${problem}`);
  };
  field('sessionId', a.sessionId, TEAM_LIMITS.idChars);
  field('datasetId', a.datasetId, TEAM_LIMITS.idChars);
  field('schemeId', a.schemeId, TEAM_LIMITS.idChars);
  field('datasetName', a.datasetName, TEAM_LIMITS.nameChars);
  field('lead', a.lead, TEAM_LIMITS.nameChars);
  field('reviewer', a.reviewer, TEAM_LIMITS.nameChars);
  if (a.classes.length === 0) problems.push(`${fileName}: classes: there are none`);
  if (a.classes.length > TEAM_LIMITS.classes) {
    problems.push(
      `${fileName}: classes: ${a.classes.length} classes; at most ${TEAM_LIMITS.classes} are allowed`,
    );
  }
  const classAt = new Map<number, number>();
  a.classes.forEach((c, i) => {
    const where = `${fileName}: class ${i + 1} (id ${c.id})`;
    if (c.id < 0 || c.id > MAX_CLASS_ID) {
      problems.push(`${where}: a class id is a whole number from 0 to ${MAX_CLASS_ID}`);
    }
    const first = classAt.get(c.id);
    if (first !== undefined) {
      problems.push(
        `${where}: class id ${c.id} is listed twice (classes ${first + 1} and ${i + 1})`,
      );
    } else classAt.set(c.id, i);
    const name = textProblem(c.name, TEAM_LIMITS.nameChars, { nonEmpty: true });
    if (name) problems.push(`${where}: its name ${name}`);
  });
  for (const [key, value] of Object.entries(a.splitNames ?? {})) {
    if (!/^-?\d{1,5}$/.test(key)) {
      problems.push(`${fileName}: splitNames: ${JSON.stringify(clip(key))} is not a split id`);
    }
    const name = textProblem(value, TEAM_LIMITS.nameChars);
    if (name) problems.push(`${fileName}: splitNames ${key} ${name}`);
  }
  if (a.samples.length > TEAM_LIMITS.samples) {
    problems.push(
      `${fileName}: ${a.samples.length.toLocaleString('en')} samples; at most ` +
        `${TEAM_LIMITS.samples.toLocaleString('en')} are allowed in one assignment`,
    );
    return capped(problems, fileName);
  }
  const sampleAt = new Map<number, number>();
  a.samples.forEach((s, i) => {
    const where = `${fileName}: sample ${i + 1} (index ${s.index}, ${JSON.stringify(clip(s.name))})`;
    const first = sampleAt.get(s.index);
    if (first !== undefined) {
      problems.push(
        `${where}: sample index ${s.index} is listed twice (samples ${first + 1} and ${i + 1})`,
      );
    } else sampleAt.set(s.index, i);
    const name = textProblem(s.name, TEAM_LIMITS.sampleNameChars, { nonEmpty: true });
    if (name) problems.push(`${where}: its name ${name}`);
    if (s.classId !== -1 && !classAt.has(s.classId)) {
      problems.push(`${where}: class id ${s.classId} is not one of the file's classes`);
    }
    const au = textProblem(s.auRaw, TEAM_LIMITS.auChars);
    if (au) problems.push(`${where}: its AU text ${au}`);
    if (s.split < -1 || s.split > MAX_CLASS_ID) {
      problems.push(`${where}: split ${s.split} is not a split id`);
    }
    if (s.image !== undefined) {
      if (s.image.length > TEAM_LIMITS.imageChars) {
        problems.push(`${where}: its image is larger than ${TEAM_LIMITS.imageChars / 1e6} MB`);
      } else if (!IMAGE_DATA_URL.test(s.image)) {
        problems.push(`${where}: its image is not an image as a base64 data URL`);
      }
    }
  });
  return capped(problems, fileName);
}

/** Read an assignment file (reviewer side). Never throws. */
export function parseAssignment(
  text: string,
  fileName: string,
): { ok: true; assignment: Assignment } | { ok: false; problems: string[] } {
  const result: TeamFileRead<Assignment> = readTeamFile(
    text,
    fileName,
    ASSIGNMENT_FORMAT,
    ASSIGNMENT_VERSION,
    AssignmentFileSchema,
    { olderVersion: UNSIGNED, maxChars: TEAM_LIMITS.assignmentChars },
  );
  if (!result.ok) return result;
  const problems = assignmentProblems(result.value, fileName);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, assignment: result.value };
}

/** Read a team session file (the lead's own backup). Never throws. */
export function parseSession(
  text: string,
  fileName: string,
): { ok: true; session: TeamSession } | { ok: false; problems: string[] } {
  const result = readTeamFile(
    text,
    fileName,
    SESSION_FORMAT,
    SESSION_VERSION,
    TeamSessionFileSchema,
    { olderVersion: UNSIGNED, maxChars: TEAM_LIMITS.bundleChars },
  );
  return result.ok ? { ok: true, session: result.value } : result;
}

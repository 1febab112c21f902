import { z } from 'zod';
import { namesWanted, type FrameGroups } from '../labels/groups';
import { AuStatus, type SampleTable } from '../labels/types';
import { REASON_KINDS, ReasonBit, VERDICTS, VerdictCode, type CheckColumns } from './check';
import { LIKELY_MISLABELLED_FLAG } from './overview';
import { maskOf } from './mask';
import { RuleAuSchema } from './schema';
import { sortIndicesByKey } from './sort-by-key';

/**
 * Which samples to list, and in what order: the reviewer's saved views ("failing
 * Happily surprised in train", "flagged, lowest posterior first"). Every condition is
 * optional; an empty list means "any".
 */

export const SAMPLE_FILTER_VERSION = 1;

/**
 * 'suspicion': the evidence's worst-first order (most likely mislabelled first);
 * 'posterior-asc' is kept for filters saved before it and means the same order.
 */
export const SampleSortSchema = z.enum([
  'index',
  'suspicion',
  'score-asc',
  'score-desc',
  'posterior-asc',
]);

/**
 * Verdicts of filters saved before the check was split into "breaks FACS" and
 * "atypical": both of the old posed-face verdicts mean "atypical" now.
 */
const LEGACY_VERDICTS: Readonly<Record<string, string>> = {
  fails: 'atypical',
  suspect: 'atypical',
};
const VerdictSchema = z.preprocess(
  (value) => (typeof value === 'string' ? (LEGACY_VERDICTS[value] ?? value) : value),
  z.enum(VERDICTS),
);
export type SampleSort = z.infer<typeof SampleSortSchema>;

export const SampleFilterSchema = z
  .object({
    version: z.literal(SAMPLE_FILTER_VERSION),
    /** Any of these verdicts. */
    verdicts: z
      .array(VerdictSchema)
      .default([])
      .transform((verdicts) => [...new Set(verdicts)]),
    /** At least one of these reason kinds. */
    reasons: z.array(z.enum(REASON_KINDS)).default([]),
    /** Check score within [min, max], inclusive; samples without a score (NaN) never match. */
    score: z
      .object({ min: z.number().min(0).max(1), max: z.number().min(0).max(1) })
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
      .nullable()
      .default(null),
    /** Any of these class ids. */
    classIds: z.array(z.number().int()).default([]),
    /** Any of these split ids. */
    splits: z.array(z.number().int()).default([]),
    /** All of these AUs present (coded samples only). */
    auPresent: z.array(RuleAuSchema).default([]),
    /**
     * None of these AUs present, among CODED samples only: a `null` label does not say an
     * AU is absent (reading it so is the classic loader bug).
     */
    auAbsent: z.array(RuleAuSchema).default([]),
    /** Only samples whose AU label is `null`. */
    nullOnly: z.boolean().default(false),
    /** Only samples with a coded AU label (neither `null` nor absent). */
    notNull: z.boolean().default(false),
    /** Only samples the evidence calls likely mislabelled. */
    flaggedOnly: z.boolean().default(false),
    /**
     * Only samples each of these trained runs gets right (or wrong); a sample a run has no
     * prediction for never matches. "Baseline right, multi-task wrong" is two of them.
     */
    runs: z.array(z.object({ runId: z.string().min(1), correct: z.boolean() })).default([]),
    /**
     * Frame datasets only: any of these videos, any of these subjects (by name, as
     * labels/groups.ts reads them). Filters saved before them read as "any".
     */
    videos: z.array(z.string()).default([]),
    subjects: z.array(z.string()).default([]),
    /** 'score-*': check score, NaN last; 'suspicion' / 'posterior-asc': worst first, unscored last. */
    sort: SampleSortSchema.default('index'),
  })
  .refine((f) => !(f.nullOnly && f.notNull), {
    message: 'nullOnly and notNull exclude each other',
    path: ['notNull'],
  });
export type SampleFilter = z.infer<typeof SampleFilterSchema>;
export type SampleFilterInput = z.input<typeof SampleFilterSchema>;

export const SavedFilterSchema = z.object({
  name: z.string().trim().min(1),
  filter: SampleFilterSchema,
});
export type SavedFilter = z.infer<typeof SavedFilterSchema>;

/** Everything, in dataset order. */
export const ALL_SAMPLES_FILTER: SampleFilter = SampleFilterSchema.parse({ version: 1 });

function bitsOf<T extends string>(names: readonly T[], bit: (name: T) => number): number {
  let bits = 0;
  for (const name of names) bits |= bit(name);
  return bits;
}

/** Per sample, whether a run's likeliest class is the label: RUN_RIGHT, RUN_WRONG or RUN_UNKNOWN. */
export type RunCorrectness = ReadonlyMap<string, Uint8Array>;
export const RUN_WRONG = 0;
export const RUN_RIGHT = 1;
export const RUN_UNKNOWN = 2;
export const EMPTY_RUN_CORRECTNESS: RunCorrectness = new Map();

/** What filtering needs of the label evidence (structural: rules does not import it). */
export interface IssueColumns {
  flagged: Uint8Array;
  /** Worst-first place, 0 = most suspicious; NaN when not scored. */
  rank: Float32Array;
}

/** What filtering needs of a frame dataset's videos and subjects (labels/groups.ts). */
export type GroupColumns = Pick<FrameGroups, 'videos' | 'subjects' | 'videoOf' | 'subjectOf'>;

/**
 * Indices of the matching samples, sorted. One pass over the columns, then the sort: an
 * O(n) radix sort by the Float32 key (NaN last, ties by sample index; see sort-by-key.ts).
 * `issues` may be null (not computed yet): flaggedOnly then matches nothing and
 * 'suspicion' falls back to dataset order.
 */
export function applyFilter(
  table: SampleTable,
  check: CheckColumns,
  issues: IssueColumns | null,
  filter: SampleFilter,
  /** The runs' correctness per sample; a run not in it (removed) matches nothing. */
  runCorrectness: RunCorrectness = EMPTY_RUN_CORRECTNESS,
  /** The videos and subjects of a frame dataset; null for stills, where a video or subject condition matches nothing. */
  groups: GroupColumns | null = null,
): Int32Array {
  const runConditions = filter.runs.map(({ runId, correct }) => ({
    column: runCorrectness.get(runId) ?? null,
    wanted: correct ? RUN_RIGHT : RUN_WRONG,
  }));
  const verdictBits = bitsOf(filter.verdicts, (v) => 1 << VerdictCode[v]);
  const reasonBits = bitsOf(filter.reasons, (r) => ReasonBit[r]);
  const classSet = filter.classIds.length > 0 ? new Set(filter.classIds) : null;
  const splitSet = filter.splits.length > 0 ? new Set(filter.splits) : null;
  const present = maskOf(filter.auPresent);
  const absent = maskOf(filter.auAbsent);
  const needsCoded = filter.notNull || filter.auPresent.length > 0 || filter.auAbsent.length > 0;
  const score = filter.score;
  const videoWanted =
    filter.videos.length > 0 ? namesWanted(groups?.videos ?? [], filter.videos) : null;
  const subjectWanted =
    filter.subjects.length > 0 ? namesWanted(groups?.subjects ?? [], filter.subjects) : null;
  const videoOf = groups?.videoOf ?? null;
  const subjectOf = groups?.subjectOf ?? null;

  const out = new Int32Array(table.count);
  let m = 0;
  for (let i = 0; i < table.count; i++) {
    if (verdictBits !== 0 && ((1 << (check.verdict[i] as number)) & verdictBits) === 0) continue;
    if (reasonBits !== 0 && ((check.reasons[i] as number) & reasonBits) === 0) continue;
    if (score) {
      const s = check.score[i] as number;
      // Float32 storage: compare with a little slack so a bound of 0.7 includes a stored 0.7.
      if (!(s >= score.min - 1e-6 && s <= score.max + 1e-6)) continue;
    }
    if (classSet && !classSet.has(table.classIds[i] as number)) continue;
    if (splitSet && !splitSet.has(table.splits[i] as number)) continue;
    if (videoWanted && (videoOf === null || videoWanted[videoOf[i] as number] !== 1)) continue;
    if (subjectWanted && (subjectOf === null || subjectWanted[subjectOf[i] as number] !== 1))
      continue;
    const status = table.auStatus[i];
    if (filter.nullOnly && status !== AuStatus.null) continue;
    if (needsCoded && status !== AuStatus.coded) continue;
    if (needsCoded) {
      const lo = table.auMask[2 * i] as number;
      const hi = table.auMask[2 * i + 1] as number;
      if ((lo & present.lo) >>> 0 !== present.lo || (hi & present.hi) >>> 0 !== present.hi) {
        continue;
      }
      if ((lo & absent.lo) !== 0 || (hi & absent.hi) !== 0) continue;
    }
    if (filter.flaggedOnly && (!issues || issues.flagged[i] !== LIKELY_MISLABELLED_FLAG)) continue;
    if (runConditions.some(({ column, wanted }) => !column || column[i] !== wanted)) continue;
    out[m++] = i;
  }
  const indices = out.slice(0, m);

  switch (filter.sort) {
    case 'index':
      return indices;
    case 'score-asc':
      return sortIndicesByKey(indices, check.score, 1);
    case 'score-desc':
      return sortIndicesByKey(indices, check.score, -1);
    case 'suspicion':
    case 'posterior-asc':
      return issues ? sortIndicesByKey(indices, issues.rank, 1) : indices;
  }
}

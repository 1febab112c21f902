import { z } from 'zod';
import { auName } from '../labels/au';
import { AuStatus, type LabelScheme, type SampleTable, type SplitNames } from '../labels/types';
import { datasetAuColumns, uncodedAusReader } from './matrix';
import { BETAS, BetaSchema, type Beta } from './policy';
import type { SampleLabels } from '../labels/types';

/**
 * Training statistics of the exported samples: class counts and class weights by
 * the effective number of samples (Cui et al., CVPR 2019), per-AU positive rates
 * and BCE pos_weight. Computed over all exported samples and per split; weights
 * for training should come from the training split's block.
 */

export const ClassStatsSchema = z.object({
  classId: z.number().int(),
  name: z.string(),
  count: z.number().int().min(0),
  /** Weight for the chosen beta; null for a class without samples (its weight would be infinite). */
  weight: z.number().nullable(),
});

export const ClassWeightsSchema = z.object({
  beta: BetaSchema,
  /** Aligned with `classes`; normalised to sum to the number of classes that have samples. */
  weights: z.array(z.number().nullable()),
});

export const AuStatsSchema = z.object({
  au: z.number().int(),
  name: z.string().nullable(),
  /** Coded samples with the AU (1 in its AU matrix column). */
  positives: z.number().int().min(0),
  /**
   * Coded samples without it (0 in its column). A sample whose label names the AU
   * without coding it (an unreadable token such as `L12L`, an action descriptor such
   * as AD19) has -1 there and counts as neither, as the masked AU loss sees it.
   */
  negatives: z.number().int().min(0),
  /** positives / (positives + negatives); null when no sample is coded for the AU. */
  rate: z.number().nullable(),
  /** negatives / positives, for BCEWithLogitsLoss(pos_weight=...); null when positives = 0. */
  posWeight: z.number().nullable(),
});

export const StatsBlockSchema = z.object({
  samples: z.number().int().min(0),
  /** Exported samples without an emotion class (not counted in `classes`). */
  unlabeled: z.number().int().min(0),
  classes: z.array(ClassStatsSchema),
  /** One entry per beta (0.9, 0.99, 0.999, 0.9999), for comparison. */
  classWeights: z.array(ClassWeightsSchema),
  au: z.object({
    /** Samples whose AU label is coded: the only ones AU statistics count. */
    coded: z.number().int().min(0),
    /** Samples left out of the AU statistics: null labels plus samples with no AU value. */
    uncodedExcluded: z.number().int().min(0),
    nullLabels: z.number().int().min(0),
    noValue: z.number().int().min(0),
    aus: z.array(AuStatsSchema),
  }),
});
export type StatsBlock = z.infer<typeof StatsBlockSchema>;

export const TrainingStatsSchema = StatsBlockSchema.extend({
  version: z.literal(1),
  dataset: z.string(),
  /** The beta chosen in the export policy (ClassStats.weight uses it). */
  beta: BetaSchema,
  formula: z.string(),
  splits: z.array(
    StatsBlockSchema.extend({
      split: z.number().int(),
      name: z.string(),
    }),
  ),
});
export type TrainingStats = z.infer<typeof TrainingStatsSchema>;

export const CLASS_WEIGHT_FORMULA =
  'w_c = (1 - beta) / (1 - beta^n_c), normalised so the weights of classes with samples sum to their number (Cui et al., CVPR 2019)';

/**
 * Class weights by effective number of samples: w_c = (1 - beta) / (1 - beta^n_c),
 * normalised to sum to the number of classes. A class with no samples gets null
 * (its weight is infinite) and is left out of the normalisation.
 */
export function effectiveNumberWeights(counts: readonly number[], beta: number): (number | null)[] {
  const logBeta = Math.log(beta);
  // 1 - beta^n computed as -expm1(n ln beta): exact for small n and beta near 1.
  const raw = counts.map((n) => (n > 0 ? (1 - beta) / -Math.expm1(n * logBeta) : null));
  const present = raw.filter((w): w is number => w !== null);
  const sum = present.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w === null ? null : (w * present.length) / sum));
}

export interface TrainingStatsInput {
  dataset: string;
  table: SampleTable;
  labels: SampleLabels;
  kept: Int32Array;
  scheme: LabelScheme;
  splitNames: SplitNames;
  beta: Beta;
  /** AU columns, as the AU matrix's; default every AU coded in the table's and labels' samples (datasetAuColumns). */
  aus?: readonly number[];
}

interface Accumulator {
  samples: number;
  unlabeled: number;
  classCounts: Map<number, number>;
  coded: number;
  nullLabels: number;
  noValue: number;
  /** Positives per AU 1-64 (index au - 1). */
  auPositives: Float64Array;
  /** Coded samples with -1 in the AU's column (index au - 1). */
  auNotCoded: Float64Array;
}

function accumulator(): Accumulator {
  return {
    samples: 0,
    unlabeled: 0,
    classCounts: new Map(),
    coded: 0,
    nullLabels: 0,
    noValue: 0,
    auPositives: new Float64Array(64),
    auNotCoded: new Float64Array(64),
  };
}

/** Adds 1 at index bit (or bit + 32) for each bit set in two mask words. */
function countBits(counts: Float64Array, lo: number, hi: number): void {
  for (let w = lo; w !== 0; w &= w - 1) {
    const bit = 31 - Math.clz32(w & -w);
    counts[bit] = (counts[bit] as number) + 1;
  }
  for (let w = hi; w !== 0; w &= w - 1) {
    const bit = 63 - Math.clz32(w & -w);
    counts[bit] = (counts[bit] as number) + 1;
  }
}

/** uncodedLo/Hi: the AUs the matrix writes -1 for in this coded sample (see writeAuMatrix). */
function addSample(
  acc: Accumulator,
  classId: number,
  status: number,
  lo: number,
  hi: number,
  uncodedLo: number,
  uncodedHi: number,
) {
  acc.samples++;
  if (classId < 0) acc.unlabeled++;
  else acc.classCounts.set(classId, (acc.classCounts.get(classId) ?? 0) + 1);
  if (status === AuStatus.coded) {
    acc.coded++;
    countBits(acc.auPositives, lo, hi);
    if (uncodedLo !== 0 || uncodedHi !== 0) countBits(acc.auNotCoded, uncodedLo, uncodedHi);
  } else if (status === AuStatus.null) {
    acc.nullLabels++;
  } else {
    acc.noValue++;
  }
}

function blockOf(
  acc: Accumulator,
  classes: readonly { classId: number; name: string }[],
  aus: readonly number[],
  beta: Beta,
): StatsBlock {
  const counts = classes.map((c) => acc.classCounts.get(c.classId) ?? 0);
  const classWeights = BETAS.map((b) => ({ beta: b, weights: effectiveNumberWeights(counts, b) }));
  const chosen = classWeights.find((w) => w.beta === beta)?.weights ?? [];
  return {
    samples: acc.samples,
    unlabeled: acc.unlabeled,
    classes: classes.map((c, k) => ({
      ...c,
      count: counts[k] as number,
      weight: chosen[k] ?? null,
    })),
    classWeights,
    au: {
      coded: acc.coded,
      uncodedExcluded: acc.nullLabels + acc.noValue,
      nullLabels: acc.nullLabels,
      noValue: acc.noValue,
      aus: aus.map((au) => {
        const positives = acc.auPositives[au - 1] ?? 0;
        const negatives = acc.coded - positives - (acc.auNotCoded[au - 1] ?? 0);
        return {
          au,
          name: auName(au),
          positives,
          negatives,
          rate: positives + negatives > 0 ? positives / (positives + negatives) : null,
          posWeight: positives > 0 ? negatives / positives : null,
        };
      }),
    },
  };
}

/** One pass over the exported samples; blocks for all of them and for each split. */
export function computeTrainingStats(input: TrainingStatsInput): TrainingStats {
  const { table, labels, kept, scheme } = input;
  const aus = input.aus ?? datasetAuColumns([table, labels]);
  const uncodedOf = uncodedAusReader();
  const all = accumulator();
  const bySplit = new Map<number, Accumulator>();
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const split = table.splits[i] as number;
    let acc = bySplit.get(split);
    if (!acc) bySplit.set(split, (acc = accumulator()));
    const classId = labels.classIds[i] as number;
    const status = labels.auStatus[i] as number;
    const lo = labels.auMask[2 * i] as number;
    const hi = labels.auMask[2 * i + 1] as number;
    let uncodedLo = 0;
    let uncodedHi = 0;
    if (status === AuStatus.coded) {
      const uncoded = uncodedOf(labels.auRaw[i] ?? '');
      uncodedLo = uncoded.lo & ~lo;
      uncodedHi = uncoded.hi & ~hi;
    }
    addSample(all, classId, status, lo, hi, uncodedLo, uncodedHi);
    addSample(acc, classId, status, lo, hi, uncodedLo, uncodedHi);
  }
  // The scheme's classes in its order, then ids the scheme does not know.
  const known = new Set(scheme.classes.map((c) => c.id));
  const extra = [...all.classCounts.keys()].filter((id) => !known.has(id)).sort((a, b) => a - b);
  const classes = [
    ...scheme.classes.map((c) => ({ classId: c.id, name: c.name })),
    ...extra.map((id) => ({ classId: id, name: `class ${id} (not in ${scheme.name})` })),
  ];
  const splits = [...bySplit.entries()]
    .sort(([a], [b]) => a - b)
    .map(([split, acc]) => ({
      split,
      name: split < 0 ? '(no split)' : (input.splitNames[String(split)] ?? `split ${split}`),
      ...blockOf(acc, classes, aus, input.beta),
    }));
  return {
    version: 1,
    dataset: input.dataset,
    beta: input.beta,
    formula: CLASS_WEIGHT_FORMULA,
    ...blockOf(all, classes, aus, input.beta),
    splits,
  };
}

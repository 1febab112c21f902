import type { FaceMeasures } from './geometry';

/**
 * Which face measure speaks for which AU, how the measures become per-face AU scores,
 * and how far those scores agree with a dataset's AU labels. Geometry sees movement of
 * landmarks only: it reads AUs that move the brows, lids, lips and jaw, not those that
 * change the skin (wrinkles, bulges), and one measure can stand for two AUs.
 */

/** The measures that speak for an AU (pose and size do not). */
export type GeometricMeasure = Exclude<keyof FaceMeasures, 'roll' | 'yaw' | 'interocular'>;

export interface GeometricAuCue {
  au: number;
  measure: GeometricMeasure;
  /** 1 when the AU makes the measure larger, -1 when smaller. */
  direction: 1 | -1;
  /** What a high score means, in a reviewer's words. */
  reads: string;
  /** Why the measure cannot tell this AU from the ones sharing it, or null when none do. */
  shared: string | null;
}

export const GEOMETRIC_AU_CUES: readonly GeometricAuCue[] = [
  {
    au: 1,
    measure: 'innerBrowRaise',
    direction: 1,
    reads: 'inner brows raised',
    shared: null,
  },
  {
    au: 2,
    measure: 'outerBrowRaise',
    direction: 1,
    reads: 'outer brows raised',
    shared: null,
  },
  {
    au: 4,
    measure: 'browKnit',
    direction: -1,
    reads: 'brows lowered and drawn together',
    shared: null,
  },
  {
    au: 5,
    measure: 'eyeOpening',
    direction: 1,
    reads: 'eyes wide open',
    shared: 'AU43 and AU45 read the same lid gap the other way (closed eyes)',
  },
  {
    au: 9,
    measure: 'noseToUpperLip',
    direction: -1,
    reads: 'upper lip drawn up towards the nose',
    shared:
      'shared with AU10: both shorten the nose-to-lip distance; the wrinkles that set AU9 apart are skin, not landmarks',
  },
  {
    au: 10,
    measure: 'noseToUpperLip',
    direction: -1,
    reads: 'upper lip raised',
    shared: 'shared with AU9, which drags the upper lip up with the nose wings',
  },
  {
    au: 12,
    measure: 'lipCornerLift',
    direction: 1,
    reads: 'lip corners pulled up',
    shared: 'AU15 reads the same measure the other way (corners down)',
  },
  {
    au: 15,
    measure: 'lipCornerLift',
    direction: -1,
    reads: 'lip corners pulled down',
    shared: 'AU12 reads the same measure the other way (corners up)',
  },
  {
    au: 25,
    measure: 'mouthOpening',
    direction: 1,
    reads: 'lips parted',
    shared: null,
  },
  {
    au: 26,
    measure: 'jawDrop',
    direction: 1,
    reads: 'jaw dropped',
    shared: 'shared with AU27, a stronger opening of the same jaw; only the degree differs',
  },
  {
    au: 27,
    measure: 'jawDrop',
    direction: 1,
    reads: 'mouth stretched wide open',
    shared: 'shared with AU26: the jaw drops for both, further for AU27',
  },
  {
    au: 43,
    measure: 'eyeOpening',
    direction: -1,
    reads: 'eyes closed',
    shared: 'shared with AU45: a still image cannot tell a closed eye from a blink',
  },
  {
    au: 45,
    measure: 'eyeOpening',
    direction: -1,
    reads: 'eyes closed (blink)',
    shared: 'shared with AU43: a blink differs from closed eyes by its duration only',
  },
];

/** How a robust z-score becomes a 0-1 score: a logistic `slope` steep, 0.5 at `centre`. */
export interface ScoreShape {
  centre: number;
  slope: number;
}

/**
 * 0.5 at one robust standard deviation past the dataset's median, so about one face in
 * six of a bell-shaped measure scores above 0.5; slope 2 puts the median face at 0.12
 * and two deviations past it at 0.88. Set per study: an AU worn by most faces of a
 * dataset (lips parted in RAF-CE) is under-read by any dataset-relative cut.
 */
export const DEFAULT_SCORE_SHAPE: ScoreShape = { centre: 1, slope: 2 };

/** A score above this counts as "the face shows the AU". */
export const SHOWS_AU_SCORE = 0.5;

/** MAD times this estimates a normal distribution's standard deviation. */
const MAD_TO_SIGMA = 1.4826;
/** The mean absolute deviation times this estimates it too, where the MAD is 0. */
const MEAN_DEVIATION_TO_SIGMA = 1.2533;

/**
 * Every face's score for every cue, row by row: face i's score for cue j is at
 * i * cues.length + j, 0-1.
 *
 * A score is relative to the faces given, never an absolute threshold: each measure
 * becomes a robust z-score (distance from the median of these faces, in units of their
 * median absolute deviation) and then a logistic (`shape`). So 0.5 and above means "more
 * of this movement than is usual in this dataset". Absolute thresholds do not transfer:
 * how wide a neutral eye or how long a neutral lower face is depends on the crop, the
 * mesh's fit, the person and their ethnicity, and one dataset's cut would mislabel
 * another's. The price: a score says nothing about a dataset where every face shows
 * the AU, and a face scores differently in another dataset. The median and the MAD
 * ignore the few extreme faces that would drag a mean and standard deviation.
 */
export function geometricAuScores(
  measures: readonly FaceMeasures[],
  cues: readonly GeometricAuCue[] = GEOMETRIC_AU_CUES,
  shape: ScoreShape = DEFAULT_SCORE_SHAPE,
): Float32Array {
  const scores = new Float32Array(measures.length * cues.length);
  const spreads = new Map<GeometricMeasure, { median: number; sigma: number }>();
  cues.forEach((cue, j) => {
    const values = Float64Array.from(measures, (face) => face[cue.measure]);
    let spread = spreads.get(cue.measure);
    if (spread === undefined) {
      spread = robustSpread(values);
      spreads.set(cue.measure, spread);
    }
    const { median, sigma } = spread;
    for (let i = 0; i < values.length; i++) {
      // With no spread at all every face is usual: z = 0.
      const z = sigma > 0 ? (cue.direction * (values[i]! - median)) / sigma : 0;
      scores[i * cues.length + j] = 1 / (1 + Math.exp(-shape.slope * (z - shape.centre)));
    }
  });
  return scores;
}

function robustSpread(values: Float64Array): { median: number; sigma: number } {
  if (values.length === 0) return { median: 0, sigma: 0 };
  const median = medianOf(values);
  const deviations = values.map((value) => Math.abs(value - median));
  const mad = medianOf(deviations);
  if (mad > 0) return { median, sigma: MAD_TO_SIGMA * mad };
  // Over half the faces on the median exactly (a mesh in whole pixels on small
  // faces): the mean deviation still sees the rest.
  let sum = 0;
  for (const deviation of deviations) sum += deviation;
  return { median, sigma: (MEAN_DEVIATION_TO_SIGMA * sum) / deviations.length };
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A sample's AU label: `coded` false for a `null` label (not coded), whose `aus` say nothing. */
export interface SampleAuLabel {
  coded: boolean;
  aus: ReadonlySet<number>;
}

export interface GeometryAgreement {
  au: number;
  measure: GeometricMeasure;
  /** Samples with a coded AU label; the rest take no part. */
  samples: number;
  /** Share of the coded samples labelled with the AU (its base rate); null without any. */
  labelRate: number | null;
  /** Share of the coded samples whose face scores above 0.5; null without any. */
  geometryRate: number | null;
  /** Share of the coded samples where label and score (above 0.5 or not) agree; null without any. */
  agreement: number | null;
  /**
   * Chance that a labelled face scores above an unlabelled one (ties count half): 0.5 is
   * no better than chance, whatever the base rate; null when either side is empty.
   */
  auroc: number | null;
}

/**
 * How far the geometry agrees with the AU labels, one row per cue. `scores` come from
 * `geometricAuScores` over the same samples, in the same order, with the same cues.
 * Agreement alone flatters a rare AU (saying "no" to every face agrees with most of
 * them), so each row gives the base rates beside it and the AUROC, which does not
 * depend on the 0.5 cut.
 */
export function labelGeometryAgreement(
  labels: readonly SampleAuLabel[],
  scores: Float32Array,
  cues: readonly GeometricAuCue[] = GEOMETRIC_AU_CUES,
): GeometryAgreement[] {
  if (scores.length !== labels.length * cues.length) {
    throw new RangeError(
      `${scores.length} scores for ${labels.length} samples of ${cues.length} cues`,
    );
  }
  return cues.map((cue, j) => {
    const labelled: number[] = [];
    const unlabelled: number[] = [];
    let agreeing = 0;
    let shown = 0;
    labels.forEach((label, i) => {
      if (!label.coded) return;
      const score = scores[i * cues.length + j]!;
      const hasAu = label.aus.has(cue.au);
      const showsAu = score > SHOWS_AU_SCORE;
      (hasAu ? labelled : unlabelled).push(score);
      if (showsAu) shown++;
      if (hasAu === showsAu) agreeing++;
    });
    const samples = labelled.length + unlabelled.length;
    const shareOf = (count: number): number | null => (samples > 0 ? count / samples : null);
    return {
      au: cue.au,
      measure: cue.measure,
      samples,
      labelRate: shareOf(labelled.length),
      geometryRate: shareOf(shown),
      agreement: shareOf(agreeing),
      auroc: aurocOf(labelled, unlabelled),
    };
  });
}

/** Mann-Whitney AUROC by ranks, ties counted half; null when either side is empty. */
function aurocOf(positives: readonly number[], negatives: readonly number[]): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  const all = [
    ...positives.map((score) => ({ score, positive: true })),
    ...negatives.map((score) => ({ score, positive: false })),
  ].sort((a, b) => a.score - b.score);
  let positiveRankSum = 0;
  for (let start = 0; start < all.length;) {
    let end = start;
    while (end < all.length && all[end]!.score === all[start]!.score) end++;
    // Tied scores share the mean of their ranks (1-based): start + 1 ... end.
    const meanRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (all[k]!.positive) positiveRankSum += meanRank;
    start = end;
  }
  const pairsWon = positiveRankSum - (positives.length * (positives.length + 1)) / 2;
  return pairsWon / (positives.length * negatives.length);
}

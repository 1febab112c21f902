import { AuStatus, type LabelScheme } from '../labels/types';
import type { RuleSet } from '../rules/schema';
import type { AuColumns } from './au-design';
import {
  DEFAULT_AU_MODEL_OPTIONS,
  fitAuModelOutOfFold,
  type AuModelOptions,
  type AuModelResult,
} from './au-model';
import { confidentLearning } from './confident-learning';
import {
  likeliestOfRows,
  type ClassOpinions,
  type SourceKind,
  type SourceQuality,
} from './opinion';
import { meanLogLikelihood, poolAll, type WeightedSource } from './pool';
import { sortIndicesByKey } from '../rules/sort-by-key';
import { seededRandom } from '../random/seeded-random';
import { classColumnLookup } from '../labels/pattern-index';
import { ruleOpinions } from './rules-source';
import { injectSwaps, rankingQuality, type InjectedSwaps } from './swaps';

/**
 * Every source of evidence about the emotion labels, combined, with confident learning
 * over the combination and a "likely mislabelled" set whose cut is calibrated on the
 * dataset itself: known swaps are injected into a copy of the labels, the whole analysis
 * runs on the copy, and the cut is the suspicion that catches `recallTarget` of them
 * (never more than `maxFlaggedShare` of the scored samples).
 *
 * Suspicion is 1 - p(given class) under the pooled evidence (confident learning's
 * self-confidence). When labels are swapped at random it is the Bayes-optimal ranking
 * for a given model: the chance that a label was swapped falls as p(given) rises.
 */

export const LabelFlag = {
  none: 0,
  'likely-mislabelled': 1,
  'insufficient-data': 2,
  'not-scored': 3,
} as const;
export type LabelFlagName = keyof typeof LabelFlag;

export interface EvidenceOptions {
  auModel: AuModelOptions;
  /** Classes with fewer scored samples than this get 'insufficient-data', not flags. */
  minClassSamples: number;
  calibration: {
    /** Share of the scored labels swapped in the calibration copy. */
    injectedShare: number;
    seed: number;
    /** The cut catches this share of the injected swaps. */
    recallTarget: number;
    /** The likely-mislabelled set never holds more than this share of the scored samples. */
    maxFlaggedShare: number;
    /**
     * Nor more than this share of one class: when the evidence doubts most of a class (a
     * class too small for the AU model to learn, or a wrong class-name map), that is a
     * finding about the class, not a list of wrong samples; its worst stay flagged.
     */
    maxClassShare: number;
    /**
     * The copy holds at most this many samples (a seeded draw): the AU model never trains
     * on more than auModel.maxTrainSamples a fold, so a bigger copy would estimate the
     * same cut in more time.
     */
    maxSamples: number;
  };
  /** Weights tried for the literature and the crowd; the data's own likelihood picks one. */
  weightGrid: number[];
  /** The likelihood that picks the weights is measured on at most this many samples (a seeded draw). */
  weightSamples: number;
}

export const DEFAULT_EVIDENCE_OPTIONS: EvidenceOptions = {
  auModel: DEFAULT_AU_MODEL_OPTIONS,
  minClassSamples: 10,
  calibration: {
    injectedShare: 0.05,
    seed: 20231,
    recallTarget: 0.85,
    maxFlaggedShare: 0.15,
    maxClassShare: 2 / 3,
    maxSamples: 200_000,
  },
  weightGrid: [0, 0.25, 0.5, 1, 2, 4],
  weightSamples: 50_000,
};

export interface EvidenceInput {
  columns: AuColumns;
  scheme: LabelScheme;
  ruleSet: RuleSet;
  /** Per-sample opinions that come with the dataset (crowd votes, a trained model's predictions ...). */
  extraSources?: ClassOpinions[];
}

export interface SourceSummary {
  kind: SourceKind;
  name: string;
  quality: SourceQuality;
  /** Its weight in the pooled evidence. */
  weight: number;
  /** Samples it has an opinion on. */
  covers: number;
  /** Its per-sample opinions (dictionary-encoded), for the sample view. */
  opinions: ClassOpinions;
}

export interface ClassEvidence {
  classId: number;
  /** Scored samples labelled with the class. */
  scored: number;
  /** Confident learning's threshold t_j. */
  threshold: number;
  insufficient: boolean;
  /** Samples of the class in the likely-mislabelled set. */
  flagged: number;
  /** The evidence doubted more of the class than maxClassShare: only its worst are flagged. */
  doubtedWhole: boolean;
  /** Samples of the class above the cut before that cap. */
  aboveCut: number;
  /** Confident learning's estimate of the class's wrong labels (calibrated joint, off-diagonal row sum). */
  estimatedIssues: number;
  /** Share of the class's AU-coded samples the AU model puts in the class (out of fold). */
  auRecall: number;
  auCoded: number;
}

export interface CalibrationReport {
  injectedShare: number;
  seed: number;
  injected: number;
  /** Labelled samples in the copy: all of them, or a seeded draw of maxSamples when there are more. */
  copySamples: number;
  /** The copy is a draw, not the whole dataset. */
  drawn: boolean;
  recallTarget: number;
  /** The suspicion cut applied to the real labels. */
  cut: number;
  /** On the copy: the share of injected swaps at or above the cut, and of samples flagged. */
  recallOnCopy: number;
  flaggedShareOnCopy: number;
  /** On the copy: injected swaps among the flagged (a lower bound: real errors count as misses). */
  precisionOnCopy: number;
  aurocOnCopy: number;
  top20PrecisionOnCopy: number;
  /** The cut was raised to keep the set within maxFlaggedShare. */
  capped: boolean;
}

export interface LabelEvidence {
  classIds: number[];
  sources: SourceSummary[];
  /** Per sample: the pooled probability of the given class; NaN when not scored. */
  posterior: Float32Array;
  /** Per sample: the likeliest class id under the pool; -1 when not scored. */
  likeliest: Int16Array;
  likeliestPosterior: Float32Array;
  /** Per sample: the likeliest class other than the given one, when the sample is flagged; -1 otherwise. */
  suggested: Int16Array;
  /** Per sample: 1 - posterior (higher = more suspicious); NaN when not scored. */
  suspicion: Float32Array;
  /** Per sample: its place in the worst-first order (0 = most suspicious); NaN when not scored. */
  rank: Float32Array;
  /** LabelFlag codes. */
  flagged: Uint8Array;
  /** Per sample: 1 when confident learning prunes it (its raw estimate; see cl.estimatedIssues). */
  confidentIssue: Uint8Array;
  classes: ClassEvidence[];
  cl: {
    thresholds: number[];
    confidentJoint: number[][];
    calibratedJoint: number[][];
    estimatedIssues: number;
    offDiagonalCount: number;
  };
  /** The AU model's out-of-fold confusion: rows = given class, columns = its likeliest class. */
  auConfusion: number[][];
  auModel: {
    accuracy: number;
    used: number;
    vocabulary: number[];
    /** Whether the model reads which samples code an AU on one side only (`L12`, `R2`). */
    oneSided: boolean;
    folds: number;
  } | null;
  calibration: CalibrationReport | null;
  scored: number;
  likelyMislabelled: number;
}

interface Scores {
  posterior: Float32Array;
  likeliest: Int16Array;
  likeliestPosterior: Float32Array;
  suspicion: Float32Array;
  given: Int16Array;
  sources: WeightedSource[];
  /** The pooled distributions, dictionary-encoded (see poolAll). */
  pooled: { rowOf: Int32Array; probs: Float32Array };
  summaries: SourceSummary[];
  auModelResult: AuModelResult | null;
}

function givenColumns(columns: AuColumns, classIds: readonly number[]): Int16Array {
  const columnOf = classColumnLookup(classIds);
  const given = new Int16Array(columns.count);
  for (let i = 0; i < columns.count; i++) given[i] = columnOf(columns.classIds[i] as number);
  return given;
}

function countCovered(opinions: ClassOpinions): number {
  let covers = 0;
  for (let i = 0; i < opinions.rowOf.length; i++) if ((opinions.rowOf[i] as number) >= 0) covers++;
  return covers;
}

/** The AU model (fitted to `labels`), the literature and the extra sources, weighted and pooled. */
function scoreWith(
  input: EvidenceInput,
  classIds: number[],
  labels: Int16Array,
  options: EvidenceOptions,
  fixedWeights: number[] | null,
  /** The literature's opinions: they never read the labels, so the copy reuses the real ones. */
  literature: ClassOpinions,
  /** The AU model fitted to these labels elsewhere (see planEvidence); undefined: fit it here. */
  fitted: AuModelResult | null | undefined,
): Scores {
  const { columns } = input;
  const k = classIds.length;
  let auModelResult: AuModelResult | null;
  if (fitted !== undefined) auModelResult = fitted;
  else {
    const job = auModelJob(columns, classIds, labels, options);
    auModelResult = job ? fitAuModelOutOfFold(columns, classIds, options.auModel, job) : null;
  }
  const rules = literature;
  const candidates: ClassOpinions[] = [
    ...(auModelResult ? [auModelResult.opinions] : []),
    rules,
    ...(input.extraSources ?? []),
  ];

  // Weights: the AU model counts once; every other source's weight is the one under which
  // the labels are likeliest (all sources are out of sample, so this cannot reward a
  // source for having seen the labels). Without an AU model the literature leads.
  const weights = fixedWeights ?? candidates.map((s) => (s === auModelResult?.opinions ? 1 : 0));
  if (!fixedWeights) {
    if (!auModelResult) weights[0] = 1;
    const scratch = new Float64Array(k);
    const draw = seededRandom(options.auModel.seed ^ 0x2545f491);
    for (let s = 1; s < candidates.length; s++) {
      // Every weight is judged on the same samples: those this source and every source
      // already weighted have an opinion on (a drawn subset when there are many).
      const judges = candidates
        .filter((_, t) => t === s || (weights[t] as number) !== 0)
        .map((c) => c.rowOf);
      const isCovered = new Uint8Array(columns.count);
      let coveredCount = 0;
      for (let i = 0; i < columns.count; i++) {
        if ((labels[i] as number) < 0) continue;
        let all = 1;
        for (let t = 0; t < judges.length; t++)
          if (((judges[t] as Int32Array)[i] as number) < 0) {
            all = 0;
            break;
          }
        isCovered[i] = all;
        coveredCount += all;
      }
      const keep = Math.min(1, options.weightSamples / Math.max(1, coveredCount));
      const samples: number[] = [];
      for (let i = 0; i < columns.count; i++)
        if (isCovered[i] && (keep >= 1 || draw() < keep)) samples.push(i);
      let best = weights[s] as number;
      let bestLikelihood = -Infinity;
      for (const w of options.weightGrid) {
        const trial = candidates.map((opinions, t) => ({
          opinions,
          weight: t === s ? w : (weights[t] as number),
        }));
        if (trial.every((t) => t.weight === 0)) continue;
        const likelihood = meanLogLikelihood(trial, labels, samples, scratch);
        if (likelihood > bestLikelihood + 1e-9) {
          bestLikelihood = likelihood;
          best = w;
        }
      }
      weights[s] = best;
    }
  }
  const sources = candidates.map((opinions, s) => ({ opinions, weight: weights[s] as number }));
  const pooled = poolAll(sources, columns.count, k);

  const n = columns.count;
  const posterior = new Float32Array(n).fill(NaN);
  const likeliest = new Int16Array(n).fill(-1);
  const likeliestPosterior = new Float32Array(n).fill(NaN);
  const suspicion = new Float32Array(n).fill(NaN);
  const bestOfRow = likeliestOfRows(pooled.probs, k);
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    const r = pooled.rowOf[i] as number;
    if (y < 0 || r < 0) continue;
    const best = bestOfRow[r] as number;
    const p = pooled.probs[r * k + y] as number;
    posterior[i] = p;
    likeliest[i] = best;
    likeliestPosterior[i] = pooled.probs[r * k + best] as number;
    suspicion[i] = 1 - p;
  }
  return {
    posterior,
    likeliest,
    likeliestPosterior,
    suspicion,
    given: labels,
    sources,
    pooled,
    summaries: sources.map(({ opinions, weight }) => ({
      kind: opinions.kind,
      name: opinions.name,
      quality: opinions.quality,
      weight,
      covers: countCovered(opinions),
      opinions,
    })),
    auModelResult,
  };
}

interface FlagLimits {
  /** Per class column: no flags (too few samples). */
  insufficient: boolean[];
  /** Per class column: at most this many flags. */
  classCap: number[];
  /** At most this many flags in all. */
  totalCap: number;
}

function limitsFor(
  given: Int16Array,
  suspicion: Float32Array,
  k: number,
  options: EvidenceOptions,
): FlagLimits & { scoredPerClass: number[]; scored: number } {
  const scoredPerClass = new Array<number>(k).fill(0);
  let scored = 0;
  for (let i = 0; i < given.length; i++) {
    if (Number.isNaN(suspicion[i] as number)) continue;
    scored++;
    const y = given[i] as number;
    scoredPerClass[y] = (scoredPerClass[y] as number) + 1;
  }
  return {
    scoredPerClass,
    scored,
    insufficient: scoredPerClass.map((count) => count < options.minClassSamples),
    classCap: scoredPerClass.map((count) => Math.floor(options.calibration.maxClassShare * count)),
    totalCap: Math.floor(options.calibration.maxFlaggedShare * scored),
  };
}

/**
 * Walks the samples most suspicious first and takes each whose given class is not the
 * likeliest, as long as its class and the whole set have room, until `stop` says so.
 * The same walk sets the cut on the calibration copy and applies it to the real labels,
 * so the caps the real set obeys are the caps the cut was calibrated with.
 */
function walkFlags(
  order: ArrayLike<number>,
  given: Int16Array,
  likeliest: Int16Array,
  limits: FlagLimits,
  stop: (i: number, taken: number) => boolean,
  take: (i: number) => void,
): { taken: number; last: number; full: boolean; classFull: boolean[] } {
  const perClass = new Array<number>(limits.classCap.length).fill(0);
  const classFull = new Array<boolean>(limits.classCap.length).fill(false);
  let taken = 0;
  let last = -1;
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    if (stop(i, taken)) break;
    const y = given[i] as number;
    if (limits.insufficient[y] || (likeliest[i] as number) === y) continue;
    if ((perClass[y] as number) >= (limits.classCap[y] as number)) {
      classFull[y] = true;
      continue;
    }
    if (taken >= limits.totalCap) return { taken, last, full: true, classFull };
    perClass[y] = (perClass[y] as number) + 1;
    taken++;
    last = i;
    take(i);
  }
  return { taken, last, full: false, classFull };
}

function scoredOrder(suspicion: Float32Array): Int32Array {
  let count = 0;
  for (let i = 0; i < suspicion.length; i++) if (!Number.isNaN(suspicion[i] as number)) count++;
  const scored = new Int32Array(count);
  for (let i = 0, j = 0; i < suspicion.length; i++)
    if (!Number.isNaN(suspicion[i] as number)) scored[j++] = i;
  return sortIndicesByKey(scored, suspicion, -1);
}

/**
 * The labels the AU model is fitted to (those of AU-coded samples), or null when too few
 * samples are coded for its folds.
 */
function auModelJob(
  columns: AuColumns,
  classIds: readonly number[],
  labels: Int16Array,
  options: EvidenceOptions,
): Int16Array | null {
  const auLabels = labels.slice();
  let coded = 0;
  for (let i = 0; i < columns.count; i++) {
    if (columns.auStatus[i] !== AuStatus.coded) auLabels[i] = -1;
    else if ((auLabels[i] as number) >= 0) coded++;
  }
  return coded >= options.auModel.folds * 2 && classIds.length >= 2 ? auLabels : null;
}

/** The copy the cut is calibrated on: a seeded draw of the samples when there are many, with swaps injected. */
export interface CalibrationCopy {
  /** The copy's samples (indices into the dataset), ascending; null = all of them. */
  sample: Int32Array | null;
  columns: AuColumns;
  /** The given class columns of the copy's samples, before the swaps. */
  given: Int16Array;
  injected: InjectedSwaps;
}

function subsetRows(rowOf: Int32Array, sample: Int32Array): Int32Array {
  const out = new Int32Array(sample.length);
  for (let j = 0; j < sample.length; j++) out[j] = rowOf[sample[j] as number] as number;
  return out;
}

/** A source's opinions on the copy's samples (the same rows, fewer samples). */
function opinionsOnCopy(opinions: ClassOpinions, copy: CalibrationCopy): ClassOpinions {
  return copy.sample ? { ...opinions, rowOf: subsetRows(opinions.rowOf, copy.sample) } : opinions;
}

function calibrationCopy(
  columns: AuColumns,
  classIds: readonly number[],
  given: Int16Array,
  options: EvidenceOptions,
): CalibrationCopy {
  const { injectedShare, seed, maxSamples } = options.calibration;
  let scored = 0;
  for (let i = 0; i < given.length; i++) if ((given[i] as number) >= 0) scored++;
  let sample: Int32Array | null = null;
  let copyColumns = columns;
  let copyGiven = given;
  if (scored > maxSamples) {
    // Only labelled samples join the copy: the others carry nothing to calibrate on.
    const draw = seededRandom(seed ^ 0x6c8e9cf5);
    const keep = maxSamples / scored;
    const picked: number[] = [];
    for (let i = 0; i < given.length; i++)
      if ((given[i] as number) >= 0 && draw() < keep) picked.push(i);
    sample = Int32Array.from(picked);
    const m = sample.length;
    const classIdsOf = new Int16Array(m);
    const auStatus = new Uint8Array(m);
    const auMask = new Uint32Array(2 * m);
    const sides = columns.auOneSided;
    const auOneSided = sides ? new Uint32Array(2 * m) : undefined;
    copyGiven = new Int16Array(m);
    for (let j = 0; j < m; j++) {
      const i = sample[j] as number;
      classIdsOf[j] = columns.classIds[i] as number;
      auStatus[j] = columns.auStatus[i] as number;
      auMask[2 * j] = columns.auMask[2 * i] as number;
      auMask[2 * j + 1] = columns.auMask[2 * i + 1] as number;
      if (sides && auOneSided) {
        auOneSided[2 * j] = sides[2 * i] as number;
        auOneSided[2 * j + 1] = sides[2 * i + 1] as number;
      }
      copyGiven[j] = given[i] as number;
    }
    copyColumns = { count: m, classIds: classIdsOf, auStatus, auMask, auOneSided };
  }
  return {
    sample,
    columns: copyColumns,
    given: copyGiven,
    injected: injectSwaps(copyGiven, classIds.length, injectedShare, seed),
  };
}

/**
 * The two AU-model fits the evidence needs, on the labels and on the calibration copy:
 * independent of each other and of everything else, and most of the time the evidence
 * takes, so a caller with two threads can run them side by side (fitAuModelOutOfFold on
 * each job) and hand them to assessLabels.
 */
export interface EvidencePlan {
  classIds: number[];
  labels: { columns: AuColumns; labels: Int16Array } | null;
  calibration: { columns: AuColumns; labels: Int16Array } | null;
  copy: CalibrationCopy;
}

export function planEvidence(
  input: EvidenceInput,
  options: EvidenceOptions = DEFAULT_EVIDENCE_OPTIONS,
): EvidencePlan {
  const classIds = input.scheme.classes.map((c) => c.id);
  const given = givenColumns(input.columns, classIds);
  const real = auModelJob(input.columns, classIds, given, options);
  const copy = calibrationCopy(input.columns, classIds, given, options);
  const onCopy =
    copy.injected.swapped.length >= 5
      ? auModelJob(copy.columns, classIds, copy.injected.labels, options)
      : null;
  return {
    classIds,
    labels: real ? { columns: input.columns, labels: real } : null,
    calibration: onCopy ? { columns: copy.columns, labels: onCopy } : null,
    copy,
  };
}

/** The fits of an EvidencePlan's jobs, made wherever the caller likes. */
export interface EvidenceFits {
  labels: AuModelResult | null;
  calibration: AuModelResult | null;
}

export function fitPlan(plan: EvidencePlan, options: EvidenceOptions): EvidenceFits {
  const fit = (job: EvidencePlan['labels']) =>
    job ? fitAuModelOutOfFold(job.columns, plan.classIds, options.auModel, job.labels) : null;
  return { labels: fit(plan.labels), calibration: fit(plan.calibration) };
}

function calibrate(
  input: EvidenceInput,
  classIds: number[],
  copy: CalibrationCopy,
  weights: number[],
  options: EvidenceOptions,
  literature: ClassOpinions,
  fitted: AuModelResult | null,
): { cutOnCopy: number; report: Omit<CalibrationReport, 'cut' | 'capped'> } | null {
  const { injectedShare, seed, recallTarget } = options.calibration;
  const { injected } = copy;
  if (injected.swapped.length < 5) return null;
  const copyInput: EvidenceInput = {
    ...input,
    columns: copy.columns,
    extraSources: input.extraSources?.map((source) => opinionsOnCopy(source, copy)),
  };
  const copyScores = scoreWith(
    copyInput,
    classIds,
    injected.labels,
    options,
    weights,
    opinionsOnCopy(literature, copy),
    fitted,
  );
  let swaps = 0;
  for (const i of injected.swapped) if (!Number.isNaN(copyScores.suspicion[i] as number)) swaps++;
  if (swaps < 5) return null;
  const limits = limitsFor(injected.labels, copyScores.suspicion, classIds.length, options);
  const order = scoredOrder(copyScores.suspicion);
  let hits = 0;
  const wanted = Math.ceil(recallTarget * swaps);
  const walk = walkFlags(
    order,
    injected.labels,
    copyScores.likeliest,
    limits,
    () => hits >= wanted,
    (i) => {
      if (injected.isSwapped[i]) hits++;
    },
  );
  const cutOnCopy = walk.last >= 0 ? (copyScores.suspicion[walk.last] as number) : Infinity;
  const quality = rankingQuality(copyScores.suspicion, injected.isSwapped, order, 20);
  return {
    cutOnCopy,
    report: {
      injectedShare,
      seed,
      injected: swaps,
      copySamples: limits.scored,
      drawn: copy.sample !== null,
      recallTarget,
      recallOnCopy: hits / swaps,
      flaggedShareOnCopy: limits.scored > 0 ? walk.taken / limits.scored : 0,
      precisionOnCopy: walk.taken > 0 ? hits / walk.taken : 0,
      aurocOnCopy: quality.auroc,
      top20PrecisionOnCopy: quality.topPrecision,
    },
  };
}

/**
 * Order of the scored samples, most suspicious first; ties by the literature's doubt, then
 * by index. A radix sort by suspicion, then each run of equal suspicion (samples with the
 * same AU pattern and class) is ordered by the tie-break: a comparator sort of a million
 * samples took half a second.
 */
function worstFirstRank(
  suspicion: Float32Array,
  tieBreak: Float32Array,
): { rank: Float32Array; order: Int32Array } {
  const order = scoredOrder(suspicion);
  const byTieBreak = (a: number, b: number) =>
    (tieBreak[b] as number) - (tieBreak[a] as number) || a - b;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    const s = suspicion[order[start] as number] as number;
    while (end < order.length && suspicion[order[end] as number] === s) end++;
    // Samples of one AU pattern and class share their tie-break too: such a run is already
    // in index order, and most runs are such runs.
    let mixed = false;
    const first = tieBreak[order[start] as number] as number;
    for (let j = start + 1; j < end && !mixed; j++) mixed = tieBreak[order[j] as number] !== first;
    if (mixed) order.subarray(start, end).sort(byTieBreak);
    start = end;
  }
  const rank = new Float32Array(suspicion.length).fill(NaN);
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
  return { rank, order };
}

/**
 * The evidence on a dataset's labels. `plan` and `fits`: the AU models already fitted
 * (planEvidence, then fitAuModelOutOfFold on each job, perhaps on other threads);
 * without them they are fitted here, one after the other.
 */
export function assessLabels(
  input: EvidenceInput,
  options: EvidenceOptions = DEFAULT_EVIDENCE_OPTIONS,
  prepared?: { plan: EvidencePlan; fits: EvidenceFits },
): LabelEvidence {
  const plan = prepared?.plan ?? planEvidence(input, options);
  const fits = prepared?.fits ?? fitPlan(plan, options);
  const classIds = plan.classIds;
  const k = classIds.length;
  const n = input.columns.count;
  const given = givenColumns(input.columns, classIds);
  const literatureOpinions = ruleOpinions(input.columns, input.ruleSet, classIds);
  const real = scoreWith(input, classIds, given, options, null, literatureOpinions, fits.labels);
  const weights = real.sources.map((s) => s.weight);

  const scoredGiven = new Int16Array(n);
  for (let i = 0; i < n; i++)
    scoredGiven[i] = Number.isNaN(real.posterior[i] as number) ? -1 : (given[i] as number);
  const cl = confidentLearning({
    classes: k,
    given: scoredGiven,
    rowOf: real.pooled.rowOf,
    probs: real.pooled.probs,
  });

  const limits = limitsFor(given, real.suspicion, k, options);
  const { scoredPerClass, scored, insufficient } = limits;
  const calibration = calibrate(
    input,
    classIds,
    plan.copy,
    weights,
    options,
    literatureOpinions,
    fits.calibration,
  );
  const cut = calibration?.cutOnCopy ?? Infinity;

  // Ties (same AU pattern, same class) are broken by what the literature thinks of the label.
  const literature = real.sources.find((s) => s.opinions.kind === 'rules')?.opinions;
  const tieBreak = new Float32Array(n);
  if (literature) {
    for (let i = 0; i < n; i++) {
      const row = literature.rowOf[i] as number;
      const y = given[i] as number;
      tieBreak[i] = row >= 0 && y >= 0 ? 1 - (literature.probs[row * k + y] as number) : 0;
    }
  }
  const { rank, order } = worstFirstRank(real.suspicion, tieBreak);

  const flagged = new Uint8Array(n).fill(LabelFlag['not-scored']);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(real.suspicion[i] as number)) continue;
    flagged[i] = insufficient[given[i] as number] ? LabelFlag['insufficient-data'] : LabelFlag.none;
  }
  const suggested = new Int16Array(n).fill(-1);
  const flaggedPerClass = new Array<number>(k).fill(0);
  const walk = walkFlags(
    order,
    given,
    real.likeliest,
    limits,
    (i) => (real.suspicion[i] as number) < cut,
    (i) => {
      const y = given[i] as number;
      flagged[i] = LabelFlag['likely-mislabelled'];
      suggested[i] = classIds[real.likeliest[i] as number] as number;
      flaggedPerClass[y] = (flaggedPerClass[y] as number) + 1;
    },
  );
  const likelyMislabelled = walk.taken;
  const capped = walk.full;
  // Samples above the cut per class, whether or not the class cap let them in.
  const aboveCut = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    const s = real.suspicion[i] as number;
    if (Number.isNaN(s) || s < cut || (real.likeliest[i] as number) === y) continue;
    aboveCut[y] = (aboveCut[y] as number) + 1;
  }
  const doubtedWhole = walk.classFull;

  // The AU model's own out-of-fold confusion and per-class recall.
  const auConfusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const auOpinions = real.auModelResult?.opinions;
  if (auOpinions) {
    const bestOfRow = likeliestOfRows(auOpinions.probs, k);
    const counts = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      const row = auOpinions.rowOf[i] as number;
      if (row < 0) continue;
      const at = (given[i] as number) * k + (bestOfRow[row] as number);
      counts[at] = (counts[at] as number) + 1;
    }
    for (let y = 0; y < k; y++)
      for (let c = 0; c < k; c++) (auConfusion[y] as number[])[c] = counts[y * k + c] as number;
  }

  const likeliestIds = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const c = real.likeliest[i] as number;
    likeliestIds[i] = c >= 0 ? (classIds[c] as number) : -1;
  }
  return {
    classIds,
    sources: real.summaries,
    posterior: real.posterior,
    likeliest: likeliestIds,
    likeliestPosterior: real.likeliestPosterior,
    suggested,
    suspicion: real.suspicion,
    rank,
    flagged,
    confidentIssue: cl.issue,
    classes: classIds.map((classId, c) => {
      const row = auConfusion[c] as number[];
      const auCoded = row.reduce((a, b) => a + b, 0);
      const calibratedRow = cl.calibratedJoint[c] as number[];
      return {
        classId,
        scored: scoredPerClass[c] as number,
        threshold: cl.thresholds[c] as number,
        insufficient: insufficient[c] as boolean,
        flagged: flaggedPerClass[c] as number,
        doubtedWhole: doubtedWhole[c] as boolean,
        aboveCut: aboveCut[c] as number,
        estimatedIssues: Math.round(calibratedRow.reduce((a, b, j) => (j === c ? a : a + b), 0)),
        auRecall: auCoded > 0 ? (row[c] as number) / auCoded : NaN,
        auCoded,
      };
    }),
    cl: {
      thresholds: cl.thresholds,
      confidentJoint: cl.confidentJoint,
      calibratedJoint: cl.calibratedJoint,
      estimatedIssues: cl.estimatedIssues,
      offDiagonalCount: cl.offDiagonalCount,
    },
    auConfusion,
    auModel: real.auModelResult
      ? {
          accuracy: real.auModelResult.accuracy,
          used: real.auModelResult.used,
          vocabulary: real.auModelResult.design.vocabulary,
          oneSided: real.auModelResult.design.oneSided,
          folds: options.auModel.folds,
        }
      : null,
    calibration: calibration ? { ...calibration.report, cut, capped } : null,
    scored,
    likelyMislabelled,
  };
}

/** The buffers of a LabelEvidence a worker hands over without copying. */
export function evidenceTransferables(evidence: LabelEvidence): ArrayBuffer[] {
  return [
    evidence.posterior,
    evidence.likeliest,
    evidence.likeliestPosterior,
    evidence.suggested,
    evidence.suspicion,
    evidence.rank,
    evidence.flagged,
    evidence.confidentIssue,
    ...evidence.sources.flatMap((s) => [s.opinions.rowOf, s.opinions.probs]),
  ].map((column) => column.buffer as ArrayBuffer);
}

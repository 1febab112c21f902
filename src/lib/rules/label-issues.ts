import { AuStatus, type SampleTable } from '../labels/types';
import { forEachAu } from './mask';
import type { ClassRule, RuleSet } from './schema';

/**
 * Model-free label-issue scoring, after cleanlab's confident learning (reference,
 * section 6). No trained model: the "model" is a naive Bayes classifier whose
 * P(AU | class) comes from the rule set, optionally blended with the dataset's own
 * per-class AU rates.
 *
 * For each coded sample of a class with a rule:
 *  1. P(AU present | class) = (1 - priorBlend) x expected + priorBlend x observed, where
 *     observed is the class's AU rate among its coded samples, LEAVING THE SAMPLE ITSELF
 *     OUT for its own given class (otherwise a mislabelled sample votes for its label).
 *  2. P(class) = (coded samples of the class + 1) / (all + classes), also leave-one-out:
 *     the Bayes prior; the per-class thresholds below absorb the imbalance it brings.
 *  3. Naive-Bayes posterior over the rule set's classes from the presence AND absence of
 *     every AU in the vocabulary (AUs named by any class rule, plus AUs seen in the data).
 *  4. Threshold of a class = mean given-class posterior of its scored samples (the
 *     per-class self-confidence threshold of confident learning).
 *  5. Flagged when another class is likelier AND the given-class posterior is below the
 *     given class's threshold. Classes with fewer scored samples than minClassSamples get
 *     "insufficient data" instead: their mean is too noisy to be a threshold.
 */

/** Expected P(AU | class) of a required (prototypical, > 70% of subjects) AU. */
export const REQUIRED_AU_RATE = 0.9;
/** Expected P(AU | class) of a member of an any-of group that is not also a variant. */
export const ANY_OF_AU_RATE = 0.5;
/**
 * Expected P(AU | class) of an AU the rule does not name: in-the-wild faces show
 * unlisted AUs now and then, and a zero would let one stray AU veto a class.
 */
export const BASE_AU_RATE = 0.05;
/** Rates are kept in [RATE_FLOOR, 1 - RATE_FLOOR] so no single AU is decisive. */
export const RATE_FLOOR = 0.01;

export const IssueFlag = {
  none: 0,
  flagged: 1,
  'insufficient-data': 2,
  'not-scored': 3,
} as const;
export type IssueFlagName = keyof typeof IssueFlag;

export interface ClassIssueSummary {
  classId: number;
  /** Coded samples of the class that were scored. */
  scored: number;
  /** Mean given-class posterior of those samples; NaN when none. */
  threshold: number;
  /** Fewer scored samples than settings.minClassSamples: no flags for this class. */
  insufficient: boolean;
  flagged: number;
}

export interface LabelIssueColumns {
  /** Posterior of the given class; NaN when not scored. */
  posterior: Float32Array;
  /** Likeliest class id; -1 when not scored. */
  likeliest: Int16Array;
  likeliestPosterior: Float32Array;
  /** The likeliest class when it is not the given one; -1 otherwise. */
  suggested: Int16Array;
  /** IssueFlag codes. */
  flagged: Uint8Array;
  /** One entry per class rule, in the rule set's order. */
  classes: ClassIssueSummary[];
  /** The AUs the model looked at, ascending. */
  vocabulary: number[];
}

/** The expected P(AU present | class) from a class rule (before any blending). */
export function expectedAuRate(rule: ClassRule, au: number): number {
  if (rule.required.includes(au)) return REQUIRED_AU_RATE;
  const variant = rule.variants.find((v) => v.au === au);
  if (variant) return variant.rate;
  if (rule.anyOf.some((group) => group.includes(au))) return ANY_OF_AU_RATE;
  return BASE_AU_RATE;
}

function clampRate(p: number): number {
  return Math.min(1 - RATE_FLOOR, Math.max(RATE_FLOOR, p));
}

/** AUs a rule set names in its class rules. */
export function ruleAus(ruleSet: RuleSet): number[] {
  const aus = new Set<number>();
  for (const rule of ruleSet.classes) {
    for (const au of rule.required) aus.add(au);
    for (const group of rule.anyOf) for (const au of group) aus.add(au);
    for (const v of rule.variants) aus.add(v.au);
  }
  return [...aus].sort((a, b) => a - b);
}

export function scoreLabelIssues(table: SampleTable, ruleSet: RuleSet): LabelIssueColumns {
  const n = table.count;
  const rules = ruleSet.classes;
  const k = rules.length;
  const { minClassSamples, priorBlend } = ruleSet.settings;
  const classIndex = new Map(rules.map((rule, c) => [rule.classId, c]));

  // Pass 1: which samples are scored, per-class counts, the AUs seen in the data.
  const given = new Int16Array(n).fill(-1); // index into rules, -1 = not scored
  let seenLo = 0;
  let seenHi = 0;
  const classCount = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (table.auStatus[i] !== AuStatus.coded) continue;
    const c = classIndex.get(table.classIds[i] as number);
    if (c === undefined) continue;
    given[i] = c;
    classCount[c] = (classCount[c] as number) + 1;
    seenLo |= table.auMask[2 * i] as number;
    seenHi |= table.auMask[2 * i + 1] as number;
  }
  const vocabularySet = new Set(ruleAus(ruleSet));
  for (let bit = 0; bit < 32; bit++) {
    if ((seenLo >>> bit) & 1) vocabularySet.add(bit + 1);
    if ((seenHi >>> bit) & 1) vocabularySet.add(bit + 33);
  }
  const vocabulary = [...vocabularySet].sort((a, b) => a - b);
  const v = vocabulary.length;
  const auIndex = new Int16Array(65).fill(-1);
  vocabulary.forEach((au, a) => (auIndex[au] = a));

  // Per-class AU counts (second look at the scored samples' masks).
  const auCount = new Float64Array(k * v);
  for (let i = 0; i < n; i++) {
    const c = given[i] as number;
    if (c < 0) continue;
    forEachAu(table.auMask[2 * i] as number, table.auMask[2 * i + 1] as number, (au) => {
      const a = auIndex[au] as number;
      auCount[c * v + a] = (auCount[c * v + a] as number) + 1;
    });
  }

  const expected = new Float64Array(k * v);
  rules.forEach((rule, c) => {
    vocabulary.forEach((au, a) => (expected[c * v + a] = expectedAuRate(rule, au)));
  });
  const rate = (c: number, a: number, leaveOut: number): number => {
    const e = expected[c * v + a] as number;
    const others = (classCount[c] as number) - (leaveOut >= 0 ? 1 : 0);
    if (priorBlend === 0 || others <= 0) return clampRate(e);
    const observed = ((auCount[c * v + a] as number) - Math.max(0, leaveOut)) / others;
    return clampRate((1 - priorBlend) * e + priorBlend * observed);
  };

  // Log-likelihood = absentSum[c] + sum over the sample's AUs of presentGain[c, a]. The
  // leave-one-out rate of an AU depends only on whether the sample has it, so the given
  // class gets its own two tables (loo*) instead of a pass over the vocabulary.
  const presentGain = new Float64Array(k * v);
  const absentSum = new Float64Array(k);
  const looPresentGain = new Float64Array(k * v);
  const looAbsentSum = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let sum = 0;
    let looSum = 0;
    for (let a = 0; a < v; a++) {
      const p = rate(c, a, -1);
      sum += Math.log(1 - p);
      presentGain[c * v + a] = Math.log(p) - Math.log(1 - p);
      const pWithout = rate(c, a, 0); // the sample lacks the AU: only the denominator shrinks
      const pWith = rate(c, a, 1); // the sample has it: one fewer with the AU
      looSum += Math.log(1 - pWithout);
      looPresentGain[c * v + a] = Math.log(pWith) - Math.log(1 - pWithout);
    }
    // Class prior (count + 1), leave-one-out for the given class: the sample does not
    // count for its own class. Folded into the sums; the common denominator cancels.
    absentSum[c] = sum + Math.log((classCount[c] as number) + 1);
    looAbsentSum[c] = looSum + Math.log(classCount[c] as number);
  }

  // Pass 2: posteriors.
  const posterior = new Float32Array(n).fill(NaN);
  const likeliest = new Int16Array(n).fill(-1);
  const likeliestPosterior = new Float32Array(n).fill(NaN);
  const suggested = new Int16Array(n).fill(-1);
  const logPost = new Float64Array(k);
  const presentList = new Int16Array(v);
  for (let i = 0; i < n; i++) {
    const g = given[i] as number;
    if (g < 0) continue;
    let m = 0;
    forEachAu(table.auMask[2 * i] as number, table.auMask[2 * i + 1] as number, (au) => {
      presentList[m++] = auIndex[au] as number;
    });
    for (let c = 0; c < k; c++) {
      const own = c === g;
      const gain = own ? looPresentGain : presentGain;
      let lp = (own ? looAbsentSum[c] : absentSum[c]) as number;
      for (let j = 0; j < m; j++) lp += gain[c * v + (presentList[j] as number)] as number;
      logPost[c] = lp;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if ((logPost[c] as number) > (logPost[best] as number)) best = c;
    const top = logPost[best] as number;
    let total = 0;
    for (let c = 0; c < k; c++) total += Math.exp((logPost[c] as number) - top);
    posterior[i] = Math.exp((logPost[g] as number) - top) / total;
    likeliestPosterior[i] = 1 / total;
    const bestId = (rules[best] as ClassRule).classId;
    likeliest[i] = bestId;
    if (best !== g) suggested[i] = bestId;
  }

  // Pass 3: per-class thresholds, then flags.
  const posteriorSum = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const g = given[i] as number;
    if (g >= 0) posteriorSum[g] = (posteriorSum[g] as number) + (posterior[i] as number);
  }
  const threshold = Array.from(classCount, (count, c) =>
    count > 0 ? (posteriorSum[c] as number) / count : NaN,
  );
  const insufficient = Array.from(classCount, (count) => count < minClassSamples);
  const flaggedCount = new Int32Array(k);
  const flagged = new Uint8Array(n).fill(IssueFlag['not-scored']);
  for (let i = 0; i < n; i++) {
    const g = given[i] as number;
    if (g < 0) continue;
    if (insufficient[g]) {
      flagged[i] = IssueFlag['insufficient-data'];
    } else if (suggested[i] !== -1 && (posterior[i] as number) < (threshold[g] as number)) {
      flagged[i] = IssueFlag.flagged;
      flaggedCount[g] = (flaggedCount[g] as number) + 1;
    } else {
      flagged[i] = IssueFlag.none;
    }
  }

  return {
    posterior,
    likeliest,
    likeliestPosterior,
    suggested,
    flagged,
    classes: rules.map((rule, c) => ({
      classId: rule.classId,
      scored: classCount[c] as number,
      threshold: threshold[c] as number,
      insufficient: insufficient[c] as boolean,
      flagged: flaggedCount[c] as number,
    })),
    vocabulary,
  };
}

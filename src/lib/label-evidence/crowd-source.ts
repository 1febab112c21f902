import type { BasicEmotion, LabelClass, LabelScheme } from '../labels/types';
import { CROWD_EMOTION_COUNT, CROWD_EMOTIONS, type CrowdDistribution } from './crowd-file';
import type { ClassOpinions } from './opinion';

/**
 * Crowd votes as evidence: RAF-ML's share of annotators per basic emotion, read as a
 * distribution over the scheme's classes. A compound class's components should be the
 * crowd's leading emotions (reference section 6), so a class scores the product of its
 * components' shares. The crowd never saw the dataset's labels.
 */

/** Added to every share: a component nobody voted for weakens a class, it does not rule it out. */
const SHARE_FLOOR = 0.01;
/** Shares this close count as equal (the file writes two decimals; float32 holds them). */
const TIE_EPSILON = 1e-6;
/** A class whose samples' crowd leads with its components this rarely... */
const SUSPECT_LEAD_SHARE = 0.3;
/** ...while more than this share lead with another class's components, has a wrong name. */
const SUSPECT_OTHER_SHARE = 0.4;
/** ...judged only on this many of its samples at least: six votes of a class prove no map wrong. */
export const MIN_CLASS_MAP_SAMPLES = 20;

/** Index of each emotion in a crowd row; -1 for those the crowd does not rate (neutral, contempt). */
function crowdIndex(emotion: BasicEmotion): number {
  return (CROWD_EMOTIONS as readonly BasicEmotion[]).indexOf(emotion);
}

/** Whether the crowd rates every component of the class (a class of none it cannot judge). */
export function crowdRates(components: readonly BasicEmotion[]): boolean {
  return components.length > 0 && components.every((c) => crowdIndex(c) >= 0);
}

export interface CrowdAgreement {
  /** Sum of the components' shares (0 for a component the crowd does not rate). */
  componentShare: number;
  /**
   * 'yes': the components hold the top places outright. 'tie': they would, with a
   * tie broken their way (within 1e-6). 'no': another emotion has more votes than one
   * of them, or the crowd does not rate one of them.
   */
  leads: 'yes' | 'tie' | 'no';
  /** The emotions in the top components.length places, most votes first; ties in file order. */
  leading: BasicEmotion[];
}

/**
 * How one sample's crowd row (six shares in CROWD_EMOTIONS order) agrees with a
 * class's components. A component tied with another emotion for its place is a tie,
 * not a disagreement: the crowd cannot tell them apart.
 */
export function crowdAgreement(
  shares: ArrayLike<number>,
  components: readonly BasicEmotion[],
): CrowdAgreement {
  const k = Math.min(components.length, CROWD_EMOTION_COUNT);
  const ranked = CROWD_EMOTIONS.map((emotion, e) => ({ emotion, share: shares[e] as number }));
  // Array.prototype.sort is stable, so equal shares keep the file's order.
  ranked.sort((a, b) => b.share - a.share);
  const leading: BasicEmotion[] = ranked.slice(0, k).map((r) => r.emotion);

  let componentShare = 0;
  let lowestComponent = Infinity;
  let rated = components.length > 0;
  for (const component of components) {
    const e = crowdIndex(component);
    if (e < 0) {
      rated = false;
      continue;
    }
    const share = shares[e] as number;
    componentShare += share;
    lowestComponent = Math.min(lowestComponent, share);
  }
  if (!rated) return { componentShare, leads: 'no', leading };

  let highestOther = -Infinity;
  CROWD_EMOTIONS.forEach((emotion, e) => {
    if (!components.includes(emotion)) highestOther = Math.max(highestOther, shares[e] as number);
  });
  const leads =
    lowestComponent > highestOther + TIE_EPSILON
      ? 'yes'
      : lowestComponent >= highestOther - TIE_EPSILON
        ? 'tie'
        : 'no';
  return { componentShare, leads, leading };
}

/**
 * Each class's unnormalised score for one crowd row: the product of its components'
 * shares (each plus SHARE_FLOOR). A class the crowd cannot rate gets the score of
 * components nobody voted for, so it is neither favoured nor ruled out.
 */
function classScores(
  classes: readonly LabelClass[],
  indices: readonly (readonly number[] | null)[],
  row: ArrayLike<number>,
  out: Float64Array,
): void {
  classes.forEach((labelClass, c) => {
    const at = indices[c];
    if (!at) {
      out[c] = SHARE_FLOOR ** Math.max(1, labelClass.components.length);
      return;
    }
    let score = 1;
    for (const e of at) score *= (row[e] as number) + SHARE_FLOOR;
    out[c] = score;
  });
}

/** Crowd-row indices of each class's components, or null when the crowd cannot rate the class. */
function componentIndices(scheme: LabelScheme): (number[] | null)[] {
  return scheme.classes.map((c) =>
    crowdRates(c.components) ? c.components.map(crowdIndex) : null,
  );
}

/**
 * The crowd's opinion of every sample that has a row: one row of class probabilities
 * per such sample, in sample order, over the scheme's classes in scheme order.
 * `classIds` is the dataset's class column; it is read only for the quality figure,
 * never for the opinions.
 */
export function crowdOpinions(
  crowd: CrowdDistribution,
  scheme: LabelScheme,
  classIds: Int16Array,
): ClassOpinions {
  const n = crowd.has.length;
  const classes = scheme.classes;
  const k = classes.length;
  const indices = componentIndices(scheme);
  const classIndex = new Map(classes.map((c, at) => [c.id, at]));
  const rowOf = new Int32Array(n).fill(-1);
  let withRow = 0;
  for (let i = 0; i < n; i++) if (crowd.has[i] === 1) withRow++;
  const probs = new Float32Array(withRow * k);
  const scores = new Float64Array(k);
  let rows = 0;
  let judged = 0;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    if (crowd.has[i] !== 1) continue;
    const shares = crowd.shares.subarray(i * CROWD_EMOTION_COUNT, (i + 1) * CROWD_EMOTION_COUNT);
    classScores(classes, indices, shares, scores);
    let total = 0;
    for (let c = 0; c < k; c++) total += scores[c] as number;
    for (let c = 0; c < k; c++) probs[rows * k + c] = (scores[c] as number) / total;
    rowOf[i] = rows++;

    const given = classIndex.get(classIds[i] as number);
    // The crowd cannot vouch for a class it does not rate (neutral): leave those out.
    if (given === undefined || !indices[given]) continue;
    judged++;
    const { leads } = crowdAgreement(shares, (classes[given] as LabelClass).components);
    if (leads !== 'no') agree++;
  }
  return {
    kind: 'crowd',
    name: `Crowd votes (${crowd.fileName})`,
    quality: {
      measure: `share of ${judged.toLocaleString('en')} samples whose given class's components are the crowd's leading emotions`,
      value: judged > 0 ? agree / judged : null,
      samples: judged,
    },
    classIds: classes.map((c) => c.id),
    rowOf,
    probs,
  };
}

export interface CrowdClassCheck {
  classId: number;
  name: string;
  /** Samples of the class that have a crowd row. */
  samples: number;
  /** Share of those samples whose crowd leads with the class's components (ties count). */
  leadShare: number;
  /** The set of leading emotions seen most often among those samples, in file order. */
  mostCommonLeading: BasicEmotion[];
  mostCommonShare: number;
  /** false for a class the crowd does not rate (neutral, no components): it is not checked. */
  rated: boolean;
  /** The crowd rarely leads with the class's components and mostly with another class's. */
  suspect: boolean;
  /** That other class, when suspect. */
  suggestedClassId: number | null;
}

/** A set of emotions as a key, independent of their order. */
function emotionSetKey(emotions: readonly BasicEmotion[]): string {
  return [...emotions].sort().join('+');
}

/**
 * Per class of the scheme, whether the crowd agrees with its name. A class whose
 * samples the crowd reads, mostly, as another class's components points to a wrong
 * class-name map (two ids swapped) rather than to mislabelled samples: a dataset's
 * annotators do not confuse one whole class for another.
 */
export function crowdClassMapCheck(
  crowd: CrowdDistribution,
  classIds: Int16Array,
  scheme: LabelScheme,
): CrowdClassCheck[] {
  const classes = scheme.classes;
  const classIndex = new Map(classes.map((c, at) => [c.id, at]));
  const samples = new Array<number>(classes.length).fill(0);
  const leads = new Array<number>(classes.length).fill(0);
  const leadingCounts = classes.map(() => new Map<string, number>());
  const n = Math.min(crowd.has.length, classIds.length);
  for (let i = 0; i < n; i++) {
    if (crowd.has[i] !== 1) continue;
    const c = classIndex.get(classIds[i] as number);
    if (c === undefined) continue;
    const shares = crowd.shares.subarray(i * CROWD_EMOTION_COUNT, (i + 1) * CROWD_EMOTION_COUNT);
    const agreement = crowdAgreement(shares, (classes[c] as LabelClass).components);
    samples[c] = (samples[c] as number) + 1;
    if (agreement.leads !== 'no') leads[c] = (leads[c] as number) + 1;
    const counts = leadingCounts[c] as Map<string, number>;
    const key = emotionSetKey(agreement.leading);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  const classOfSet = new Map<string, number>();
  for (const c of classes)
    if (crowdRates(c.components) && !classOfSet.has(emotionSetKey(c.components)))
      classOfSet.set(emotionSetKey(c.components), c.id);

  return classes.map((labelClass, c) => {
    const count = samples[c] as number;
    let commonKey = '';
    let commonCount = 0;
    for (const [key, seen] of leadingCounts[c] as Map<string, number>)
      if (seen > commonCount) [commonKey, commonCount] = [key, seen];
    const commonSet = commonKey === '' ? [] : commonKey.split('+');
    const mostCommonLeading = CROWD_EMOTIONS.filter((e) => commonSet.includes(e));
    const leadShare = count > 0 ? (leads[c] as number) / count : 0;
    const mostCommonShare = count > 0 ? commonCount / count : 0;
    const rated = crowdRates(labelClass.components);
    const other = classOfSet.get(commonKey);
    const suspect =
      rated &&
      count >= MIN_CLASS_MAP_SAMPLES &&
      leadShare < SUSPECT_LEAD_SHARE &&
      mostCommonShare > SUSPECT_OTHER_SHARE &&
      other !== undefined &&
      other !== labelClass.id;
    return {
      classId: labelClass.id,
      name: labelClass.name,
      samples: count,
      leadShare,
      mostCommonLeading,
      mostCommonShare,
      rated,
      suspect,
      suggestedClassId: suspect ? (other as number) : null,
    };
  });
}

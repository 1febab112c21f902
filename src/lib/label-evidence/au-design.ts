import { oneSidedMasks, oneSidedMaskWords } from '../labels/au';
import type { AuValueIds } from '../labels/records';
import { AuStatus, type SampleTable } from '../labels/types';
import { classColumnLookup, PatternIndex } from '../labels/pattern-index';
import { forEachAu } from '../rules/mask';
import type { GroupedRows } from './softmax-regression';

/**
 * The columns the evidence reads: classes and AUs, never names or AU texts; with the AUs
 * coded on one side only where the labels say (oneSidedMasks of the AU texts).
 */
export type AuColumns = Pick<SampleTable, 'count' | 'classIds' | 'auStatus' | 'auMask'> & {
  auOneSided?: Uint32Array;
};

/**
 * What the evidence reads of a table: its columns and its one-sided AUs, from the
 * import's dictionary of AU values when there is one (a value is parsed once, not a
 * text per sample).
 */
export function evidenceColumns(table: SampleTable, auValues?: AuValueIds): AuColumns {
  return {
    count: table.count,
    classIds: table.classIds,
    auStatus: table.auStatus,
    auMask: table.auMask,
    auOneSided: auValues
      ? oneSidedOfValues(auValues, table.auStatus)
      : oneSidedMasks(table.auRaw, table.auStatus),
  };
}

function oneSidedOfValues(auValues: AuValueIds, auStatus: Uint8Array): Uint32Array {
  const words = new Uint32Array(2 * auValues.values.length);
  auValues.values.forEach(({ parsed }, id) => words.set(oneSidedMaskWords(parsed.tokens), 2 * id));
  const masks = new Uint32Array(2 * auStatus.length);
  for (let i = 0; i < auStatus.length; i++) {
    const id = auValues.ids[i] as number;
    if (id < 0 || auStatus[i] !== AuStatus.coded) continue;
    masks[2 * i] = words[2 * id] as number;
    masks[2 * i + 1] = words[2 * id + 1] as number;
  }
  return masks;
}

/**
 * The AU presence vector of every coded sample as grouped rows for the fitter: one row per
 * distinct pattern of the AUs in the vocabulary. Features are the vocabulary's AUs; then a
 * flag for a sample that codes some of them on one side only (`L12`, `R2`: a unilateral
 * action is scored as its AU, but a one-sided lip corner is not a smile; on RAF-CE the
 * flag puts more of the known errors among the most suspicious, and one flag per AU did
 * no better on fresh seeds while doubling the rows of a large set); and optionally the
 * pairs of AUs that co-occur often enough to be estimated (a compound face is often told
 * by two AUs together, which a model of single AUs adds up instead).
 */

export interface AuDesignOptions {
  /** An AU joins the vocabulary when at least this many coded samples show it. */
  minAuSamples: number;
  /** A pair becomes a feature when at least this many coded samples show both; 0 = no pairs. */
  minPairSamples: number;
}

export const DEFAULT_DESIGN_OPTIONS: AuDesignOptions = { minAuSamples: 5, minPairSamples: 0 };

export interface AuDesign {
  vocabulary: number[];
  /**
   * Whether the one-sided flag is a feature (after the vocabulary's AUs): a sample codes
   * some vocabulary AU on one side only. Read when at least minAuSamples samples do.
   */
  oneSided: boolean;
  pairs: [number, number][];
  /** Features: vocabulary.length + (oneSided ? 1 : 0) + pairs.length. */
  featureCount: number;
  rows: GroupedRows;
  /** Per sample, its row; -1 when the sample is not coded or has no class among classIds. */
  rowOf: Int32Array;
  /** Per sample, its class's column in classIds; -1 when not used. */
  labelOf: Int16Array;
  classIds: number[];
}

export function buildAuDesign(
  table: AuColumns,
  classIds: readonly number[],
  options: AuDesignOptions = DEFAULT_DESIGN_OPTIONS,
): AuDesign {
  const n = table.count;
  const columnOf = classColumnLookup(classIds);
  const labelOf = new Int16Array(n).fill(-1);
  const auCounts = new Int32Array(65);
  for (let i = 0; i < n; i++) {
    if (table.auStatus[i] !== AuStatus.coded) continue;
    const c = columnOf(table.classIds[i] as number);
    if (c < 0) continue;
    labelOf[i] = c;
    forEachAu(table.auMask[2 * i] as number, table.auMask[2 * i + 1] as number, (au) => {
      auCounts[au] = (auCounts[au] as number) + 1;
    });
  }
  const vocabulary: number[] = [];
  for (let au = 1; au <= 64; au++)
    if ((auCounts[au] as number) >= options.minAuSamples) vocabulary.push(au);
  let keepLo = 0;
  let keepHi = 0;
  for (const au of vocabulary) {
    if (au <= 32) keepLo |= 1 << (au - 1);
    else keepHi |= 1 << (au - 33);
  }
  keepLo >>>= 0;
  keepHi >>>= 0;
  const featureOfAu = new Int16Array(65).fill(-1);
  vocabulary.forEach((au, f) => (featureOfAu[au] = f));

  // The one-sided flag: whether a sample codes some vocabulary AU on one side only; a
  // feature when enough samples do.
  const sides = table.auOneSided;
  const isOneSided = (i: number) =>
    sides !== undefined &&
    (((sides[2 * i] as number) & keepLo) !== 0 || ((sides[2 * i + 1] as number) & keepHi) !== 0);
  let sidedSamples = 0;
  if (sides)
    for (let i = 0; i < n; i++) if ((labelOf[i] as number) >= 0 && isOneSided(i)) sidedSamples++;
  const oneSided = sidedSamples >= options.minAuSamples;
  const sideFeature = vocabulary.length;

  // Distinct patterns, keyed by their two mask words (and the one-sided flag, if read).
  const rowOf = new Int32Array(n).fill(-1);
  const index = new PatternIndex();
  const rowIndex = new PatternIndex();
  const rowPatterns: [number, number, boolean][] = [];
  for (let i = 0; i < n; i++) {
    if ((labelOf[i] as number) < 0) continue;
    const lo = ((table.auMask[2 * i] as number) & keepLo) >>> 0;
    const hi = ((table.auMask[2 * i + 1] as number) & keepHi) >>> 0;
    const p = index.idOf(lo, hi);
    if (!oneSided) {
      rowOf[i] = p;
      continue;
    }
    const flag = isOneSided(i);
    const row = rowIndex.idOf(p, flag ? 1 : 0);
    if (row === rowPatterns.length) rowPatterns.push([lo, hi, flag]);
    rowOf[i] = row;
  }
  const patterns = oneSided
    ? rowPatterns
    : Array.from(
        { length: index.size },
        (_, p) => [index.lowWord(p), index.highWord(p), false] as const,
      );

  const pairs: [number, number][] = [];
  if (options.minPairSamples > 0) {
    const v = vocabulary.length;
    const pairCounts = new Int32Array(v * v);
    const present: number[] = [];
    for (let i = 0; i < n; i++) {
      if ((rowOf[i] as number) < 0) continue;
      present.length = 0;
      forEachAu(table.auMask[2 * i] as number, table.auMask[2 * i + 1] as number, (au) => {
        const f = featureOfAu[au] as number;
        if (f >= 0) present.push(f);
      });
      for (let a = 0; a < present.length; a++)
        for (let b = a + 1; b < present.length; b++) {
          const at = (present[a] as number) * v + (present[b] as number);
          pairCounts[at] = (pairCounts[at] as number) + 1;
        }
    }
    for (let a = 0; a < v; a++)
      for (let b = a + 1; b < v; b++)
        if ((pairCounts[a * v + b] as number) >= options.minPairSamples)
          pairs.push([vocabulary[a] as number, vocabulary[b] as number]);
  }
  const pairFeature = new Map<number, number>();
  pairs.forEach(([a, b], p) =>
    pairFeature.set(a * 100 + b, vocabulary.length + (oneSided ? 1 : 0) + p),
  );

  const featureStart = new Int32Array(patterns.length + 1);
  const features: number[] = [];
  const present: number[] = [];
  patterns.forEach(([lo, hi, flag], r) => {
    featureStart[r] = features.length;
    present.length = 0;
    forEachAu(lo, hi, (au) => present.push(au));
    for (const au of present) features.push(featureOfAu[au] as number);
    if (flag) features.push(sideFeature);
    if (pairs.length > 0) {
      for (let a = 0; a < present.length; a++)
        for (let b = a + 1; b < present.length; b++) {
          const f = pairFeature.get((present[a] as number) * 100 + (present[b] as number));
          if (f !== undefined) features.push(f);
        }
    }
  });
  featureStart[patterns.length] = features.length;

  return {
    vocabulary,
    oneSided,
    pairs,
    featureCount: vocabulary.length + (oneSided ? 1 : 0) + pairs.length,
    rows: { count: patterns.length, featureStart, features: Int32Array.from(features) },
    rowOf,
    labelOf,
    classIds: [...classIds],
  };
}

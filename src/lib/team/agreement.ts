/**
 * Agreement measures between reviewers (reference section 6). Pure numbers in,
 * numbers out. A measure that is mathematically undefined for its input returns
 * NaN (never a made-up 0 or 1, except where a convention is documented): the
 * screen shows NaN as "n/a" with the reason, and every caller can test it with
 * Number.isNaN.
 *
 * Arguments of different lengths are a bug in the caller and throw RangeError.
 */

/** A binary rating: 1 = AU present, 0 = absent, null = not rated (not coded, discarded, not reviewed). */
export type BinaryRating = 0 | 1 | null;

function sameLength(a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${what}: the two rating lists differ in length (${a.length} vs ${b.length})`,
    );
  }
}

/**
 * Ekman-Friesen agreement between two AU codings of one image:
 * 2 x |AUs both scored| / (|AUs of coder 1| + |AUs of coder 2|).
 * Inputs are AU numbers; intensity and side are already gone (duplicates are
 * counted once). `1+2+5+6+12` vs `5+6+12` = 2 x 3 / 8 = 0.75.
 *
 * Convention: both codings empty (both coders scored "no AU active") = 1, full
 * agreement; the formula itself would be 0/0. A `null` (not coded) value is not an
 * empty coding: callers skip it rather than pass [].
 */
export function ekmanFriesen(a: readonly number[], b: readonly number[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size + setB.size === 0) return 1;
  let both = 0;
  for (const au of setA) if (setB.has(au)) both++;
  return (2 * both) / (setA.size + setB.size);
}

export interface KappaDetail {
  kappa: number;
  /** Items rated by both coders (pairs with a null are skipped). */
  n: number;
  /** Observed agreement. */
  po: number;
  /** Agreement expected by chance from the two coders' own marginals. */
  pe: number;
}

/**
 * Cohen's kappa for two coders on binary ratings, with the chance agreement taken
 * from each coder's own marginals (Cohen 1960). Items where either rating is null
 * are skipped.
 *
 * Undefined (NaN) when no item is rated by both, or when chance agreement is 1:
 * both coders constant and equal (e.g. an AU nobody ever scored): agreement is
 * perfect but carries no information, so kappa is 0/0. Both constant but opposite
 * gives kappa 0.
 */
export function cohensKappaDetail(
  ratings1: readonly BinaryRating[],
  ratings2: readonly BinaryRating[],
): KappaDetail {
  sameLength(ratings1, ratings2, 'cohensKappa');
  let n = 0;
  let agree = 0;
  let yes1 = 0;
  let yes2 = 0;
  for (let i = 0; i < ratings1.length; i++) {
    const r1 = ratings1[i];
    const r2 = ratings2[i];
    if (r1 === null || r2 === null || r1 === undefined || r2 === undefined) continue;
    n++;
    if (r1 === r2) agree++;
    yes1 += r1;
    yes2 += r2;
  }
  if (n === 0) return { kappa: NaN, n, po: NaN, pe: NaN };
  const po = agree / n;
  const pe = (yes1 / n) * (yes2 / n) + (1 - yes1 / n) * (1 - yes2 / n);
  const kappa = pe === 1 ? NaN : (po - pe) / (1 - pe);
  return { kappa, n, po, pe };
}

/** Cohen's kappa (see cohensKappaDetail); NaN when undefined. */
export function cohensKappa(
  ratings1: readonly BinaryRating[],
  ratings2: readonly BinaryRating[],
): number {
  return cohensKappaDetail(ratings1, ratings2).kappa;
}

/**
 * Krippendorff's alpha, nominal level, for any number of coders with missing
 * values (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
 *
 * `data` is the reliability data matrix: one row per coder, one column per unit
 * (all rows the same length), null = missing. Units with fewer than two values are
 * not pairable and are left out. alpha = 1 - (n - 1) x sum of off-diagonal
 * coincidences / sum over c != k of n_c x n_k.
 *
 * NaN when fewer than two pairable values exist, or when every pairable value is
 * the same (expected disagreement 0: no variation to be reliable about).
 */
export function krippendorffAlpha(
  data: readonly (readonly (number | null)[])[],
  level: 'nominal' = 'nominal',
): number {
  if (level !== 'nominal') throw new RangeError(`krippendorffAlpha: level ${String(level)}`);
  const units = data[0]?.length ?? 0;
  for (const row of data) {
    if (row.length !== units) {
      throw new RangeError('krippendorffAlpha: every coder row must have one entry per unit');
    }
  }
  // Coincidences: observed off-diagonal mass, and per-value totals n_c.
  let offDiagonal = 0;
  const totals = new Map<number, number>();
  for (let u = 0; u < units; u++) {
    const counts = new Map<number, number>();
    let m = 0;
    for (const row of data) {
      const value = row[u];
      if (value === null || value === undefined) continue;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      m++;
    }
    if (m < 2) continue;
    // Ordered pairs of different values in this unit, each weighted 1 / (m - 1).
    let same = 0;
    for (const [value, count] of counts) {
      same += count * (count - 1);
      totals.set(value, (totals.get(value) ?? 0) + count);
    }
    offDiagonal += (m * (m - 1) - same) / (m - 1);
  }
  let n = 0;
  let sumSquares = 0;
  for (const count of totals.values()) {
    n += count;
    sumSquares += count * count;
  }
  const expected = n * n - sumSquares; // sum over c != k of n_c n_k
  if (n < 2 || expected === 0) return NaN;
  return 1 - ((n - 1) * offDiagonal) / expected;
}

/**
 * Fleiss' kappa (Fleiss 1971): `counts[i][j]` = how many raters put subject i in
 * category j. Every subject must have the same number of raters (throws otherwise).
 * NaN when there are no subjects, fewer than two raters, or chance agreement is 1
 * (every rating in one category).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
  const subjects = counts.length;
  const first = counts[0];
  if (subjects === 0 || first === undefined) return NaN;
  const categories = first.length;
  const raters = first.reduce((sum, c) => sum + c, 0);
  const columnTotals = new Array<number>(categories).fill(0);
  let sumP = 0;
  for (const row of counts) {
    if (row.length !== categories) throw new RangeError('fleissKappa: ragged counts matrix');
    const rowRaters = row.reduce((sum, c) => sum + c, 0);
    if (rowRaters !== raters) {
      throw new RangeError(
        `fleissKappa: every subject needs the same number of raters (${rowRaters} vs ${raters})`,
      );
    }
    if (raters < 2) return NaN;
    let agreeing = 0;
    row.forEach((c, j) => {
      agreeing += c * (c - 1);
      columnTotals[j] = (columnTotals[j] ?? 0) + c;
    });
    sumP += agreeing / (raters * (raters - 1));
  }
  const pBar = sumP / subjects;
  const pe = columnTotals.reduce((sum, t) => sum + (t / (subjects * raters)) ** 2, 0);
  if (pe === 1) return NaN;
  return (pBar - pe) / (1 - pe);
}

export interface F1Detail {
  f1: number;
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
  /** Items rated in both (pairs with a null skipped). */
  n: number;
  /** Positives in the truth. */
  support: number;
}

/**
 * F1 of binary predictions against the truth; items where either is null are
 * skipped. NaN when neither side has a positive (tp + fp + fn = 0): there is
 * nothing to find, so the score is undefined, not 0 or 1. Precision or recall
 * alone is NaN when its denominator is 0.
 */
export function f1Detail(pred: readonly BinaryRating[], truth: readonly BinaryRating[]): F1Detail {
  sameLength(pred, truth, 'f1');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i];
    const t = truth[i];
    if (p === null || t === null || p === undefined || t === undefined) continue;
    n++;
    if (p === 1 && t === 1) tp++;
    else if (p === 1) fp++;
    else if (t === 1) fn++;
  }
  const denominator = 2 * tp + fp + fn;
  return {
    f1: denominator === 0 ? NaN : (2 * tp) / denominator,
    precision: tp + fp === 0 ? NaN : tp / (tp + fp),
    recall: tp + fn === 0 ? NaN : tp / (tp + fn),
    tp,
    fp,
    fn,
    n,
    support: tp + fn,
  };
}

/** F1 (see f1Detail); NaN when undefined. */
export function f1(pred: readonly BinaryRating[], truth: readonly BinaryRating[]): number {
  return f1Detail(pred, truth).f1;
}

export interface AuF1 extends F1Detail {
  au: number;
  /** Share of the truth's coded samples that have this AU: show it beside the score. */
  baseRate: number;
}

export interface MacroF1 {
  /** Mean of the per-AU F1 scores that are defined; NaN when none is. */
  macroF1: number;
  perAu: AuF1[];
}

/**
 * Per-AU F1 and macro-F1 of AU sets per sample (the machine-learning convention).
 * `null` = not coded: the sample is skipped for every AU. AUs scored = `aus` when
 * given, else every AU present in either side, ascending.
 */
export function macroF1(
  pred: readonly (readonly number[] | null)[],
  truth: readonly (readonly number[] | null)[],
  aus?: readonly number[],
): MacroF1 {
  sameLength(pred, truth, 'macroF1');
  const predSets = pred.map((s) => (s === null ? null : new Set(s)));
  const truthSets = truth.map((s) => (s === null ? null : new Set(s)));
  const scored =
    aus ??
    [...new Set([...pred, ...truth].flatMap((s) => (s === null ? [] : [...s])))].sort(
      (x, y) => x - y,
    );
  const perAu = scored.map((au): AuF1 => {
    const p = predSets.map((s) => binary(s, au));
    const t = truthSets.map((s) => binary(s, au));
    const detail = f1Detail(p, t);
    return { au, ...detail, baseRate: detail.n === 0 ? NaN : detail.support / detail.n };
  });
  const defined = perAu.filter((a) => !Number.isNaN(a.f1));
  const macro =
    defined.length === 0 ? NaN : defined.reduce((sum, a) => sum + a.f1, 0) / defined.length;
  return { macroF1: macro, perAu };
}

function binary(set: ReadonlySet<number> | null, au: number): BinaryRating {
  if (set === null) return null;
  return set.has(au) ? 1 : 0;
}

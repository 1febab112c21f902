import { className, splitName } from '../labels/schemes';
import { AuStatus, type LabelScheme, type SampleTable, type SplitNames } from '../labels/types';
import { VerdictCode, VERDICTS, type CheckColumns, type Verdict } from './check';
import { expectedAuRate, ruleAus } from './expected-rates';
import { classRuleOf, type RuleSet } from './schema';

/**
 * The dataset at a glance: where the `null` AU labels are, which classes hold the most
 * likely mislabelled samples, how often each class shows each AU against what is expected, and which
 * AUs occur together. Built in one pass over the columns; its size depends on the
 * number of classes and AUs, never on the number of samples.
 */

export const EXPECTED_MARKS = ['prototypical', 'variant', 'unexpected'] as const;
export type ExpectedMark = (typeof EXPECTED_MARKS)[number];
export const ExpectedMarkCode = { prototypical: 0, variant: 1, unexpected: 2 } as const;

export interface NullByClassRow {
  classId: number;
  name: string;
  samples: number;
  nullCount: number;
  /** nullCount / samples (0 when the class has no samples). */
  nullShare: number;
  /** Samples no AU file gave a value (neither coded nor null). */
  absentCount: number;
  coded: number;
}

export interface NullBySplitRow {
  split: number;
  name: string;
  samples: number;
  nullCount: number;
  nullShare: number;
}

export interface ClassQualityRow {
  classId: number;
  name: string;
  /** Samples that were checked: coded, and the class has a rule. */
  checked: number;
  fits: number;
  /** Unlike the literature's posed faces (a graded finding, not a wrong label). */
  atypical: number;
  /** AU codings that contradict FACS itself. */
  breaksFacs: number;
  /** atypical / checked; NaN when nothing was checked. */
  atypicalShare: number;
  breaksFacsShare: number;
  nullShare: number;
  /** Samples the evidence scored (an AU model, the crowd ...). */
  scored: number;
  /** Samples in the evidence's "likely mislabelled" set. */
  flagged: number;
  /** flagged / scored; NaN when none was scored. */
  flaggedShare: number;
  /** Too few samples of this class for the evidence to flag any. */
  insufficientData: boolean;
}

/**
 * What the overview needs of the label evidence: the per-sample flag (1 = likely
 * mislabelled) and per-class counts. Structural, so that the rules layer does not
 * depend on the evidence layer that reads it.
 */
export interface FlagColumns {
  flagged: Uint8Array;
  classes: readonly { classId: number; scored: number; insufficient: boolean }[];
}

/** The flag code of a likely mislabelled sample (LabelFlag in the evidence layer). */
export const LIKELY_MISLABELLED_FLAG = 1;

/** Class x AU rates, row-major (classIds.length rows, aus.length columns). */
export interface AuRateMatrix {
  classIds: number[];
  aus: number[];
  /** Coded samples per class (the denominator of observed). */
  coded: Int32Array;
  /** Coded samples of the class with the AU. */
  present: Int32Array;
  /** present / coded; NaN when the class has no coded samples. */
  observed: Float32Array;
  /** ExpectedMarkCode per cell ('unexpected' also for classes without a rule). */
  mark: Uint8Array;
  /** The expected P(AU | class) the label-issue model uses; NaN for classes without a rule. */
  expected: Float32Array;
}

export interface MarkedPair {
  a: number;
  b: number;
  kind: 'together' | 'rarely';
  /** Coded samples with both AUs. */
  count: number;
  /** P(a and b) / (P(a) P(b)) over coded samples: > 1 together more than chance; NaN if either is never seen. */
  lift: number;
}

export interface CoOccurrence {
  /** AUs seen in coded samples, ascending. */
  aus: number[];
  coded: number;
  /** Coded samples with each AU. */
  auCount: Int32Array;
  /** Symmetric aus x aus counts of coded samples with both AUs (diagonal = auCount). */
  pairCount: Int32Array;
  /** The rule set's together / rarely pairs with their counts. */
  marked: MarkedPair[];
}

export interface Overview {
  samples: number;
  coded: number;
  nullCount: number;
  absentCount: number;
  nullShare: number;
  verdictCounts: Record<Verdict, number>;
  flagged: number;
  nullByClass: NullByClassRow[];
  nullBySplit: NullBySplitRow[];
  classQuality: ClassQualityRow[];
  /** Class ids, highest share of likely mislabelled samples first (classes with nothing scored last). */
  rankedByFlaggedShare: number[];
  /** Class ids, highest null rate first. */
  rankedByNullRate: number[];
  auRates: AuRateMatrix;
  coOccurrence: CoOccurrence;
}

/** SampleTable.classIds is an Int16Array, splits an Int8Array: lookups by id + offset. */
const CLASS_ID_OFFSET = 1 << 15;
const CLASS_ID_RANGE = 1 << 16;
const SPLIT_OFFSET = 1 << 7;
const SPLIT_RANGE = 1 << 8;

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** Higher first; NaN last; ties by class order. */
function rankBy<T extends { classId: number }>(rows: T[], value: (row: T) => number): number[] {
  return rows
    .map((row, order) => ({ row, order, v: value(row) }))
    .sort((x, y) => {
      const xn = Number.isNaN(x.v);
      const yn = Number.isNaN(y.v);
      if (xn !== yn) return xn ? 1 : -1;
      return (xn ? 0 : y.v - x.v) || x.order - y.order;
    })
    .map(({ row }) => row.classId);
}

export function buildOverview(
  table: SampleTable,
  scheme: LabelScheme,
  splitNames: SplitNames,
  ruleSet: RuleSet,
  check: CheckColumns,
  issues: FlagColumns | null,
): Overview {
  const n = table.count;
  const tableClassIds = table.classIds;
  const tableSplits = table.splits;
  const auStatus = table.auStatus;
  const auMask = table.auMask;
  const verdictColumn = check.verdict;
  const flaggedColumn = issues ? issues.flagged : null;

  // Rows: the scheme's classes, then any other class id the table uses (e.g. -1), in
  // order of first appearance. Class ids are Int16: row of id = rowOfClass[id + offset].
  const classIds = scheme.classes.map((c) => c.id);
  const rowOfClass = new Int32Array(CLASS_ID_RANGE).fill(-1);
  classIds.forEach((id, r) => {
    // An id the column cannot hold never occurs in it: its row just stays empty.
    if (Number.isInteger(id) && id >= -CLASS_ID_OFFSET && id < CLASS_ID_OFFSET) {
      rowOfClass[id + CLASS_ID_OFFSET] = r;
    }
  });
  for (let i = 0; i < n; i++) {
    const id = tableClassIds[i] as number;
    if (rowOfClass[id + CLASS_ID_OFFSET] === -1) {
      rowOfClass[id + CLASS_ID_OFFSET] = classIds.length;
      classIds.push(id);
    }
  }
  const rows = classIds.length;

  const classSamples = new Int32Array(rows);
  const classNull = new Int32Array(rows);
  const classAbsent = new Int32Array(rows);
  const classCoded = new Int32Array(rows);
  const classVerdicts = new Int32Array(rows * VERDICTS.length);
  const classFlagged = new Int32Array(rows);
  const classAu = new Int32Array(rows * 64);
  // Split ids are Int8: counts at split + offset.
  const splitSamples = new Int32Array(SPLIT_RANGE);
  const splitNull = new Int32Array(SPLIT_RANGE);
  const auCount64 = new Int32Array(64);
  const pair64 = new Int32Array(64 * 64);
  const verdictTotals = new Int32Array(VERDICTS.length);
  const present = new Int8Array(64);
  const verdictKinds = VERDICTS.length;
  let flagged = 0;
  let coded = 0;

  for (let i = 0; i < n; i++) {
    const r = rowOfClass[(tableClassIds[i] as number) + CLASS_ID_OFFSET] as number;
    const s = (tableSplits[i] as number) + SPLIT_OFFSET;
    classSamples[r] = (classSamples[r] as number) + 1;
    splitSamples[s] = (splitSamples[s] as number) + 1;
    const verdict = verdictColumn[i] as number;
    const verdictCell = r * verdictKinds + verdict;
    classVerdicts[verdictCell] = (classVerdicts[verdictCell] as number) + 1;
    verdictTotals[verdict] = (verdictTotals[verdict] as number) + 1;
    if (flaggedColumn !== null && flaggedColumn[i] === LIKELY_MISLABELLED_FLAG) {
      classFlagged[r] = (classFlagged[r] as number) + 1;
      flagged++;
    }
    const status = auStatus[i];
    if (status === AuStatus.null) {
      classNull[r] = (classNull[r] as number) + 1;
      splitNull[s] = (splitNull[s] as number) + 1;
      continue;
    }
    if (status !== AuStatus.coded) {
      classAbsent[r] = (classAbsent[r] as number) + 1;
      continue;
    }
    coded++;
    classCoded[r] = (classCoded[r] as number) + 1;
    // The AUs present, ascending, as bit positions 0-63 (AU - 1).
    let m = 0;
    for (let word = (auMask[2 * i] as number) | 0; word !== 0;) {
      const low = word & -word;
      present[m++] = 31 - Math.clz32(low);
      word ^= low;
    }
    for (let word = (auMask[2 * i + 1] as number) | 0; word !== 0;) {
      const low = word & -word;
      present[m++] = 63 - Math.clz32(low);
      word ^= low;
    }
    const rowAu = r * 64;
    for (let x = 0; x < m; x++) {
      const a = present[x] as number;
      classAu[rowAu + a] = (classAu[rowAu + a] as number) + 1;
      auCount64[a] = (auCount64[a] as number) + 1;
      const pairRow = a * 64;
      for (let y = x + 1; y < m; y++) {
        const cell = pairRow + (present[y] as number);
        pair64[cell] = (pair64[cell] as number) + 1;
      }
    }
  }

  const nullCount = classNull.reduce((a, b) => a + b, 0);
  const absentCount = classAbsent.reduce((a, b) => a + b, 0);
  const nameOf = (id: number) => className(scheme, id);

  const nullByClass: NullByClassRow[] = classIds.map((classId, r) => ({
    classId,
    name: nameOf(classId),
    samples: classSamples[r] as number,
    nullCount: classNull[r] as number,
    nullShare: share(classNull[r] as number, classSamples[r] as number),
    absentCount: classAbsent[r] as number,
    coded: classCoded[r] as number,
  }));

  // The splits that occur, ascending.
  const nullBySplit: NullBySplitRow[] = [];
  for (let s = 0; s < SPLIT_RANGE; s++) {
    const samples = splitSamples[s] as number;
    if (samples === 0) continue;
    const split = s - SPLIT_OFFSET;
    nullBySplit.push({
      split,
      name: splitName(splitNames, split),
      samples,
      nullCount: splitNull[s] as number,
      nullShare: share(splitNull[s] as number, samples),
    });
  }

  const issueClass = new Map((issues?.classes ?? []).map((c) => [c.classId, c]));
  const classQuality: ClassQualityRow[] = classIds.map((classId, r) => {
    const v = (code: number) => classVerdicts[r * VERDICTS.length + code] as number;
    const fits = v(VerdictCode.fits);
    const atypical = v(VerdictCode.atypical);
    const breaksFacs = v(VerdictCode['breaks-facs']);
    const checked = fits + atypical + breaksFacs;
    const scored = issueClass.get(classId)?.scored ?? 0;
    const flaggedHere = classFlagged[r] as number;
    return {
      classId,
      name: nameOf(classId),
      checked,
      fits,
      atypical,
      breaksFacs,
      atypicalShare: checked > 0 ? atypical / checked : NaN,
      breaksFacsShare: checked > 0 ? breaksFacs / checked : NaN,
      nullShare: share(classNull[r] as number, classSamples[r] as number),
      scored,
      flagged: flaggedHere,
      flaggedShare: scored > 0 ? flaggedHere / scored : NaN,
      insufficientData: issueClass.get(classId)?.insufficient ?? false,
    };
  });

  // AU columns: every AU a rule names or a coded sample shows.
  const auSet = new Set(ruleAus(ruleSet));
  auCount64.forEach((count, a) => {
    if (count > 0) auSet.add(a + 1);
  });
  const aus = [...auSet].sort((a, b) => a - b);
  const cols = aus.length;
  const cellPresent = new Int32Array(rows * cols);
  const observed = new Float32Array(rows * cols);
  const mark = new Uint8Array(rows * cols);
  const expected = new Float32Array(rows * cols);
  classIds.forEach((classId, r) => {
    const rule = classRuleOf(ruleSet, classId);
    aus.forEach((au, c) => {
      const cell = r * cols + c;
      const count = classAu[r * 64 + au - 1] as number;
      const denominator = classCoded[r] as number;
      cellPresent[cell] = count;
      observed[cell] = denominator > 0 ? count / denominator : NaN;
      if (!rule) {
        mark[cell] = ExpectedMarkCode.unexpected;
        expected[cell] = NaN;
        return;
      }
      mark[cell] = rule.required.includes(au)
        ? ExpectedMarkCode.prototypical
        : rule.variants.some((v) => v.au === au) || rule.anyOf.some((g) => g.includes(au))
          ? ExpectedMarkCode.variant
          : ExpectedMarkCode.unexpected;
      expected[cell] = expectedAuRate(rule, au);
    });
  });

  // Co-occurrence over the AUs seen.
  const seen = aus.filter((au) => (auCount64[au - 1] as number) > 0);
  const k = seen.length;
  const auCount = Int32Array.from(seen, (au) => auCount64[au - 1] as number);
  const pairCount = new Int32Array(k * k);
  const both = (a: number, b: number): number => {
    const [x, y] = a < b ? [a - 1, b - 1] : [b - 1, a - 1];
    return a === b ? (auCount64[a - 1] as number) : (pair64[x * 64 + y] as number);
  };
  seen.forEach((a, x) => seen.forEach((b, y) => (pairCount[x * k + y] = both(a, b))));
  const lift = (a: number, b: number): number => {
    const ca = auCount64[a - 1] as number;
    const cb = auCount64[b - 1] as number;
    return ca > 0 && cb > 0 ? (both(a, b) * coded) / (ca * cb) : NaN;
  };
  const marked: MarkedPair[] = [
    ...ruleSet.together.map(([a, b]) => ({ a, b, kind: 'together' as const })),
    ...ruleSet.rarely.map(([a, b]) => ({ a, b, kind: 'rarely' as const })),
  ].map((p) => ({ ...p, count: both(p.a, p.b), lift: lift(p.a, p.b) }));

  const verdictCounts = Object.fromEntries(
    VERDICTS.map((verdict, code) => [verdict, verdictTotals[code] as number]),
  ) as Record<Verdict, number>;

  return {
    samples: n,
    coded,
    nullCount,
    absentCount,
    nullShare: share(nullCount, n),
    verdictCounts,
    flagged,
    nullByClass,
    nullBySplit,
    classQuality,
    rankedByFlaggedShare: rankBy(classQuality, (row) => row.flaggedShare),
    rankedByNullRate: rankBy(nullByClass, (row) => (row.samples > 0 ? row.nullShare : NaN)),
    auRates: { classIds, aus, coded: classCoded, present: cellPresent, observed, mark, expected },
    coOccurrence: { aus: seen, coded, auCount, pairCount, marked },
  };
}

/** The coded samples of a class that show an AU: what a click on a heatmap cell lists. */
export function samplesForCell(table: SampleTable, classId: number, au: number): Int32Array {
  if (!Number.isInteger(au) || au < 1 || au > 64) return new Int32Array(0);
  const word = au <= 32 ? 0 : 1;
  const bit = (au - 1) % 32;
  const out = new Int32Array(table.count);
  let m = 0;
  for (let i = 0; i < table.count; i++) {
    if (table.classIds[i] !== classId || table.auStatus[i] !== AuStatus.coded) continue;
    if ((((table.auMask[2 * i + word] as number) >>> bit) & 1) === 1) out[m++] = i;
  }
  return out.slice(0, m);
}

/** Name of an ExpectedMarkCode. */
export function expectedMarkName(code: number): ExpectedMark {
  const mark = EXPECTED_MARKS[code];
  if (mark === undefined) throw new RangeError(`no expected mark with code ${code}`);
  return mark;
}

import { z } from 'zod';
import { baseName } from '../labels/records';
import { entryEquals, textAt } from '../labels/text-column';
import { AuStatus, type SampleTable } from '../labels/types';
import { forEachAu, popcount } from '../rules/mask';
import type { TargetDump } from './target-file';

/**
 * The loader check: does the AU target matrix a training loader used (a dump, see
 * target-file.ts) say what the labels say? A public RAF-CE loader split AU strings on
 * whitespace and trained on all-zero targets; nothing in the labels was to blame, and
 * nothing but a comparison of its targets with the labels shows it.
 *
 * The names other layers use (keep them stable):
 * - `checkLoaderTargets(table, dump, options?)`: LoaderCheck; pure, never throws on data.
 * - `LoaderCheckSchema` / `LoaderCheck` (versioned, `LOADER_CHECK_VERSION`), with
 *   `verdict` (one sentence), `clean`, `findings` (most serious first) and `join`.
 * - `LoaderFinding`: `kind` (LoaderFindingKind), `severity`, `title`, `count`, `of`,
 *   `sentence`, `examples` (up to MAX_EXAMPLES: image, line, label, expected, target,
 *   note) and `detail`, whose shape depends on `kind`.
 * - The dump is read by `readTargetDump(file, options)` in target-file.ts.
 *
 * How the targets are compared: a target counts as present from 0.5 up; a masked cell
 * (-1, NaN) is never compared with a label. Before anything else the rows are joined
 * (by image name, or by row order), and when another order fits far better that order
 * is reported and used, so that one order bug is not reported again as every row
 * differing; likewise columns holding another AU's labels are reported once and left
 * out of the row comparison.
 */

export const LOADER_CHECK_VERSION = 1;

/** Examples listed per finding. */
export const MAX_EXAMPLES = 10;

/** Columns searched either side of each column for the labels it holds. */
export const MAX_COLUMN_SHIFT = 3;

/** Rows searched either side for an order shifted by k rows. */
export const MAX_ROW_SHIFT = 10;

export const LoaderFindingKindSchema = z.enum([
  'all-zero-coded',
  'null-as-zero',
  'order-mismatch',
  'column-shift',
  'missing-column',
  'row-differs',
]);
export type LoaderFindingKind = z.infer<typeof LoaderFindingKindSchema>;

/** 'error': the model learned from wrong targets. 'warning': worth a look. 'info': likely a choice. */
export const LoaderSeveritySchema = z.enum(['error', 'warning', 'info']);
export type LoaderSeverity = z.infer<typeof LoaderSeveritySchema>;

export const LoaderExampleSchema = z.object({
  image: z.string(),
  /** Where the row is written in the dump: its line (CSV) or 1-based row (.npy). */
  line: z.number().int(),
  /** The AU label as written (`1+4+25`, `null`; '' when the sample has none). */
  label: z.string(),
  /** The target row the labels call for, in the dump's columns, e.g. `AU1 AU4 AU25`, `all 0`, `masked`. */
  expected: z.string(),
  /** The target row the loader used, written the same way. */
  target: z.string(),
  /** What else explains the row, e.g. which image's labels it matches. */
  note: z.string(),
});
export type LoaderExample = z.infer<typeof LoaderExampleSchema>;

/** Agreement is the F1 of present AUs: 1 when targets and labels name the same AUs. */
const AgreementSchema = z.number().min(0).max(1);

const ShiftedColumnSchema = z.object({
  column: z.string(),
  /** The AU the column is named for. */
  au: z.number().int(),
  /** The AU whose labels it holds. */
  holds: z.number().int(),
  /** Columns from this one to the column of `holds`; null when the dump has no column for it. */
  shift: z.number().int().nullable(),
  /** The column it is swapped with, when each holds the other's labels. */
  swappedWith: z.string().nullable(),
  agreementBefore: AgreementSchema,
  agreementAfter: AgreementSchema,
});

const FindingBase = {
  severity: LoaderSeveritySchema,
  /** A short name, e.g. "All-zero targets for coded samples". */
  title: z.string(),
  /** How many rows (or columns, per kind) have it... */
  count: z.number().int().nonnegative(),
  /** ...out of how many compared. */
  of: z.number().int().nonnegative(),
  sentence: z.string(),
  examples: z.array(LoaderExampleSchema),
};

export const LoaderFindingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('all-zero-coded'),
    ...FindingBase,
    /** Every coded sample's targets are zero: the loader never read the AU labels. */
    detail: z.object({ all: z.boolean() }),
  }),
  z.object({
    kind: z.literal('null-as-zero'),
    ...FindingBase,
    detail: z.object({
      /** Not coded samples given all-zero targets. */
      zero: z.number().int().nonnegative(),
      /** Not coded samples given some present AU. */
      nonZero: z.number().int().nonnegative(),
      /** Of all these, the samples with no AU label at all (rather than `null`). */
      withoutLabel: z.number().int().nonnegative(),
      /** Not coded samples the dump masks or leaves out, as it should. */
      masked: z.number().int().nonnegative(),
    }),
  }),
  z.object({
    kind: z.literal('order-mismatch'),
    ...FindingBase,
    detail: z.object({
      /** Which order the rows fit: the labels sorted by name (as text or numbers), or shifted by `rowShift`. */
      order: z.enum(['sorted-by-name', 'sorted-naturally', 'shifted']),
      /** Row r holds the targets of the sample rowShift rows further on; null unless shifted. */
      rowShift: z.number().int().nullable(),
      agreementBefore: AgreementSchema,
      agreementAfter: AgreementSchema,
    }),
  }),
  z.object({
    kind: z.literal('column-shift'),
    ...FindingBase,
    detail: z.object({
      /** The one shift all moved columns share; null when they differ (or a swap). */
      shift: z.number().int().nullable(),
      columns: z.array(ShiftedColumnSchema),
      agreementBefore: AgreementSchema,
      agreementAfter: AgreementSchema,
    }),
  }),
  z.object({
    kind: z.literal('missing-column'),
    ...FindingBase,
    detail: z.object({
      /** AUs the labels code with no target column, most coded first. */
      missing: z.array(z.object({ au: z.number().int(), count: z.number().int() })),
      /** Target columns for AUs the labels never code, and how many rows they call present. */
      extra: z.array(
        z.object({ column: z.string(), au: z.number().int(), present: z.number().int() }),
      ),
    }),
  }),
  z.object({
    kind: z.literal('row-differs'),
    ...FindingBase,
    detail: z.object({
      /** Per target column: labelled present but target 0, labelled absent but target 1. */
      perAu: z.array(
        z.object({
          au: z.number().int(),
          column: z.string(),
          falseZero: z.number().int(),
          falseOne: z.number().int(),
        }),
      ),
    }),
  }),
]);
export type LoaderFinding = z.infer<typeof LoaderFindingSchema>;

export const LoaderCheckSchema = z.object({
  version: z.literal(LOADER_CHECK_VERSION),
  /** One sentence: the most serious finding, or that the targets match. */
  verdict: z.string(),
  /** No finding worse than 'info'. */
  clean: z.boolean(),
  /** Most serious first. */
  findings: z.array(LoaderFindingSchema),
  join: z.object({
    by: z.enum(['image', 'row-order']),
    rows: z.number().int(),
    /** Dump rows paired with a sample. */
    matched: z.number().int(),
    /** Dump rows naming no sample (or past the dataset's end), and a few of them. */
    unmatched: z.number().int(),
    unmatchedExamples: z.array(z.string()),
    /** Samples (of the split compared, when one is) without a target row: left out of training. */
    samplesWithoutRow: z.number().int(),
  }),
  /** Matched rows of coded samples, and of samples not coded (null or no AU label). */
  codedRows: z.number().int(),
  notCodedRows: z.number().int(),
  columns: z.number().int(),
});
export type LoaderCheck = z.infer<typeof LoaderCheckSchema>;

export interface LoaderCheckOptions {
  /**
   * Joined by row order, the dump's rows are the samples of this split in the
   * dataset's order (a loader that dumps its training split only); null or absent: all.
   */
  split?: number | null;
}

const numberFormat = new Intl.NumberFormat('en');
const count = (n: number) => numberFormat.format(n);
const percent = (x: number) => `${Math.round(x * 100)}%`;
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** The dump's rows as two-word AU masks: present targets, and masked cells. */
interface RowMasks {
  present: Uint32Array;
  masked: Uint32Array;
  /** The AUs the dump has a column for. */
  lo: number;
  hi: number;
}

function bump(counts: Float64Array, i: number): void {
  counts[i] = (counts[i] as number) + 1;
}

function bitOf(au: number): { word: 0 | 1; bit: number } {
  return au <= 32
    ? { word: 0, bit: (1 << (au - 1)) >>> 0 }
    : { word: 1, bit: (1 << (au - 33)) >>> 0 };
}

function rowMasks(dump: TargetDump): RowMasks {
  const k = dump.aus.length;
  const present = new Uint32Array(dump.rows * 2);
  const masked = new Uint32Array(dump.rows * 2);
  const bits = dump.aus.map(bitOf);
  let lo = 0;
  let hi = 0;
  for (const { word, bit } of bits) {
    if (word === 0) lo = (lo | bit) >>> 0;
    else hi = (hi | bit) >>> 0;
  }
  for (let r = 0; r < dump.rows; r++) {
    for (let j = 0; j < k; j++) {
      const value = dump.values[r * k + j] as number;
      const { word, bit } = bits[j] as { word: 0 | 1; bit: number };
      if (Number.isNaN(value))
        masked[2 * r + word] = ((masked[2 * r + word] as number) | bit) >>> 0;
      else if (value >= 0.5)
        present[2 * r + word] = ((present[2 * r + word] as number) | bit) >>> 0;
    }
  }
  return { present, masked, lo, hi };
}

/** The sample of each dump row (-1: none), and the samples the dump could have covered. */
function joinRows(
  table: SampleTable,
  dump: TargetDump,
  split: number | null,
): { sampleOf: Int32Array; covered: Int32Array } {
  const sampleOf = new Int32Array(dump.rows).fill(-1);
  if (dump.images === null) {
    const covered: number[] = [];
    for (let s = 0; s < table.count; s++) {
      if (split === null || table.splits[s] === split) covered.push(s);
    }
    for (let r = 0; r < dump.rows && r < covered.length; r++) sampleOf[r] = covered[r] as number;
    return { sampleOf, covered: Int32Array.from(covered) };
  }
  // Most dumps list the dataset's images in its own order: paired by position, no
  // lookup table of a million names is built unless a row does not line up.
  let r0 = 0;
  while (
    r0 < dump.rows &&
    r0 < table.count &&
    entryEquals(table.names, r0, dump.images[r0] as string)
  ) {
    sampleOf[r0] = r0;
    r0++;
  }
  const byName = new Map<string, number>();
  if (r0 < dump.rows) for (let s = 0; s < table.count; s++) byName.set(textAt(table.names, s), s);
  let byBase: Map<string, number> | null = null;
  dump.images.forEach((image, r) => {
    if (r < r0) return;
    let sample = byName.get(image) ?? byName.get(baseName(image));
    if (sample === undefined) {
      if (!byBase) {
        byBase = new Map();
        for (const [name, s] of byName) {
          const base = baseName(name);
          // Two samples of one base name (in two folders): a bare name cannot choose.
          byBase.set(base, byBase.has(base) ? -1 : s);
        }
      }
      sample = byBase.get(baseName(image));
    }
    if (sample !== undefined && sample >= 0) sampleOf[r] = sample;
  });
  const covered: number[] = [];
  for (let s = 0; s < table.count; s++) {
    if (split === null || table.splits[s] === split) covered.push(s);
  }
  return { sampleOf, covered: Int32Array.from(covered) };
}

/** Agreement (F1 of present AUs) of rows with the samples `sampleOf` gives them, coded samples only. */
function rowAgreement(
  table: SampleTable,
  masks: RowMasks,
  sampleOf: Int32Array,
  /** Every stride-th row: the orders tried are told apart on a sample of a large dump. */
  stride = 1,
): number {
  let both = 0;
  let total = 0;
  const keepLo = masks.lo;
  const keepHi = masks.hi;
  for (let r = 0; r < sampleOf.length; r += stride) {
    const s = sampleOf[r] as number;
    if (s < 0 || table.auStatus[s] !== AuStatus.coded) continue;
    const openLo = keepLo & ~(masks.masked[2 * r] as number);
    const openHi = keepHi & ~(masks.masked[2 * r + 1] as number);
    const dLo = (masks.present[2 * r] as number) & openLo;
    const dHi = (masks.present[2 * r + 1] as number) & openHi;
    const lLo = (table.auMask[2 * s] as number) & openLo;
    const lHi = (table.auMask[2 * s + 1] as number) & openHi;
    both += popcount(dLo & lLo) + popcount(dHi & lHi);
    total += popcount(dLo) + popcount(dHi) + popcount(lLo) + popcount(lHi);
  }
  return total === 0 ? 0 : (2 * both) / total;
}

/** A name whose digit runs are padded, so that sorting keys as text sorts numbers as numbers. */
function naturalKey(name: string): string {
  return name.replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(20, '0'));
}

interface OrderCandidate {
  order: 'sorted-by-name' | 'sorted-naturally' | 'shifted';
  rowShift: number | null;
  sampleOf: Int32Array;
}

function sameOrder(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Other orders a loader could have used by mistake: its image list sorted (as text,
 * or with numbers read as numbers) while the labels are not, or the rows off by a few
 * (a header row read as data, a first row skipped).
 */
function* orderCandidates(
  table: SampleTable,
  dump: TargetDump,
  sampleOf: Int32Array,
): Generator<OrderCandidate> {
  const n = sampleOf.length;
  const names = dump.images ?? Array.from(sampleOf, (s) => (s < 0 ? '' : textAt(table.names, s)));
  const rows = Array.from({ length: n }, (_, r) => r);
  const candidates: OrderCandidate[] = [];
  const isSorted = (keys: readonly string[]) => {
    for (let r = 1; r < n; r++) if ((keys[r - 1] as string) > (keys[r] as string)) return false;
    return true;
  };
  const bySort = (keys: readonly string[]) => {
    if (isSorted(keys)) return sampleOf;
    const sorted = [...rows].sort((a, b) => {
      const ka = keys[a] as string;
      const kb = keys[b] as string;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
    return Int32Array.from(sorted, (r) => sampleOf[r] as number);
  };
  const lexical = bySort(names);
  if (!sameOrder(lexical, sampleOf))
    candidates.push({ order: 'sorted-by-name', rowShift: null, sampleOf: lexical });
  const natural = bySort(names.map(naturalKey));
  if (!sameOrder(natural, sampleOf) && !sameOrder(natural, lexical))
    candidates.push({ order: 'sorted-naturally', rowShift: null, sampleOf: natural });
  for (const candidate of candidates) yield candidate;
  // One shifted order at a time: twenty arrays of a million rows at once is 80 MB.
  for (let k = -MAX_ROW_SHIFT; k <= MAX_ROW_SHIFT; k++) {
    if (k === 0 || Math.abs(k) >= n) continue;
    const shifted = new Int32Array(n).fill(-1);
    for (let r = 0; r < n; r++) {
      const from = r + k;
      if (from >= 0 && from < n) shifted[r] = sampleOf[from] as number;
    }
    yield { order: 'shifted', rowShift: k, sampleOf: shifted };
  }
}

/** Rows of a large dump the orders are told apart on (every n-th row). */
const ORDER_SAMPLE_ROWS = 50_000;
/** A better order must fit clearly: by this much agreement, and at least half. */
const ORDER_MARGIN = 0.25;
const COLUMN_MARGIN = 0.1;
const MIN_MOVED_AGREEMENT = 0.5;
/** Rows a moved column must agree on with the AU it holds. */
const MIN_MOVED_ROWS = 2;
/** All-zero rows for at least this share of coded samples make the all-zero finding. */
const ALL_ZERO_SHARE = 0.5;

interface ColumnMove {
  j: number;
  holds: number;
  before: number;
  after: number;
}

/** Columns whose targets fit another AU's labels far better than their own AU's. */
function movedColumns(
  table: SampleTable,
  dump: TargetDump,
  masks: RowMasks,
  sampleOf: Int32Array,
): ColumnMove[] {
  const k = dump.aus.length;
  const columnOfAu = new Map(dump.aus.map((au, j) => [au, j]));
  const presentOf = new Float64Array(k);
  const labelled = new Float64Array(65);
  const together = new Float64Array(k * 65);
  for (let r = 0; r < sampleOf.length; r++) {
    const s = sampleOf[r] as number;
    if (s < 0 || table.auStatus[s] !== AuStatus.coded) continue;
    const lLo = table.auMask[2 * s] as number;
    const lHi = table.auMask[2 * s + 1] as number;
    forEachAu(lLo, lHi, (au) => bump(labelled, au));
    forEachAu(masks.present[2 * r] as number, masks.present[2 * r + 1] as number, (au) => {
      const j = columnOfAu.get(au) as number;
      bump(presentOf, j);
      forEachAu(lLo, lHi, (labelAu) => bump(together, j * 65 + labelAu));
    });
  }
  const moves: ColumnMove[] = [];
  const f1 = (j: number, au: number) => {
    const sum = (presentOf[j] as number) + (labelled[au] as number);
    return sum === 0 ? 0 : (2 * (together[j * 65 + au] as number)) / sum;
  };
  dump.aus.forEach((au, j) => {
    if (presentOf[j] === 0) return;
    const before = f1(j, au);
    let holds = au;
    let after = before;
    for (let other = 1; other <= 64; other++) {
      if (other === au || labelled[other] === 0) continue;
      const fit = f1(j, other);
      if (fit > after) {
        after = fit;
        holds = other;
      }
    }
    // Besides fitting better, the held AU must account for more of the column's present
    // targets: on a few rows a sparse column fits some rare AU by chance.
    const gained = together[j * 65 + holds] as number;
    if (
      holds !== au &&
      after >= MIN_MOVED_AGREEMENT &&
      after >= before + COLUMN_MARGIN &&
      gained >= MIN_MOVED_ROWS &&
      gained > (together[j * 65 + au] as number)
    ) {
      moves.push({ j, holds, before, after });
    }
  });
  // A column named for an AU the labels never code, holding a coded AU's labels, is
  // moved as well: kept as found. Shifts are told by where the held AU's column is.
  return moves.filter((move) => columnOfAu.has(move.holds) || move.after >= MIN_MOVED_AGREEMENT);
}

function ausText(lo: number, hi: number): string {
  const aus: string[] = [];
  forEachAu(lo, hi, (au) => aus.push(`AU${au}`));
  return aus.join(' ');
}

/** A target row as the examples write it: `all 0`, `masked`, `AU1 AU4`, `AU1 (AU9 masked)`. */
function targetText(
  presentLo: number,
  presentHi: number,
  maskedLo: number,
  maskedHi: number,
  lo: number,
  hi: number,
): string {
  const mLo = maskedLo & lo;
  const mHi = maskedHi & hi;
  if (mLo === lo && mHi === hi) return 'masked';
  const present = presentLo === 0 && presentHi === 0 ? 'all 0' : ausText(presentLo, presentHi);
  return mLo === 0 && mHi === 0 ? present : `${present} (${ausText(mLo, mHi)} masked)`;
}

function expectedText(table: SampleTable, s: number, lo: number, hi: number): string {
  if (table.auStatus[s] !== AuStatus.coded) return 'masked';
  const eLo = (table.auMask[2 * s] as number) & lo;
  const eHi = (table.auMask[2 * s + 1] as number) & hi;
  return eLo === 0 && eHi === 0 ? 'all 0' : ausText(eLo, eHi);
}

const SEVERITY_RANK: Readonly<Record<LoaderSeverity, number>> = { error: 0, warning: 1, info: 2 };
const KIND_RANK: Readonly<Record<LoaderFindingKind, number>> = {
  'all-zero-coded': 0,
  'order-mismatch': 1,
  'column-shift': 2,
  'null-as-zero': 3,
  'missing-column': 4,
  'row-differs': 5,
};

/** Compare the targets a loader used with the labels; see the top of this file. */
export function checkLoaderTargets(
  table: SampleTable,
  dump: TargetDump,
  options: LoaderCheckOptions = {},
): LoaderCheck {
  const split = options.split ?? null;
  const masks = rowMasks(dump);
  const joined = joinRows(table, dump, split);
  let sampleOf = joined.sampleOf;
  const k = dump.aus.length;
  const findings: LoaderFinding[] = [];
  const lineOf = (r: number) => dump.lines[r] as number;
  const imageOf = (r: number, s: number) =>
    dump.images?.[r] ?? (s >= 0 ? textAt(table.names, s) : '');
  const example = (r: number, s: number, note = '', targetOverride?: string): LoaderExample => ({
    image: imageOf(r, s),
    line: lineOf(r),
    label: table.auRaw[s] ?? '',
    expected: expectedText(table, s, masks.lo, masks.hi),
    target:
      targetOverride ??
      targetText(
        masks.present[2 * r] as number,
        masks.present[2 * r + 1] as number,
        masks.masked[2 * r] as number,
        masks.masked[2 * r + 1] as number,
        masks.lo,
        masks.hi,
      ),
    note,
  });

  // The order first: when another one fits far better, everything after uses it.
  const stride = Math.max(1, Math.floor(dump.rows / ORDER_SAMPLE_ROWS));
  const sampledBefore = rowAgreement(table, masks, sampleOf, stride);
  let bestOrder: { candidate: OrderCandidate; agreement: number } | null = null;
  for (const candidate of orderCandidates(table, dump, sampleOf)) {
    const agreement = rowAgreement(table, masks, candidate.sampleOf, stride);
    if (!bestOrder || agreement > bestOrder.agreement) bestOrder = { candidate, agreement };
  }
  if (
    bestOrder &&
    bestOrder.agreement >= MIN_MOVED_AGREEMENT &&
    bestOrder.agreement >= sampledBefore + ORDER_MARGIN
  ) {
    const { candidate } = bestOrder;
    const before = stride === 1 ? sampledBefore : rowAgreement(table, masks, sampleOf);
    const agreement =
      stride === 1 ? bestOrder.agreement : rowAgreement(table, masks, candidate.sampleOf);
    const examples: LoaderExample[] = [];
    let moved = 0;
    let paired = 0;
    for (let r = 0; r < sampleOf.length; r++) {
      const now = sampleOf[r] as number;
      const fits = candidate.sampleOf[r] as number;
      if (now >= 0) paired++;
      if (now < 0 || fits === now) continue;
      moved++;
      if (examples.length < MAX_EXAMPLES && fits >= 0) {
        examples.push(example(r, now, `matches the labels of ${textAt(table.names, fits)}`));
      }
    }
    const how =
      candidate.order === 'shifted'
        ? `shifted by ${plural(Math.abs(candidate.rowShift ?? 0), 'row', 'rows')} (row n holds the targets of sample n ${(candidate.rowShift ?? 0) > 0 ? '+' : '−'} ${Math.abs(candidate.rowShift ?? 0)})`
        : candidate.order === 'sorted-by-name'
          ? 'in the order of the image names sorted as text'
          : 'in the order of the image names sorted with numbers read as numbers';
    findings.push({
      kind: 'order-mismatch',
      severity: 'error',
      title: 'Rows in another order',
      count: moved,
      of: paired,
      sentence:
        `The target rows are not in the labels' order: they fit the labels ${how}; ` +
        `agreement ${percent(before)} as joined, ${percent(agreement)} in that order. ` +
        `${plural(moved, 'row was', 'rows were')} trained on another image's targets.`,
      examples,
      detail: {
        order: candidate.order,
        rowShift: candidate.rowShift,
        agreementBefore: before,
        agreementAfter: agreement,
      },
    });
    sampleOf = candidate.sampleOf;
  }

  // Columns holding another AU's labels.
  const moves = movedColumns(table, dump, masks, sampleOf);
  let movedLo = 0;
  let movedHi = 0;
  if (moves.length > 0) {
    const columnOfAu = new Map(dump.aus.map((au, j) => [au, j]));
    const holdsOf = new Map(moves.map((move) => [move.j, move.holds]));
    const columns = moves.map((move) => {
      const au = dump.aus[move.j] as number;
      const target = columnOfAu.get(move.holds);
      const shift =
        target === undefined || Math.abs(target - move.j) > MAX_COLUMN_SHIFT
          ? null
          : target - move.j;
      const swapped =
        target !== undefined && holdsOf.get(target) === au
          ? (dump.columnNames[target] as string)
          : null;
      return {
        column: dump.columnNames[move.j] as string,
        au,
        holds: move.holds,
        shift: swapped && target !== undefined ? target - move.j : shift,
        swappedWith: swapped,
        agreementBefore: move.before,
        agreementAfter: move.after,
      };
    });
    for (const move of moves) {
      const { word, bit } = bitOf(dump.aus[move.j] as number);
      if (word === 0) movedLo = (movedLo | bit) >>> 0;
      else movedHi = (movedHi | bit) >>> 0;
    }
    const shifts = new Set(columns.map((column) => column.shift));
    const common =
      shifts.size === 1 && !columns.some((c) => c.swappedWith) ? ([...shifts][0] ?? null) : null;
    const meanBefore = columns.reduce((sum, c) => sum + c.agreementBefore, 0) / columns.length;
    const meanAfter = columns.reduce((sum, c) => sum + c.agreementAfter, 0) / columns.length;
    const listed = columns
      .slice(0, 6)
      .map((c) => `${c.column} holds AU${c.holds}`)
      .join(', ');
    const more = columns.length > 6 ? ` and ${columns.length - 6} more` : '';
    const what =
      columns.length === 2 && columns.every((c) => c.swappedWith)
        ? `columns ${columns[0]?.column} and ${columns[1]?.column} are swapped`
        : common !== null
          ? `${plural(columns.length, 'column holds', 'columns hold')} the labels of the column ${Math.abs(common)} to the ${common > 0 ? 'right' : 'left'} (shift ${common > 0 ? '+' : '−'}${Math.abs(common)}): ${listed}${more}`
          : `${plural(columns.length, 'column holds', 'columns hold')} another AU's labels: ${listed}${more}`;
    const examples: LoaderExample[] = [];
    for (let r = 0; r < sampleOf.length && examples.length < MAX_EXAMPLES; r++) {
      const s = sampleOf[r] as number;
      if (s < 0 || table.auStatus[s] !== AuStatus.coded) continue;
      const dLo = (masks.present[2 * r] as number) & movedLo;
      const dHi = (masks.present[2 * r + 1] as number) & movedHi;
      const lLo = (table.auMask[2 * s] as number) & movedLo;
      const lHi = (table.auMask[2 * s + 1] as number) & movedHi;
      if (dLo === lLo && dHi === lHi) continue;
      const held: number[] = [];
      forEachAu(masks.present[2 * r] as number, masks.present[2 * r + 1] as number, (au) => {
        const j = columnOfAu.get(au) as number;
        const holds = holdsOf.get(j) ?? au;
        if (!held.includes(holds)) held.push(holds);
      });
      const heldText = held
        .sort((a, b) => a - b)
        .map((au) => `AU${au}`)
        .join(' ');
      examples.push(
        example(
          r,
          s,
          `read by the labels its columns hold: ${heldText === '' ? 'all 0' : heldText}`,
        ),
      );
    }
    findings.push({
      kind: 'column-shift',
      severity: 'error',
      title: 'Columns shifted',
      count: columns.length,
      of: k,
      sentence:
        `Target columns do not hold the AUs they are named for: ${what}; ` +
        `agreement ${percent(meanBefore)} as named, ${percent(meanAfter)} with the labels they hold.`,
      examples,
      detail: { shift: common, columns, agreementBefore: meanBefore, agreementAfter: meanAfter },
    });
  }

  // Row by row.
  let codedRows = 0;
  let notCodedRows = 0;
  let codedWithAus = 0;
  let allZero = 0;
  const allZeroExamples: LoaderExample[] = [];
  const nullRows = { zero: 0, nonZero: 0, withoutLabel: 0, masked: 0 };
  const nullExamples: LoaderExample[] = [];
  const falseZero = new Float64Array(65);
  const falseOne = new Float64Array(65);
  const differing: number[] = [];
  const allZeroRows: number[] = [];
  const allZeroFalseZero = new Float64Array(65);
  const labelCount = new Float64Array(65);
  const presentCount = new Float64Array(65);
  const compareLo = (masks.lo & ~movedLo) >>> 0;
  const compareHi = (masks.hi & ~movedHi) >>> 0;
  for (let r = 0; r < sampleOf.length; r++) {
    const s = sampleOf[r] as number;
    if (s < 0) continue;
    const pLo = masks.present[2 * r] as number;
    const pHi = masks.present[2 * r + 1] as number;
    const mLo = masks.masked[2 * r] as number;
    const mHi = masks.masked[2 * r + 1] as number;
    forEachAu(pLo, pHi, (au) => bump(presentCount, au));
    if (table.auStatus[s] !== AuStatus.coded) {
      notCodedRows++;
      const open = ((masks.lo & ~mLo) | (masks.hi & ~mHi)) !== 0;
      if (!open) {
        nullRows.masked++;
        continue;
      }
      if (pLo === 0 && pHi === 0) nullRows.zero++;
      else nullRows.nonZero++;
      if (table.auStatus[s] === AuStatus.absent) nullRows.withoutLabel++;
      if (nullExamples.length < MAX_EXAMPLES) nullExamples.push(example(r, s));
      continue;
    }
    codedRows++;
    const lLo = table.auMask[2 * s] as number;
    const lHi = table.auMask[2 * s + 1] as number;
    forEachAu(lLo, lHi, (au) => bump(labelCount, au));
    if ((lLo & masks.lo) !== 0 || (lHi & masks.hi) !== 0) {
      codedWithAus++;
      if ((pLo | pHi | (mLo & masks.lo) | (mHi & masks.hi)) === 0) {
        allZero++;
        if (allZeroExamples.length < MAX_EXAMPLES) allZeroExamples.push(example(r, s));
        // Counted as differing rows instead, if too few for the all-zero finding.
        forEachAu(lLo & compareLo, lHi & compareHi, (au) => bump(allZeroFalseZero, au));
        allZeroRows.push(r);
        continue;
      }
    }
    const openLo = compareLo & ~mLo;
    const openHi = compareHi & ~mHi;
    const zeroLo = lLo & ~pLo & openLo;
    const zeroHi = lHi & ~pHi & openHi;
    const oneLo = pLo & ~lLo & openLo;
    const oneHi = pHi & ~lHi & openHi;
    if ((zeroLo | zeroHi | oneLo | oneHi) === 0) continue;
    forEachAu(zeroLo, zeroHi, (au) => bump(falseZero, au));
    forEachAu(oneLo, oneHi, (au) => bump(falseOne, au));
    differing.push(r);
  }

  const allZeroFound = allZero > 0 && allZero >= ALL_ZERO_SHARE * codedWithAus;
  if (!allZeroFound && allZeroRows.length > 0) {
    for (let au = 1; au <= 64; au++)
      falseZero[au] = (falseZero[au] as number) + (allZeroFalseZero[au] as number);
    differing.push(...allZeroRows);
    differing.sort((a, b) => a - b);
  }
  if (allZeroFound) {
    const all = allZero === codedWithAus;
    findings.push({
      kind: 'all-zero-coded',
      severity: 'error',
      title: 'All-zero targets for coded samples',
      count: allZero,
      of: codedWithAus,
      sentence: all
        ? `The AU targets your training code used are all zero for the ${count(allZero)} coded samples: the loader never read the AU labels.`
        : `The AU targets your training code used are all zero for ${count(allZero)} of the ${count(codedWithAus)} coded samples whose labels name an AU: those labels were not read.`,
      examples: allZeroExamples,
      detail: { all },
    });
  }

  const givenTargets = nullRows.zero + nullRows.nonZero;
  if (givenTargets > 0) {
    const zeroPart =
      nullRows.nonZero === 0
        ? 'were given 0 targets'
        : nullRows.zero === 0
          ? 'were given targets with AUs present'
          : `were given targets (${count(nullRows.zero)} all 0, ${count(nullRows.nonZero)} with AUs present)`;
    const who =
      nullRows.withoutLabel === givenTargets
        ? 'samples without an AU label'
        : nullRows.withoutLabel > 0
          ? `samples whose AU label is \`null\` (not coded) or missing (${count(nullRows.withoutLabel)})`
          : 'samples whose AU label is `null` (not coded)';
    findings.push({
      kind: 'null-as-zero',
      severity: 'error',
      title: '`null` read as 0',
      count: givenTargets,
      of: notCodedRows,
      sentence:
        `${givenTargets === notCodedRows ? `All ${count(givenTargets)}` : `${count(givenTargets)} of the ${count(notCodedRows)}`} ${who} ${zeroPart} ` +
        'instead of being masked (-1 or NaN) or left out: the model was taught that their AUs are absent.',
      examples: nullExamples,
      detail: { ...nullRows },
    });
  }

  // Columns: what the labels code that the dump has no column for, and the reverse.
  const columnAus = new Set(dump.aus);
  const missing: { au: number; count: number }[] = [];
  for (let au = 1; au <= 64; au++) {
    if ((labelCount[au] as number) > 0 && !columnAus.has(au))
      missing.push({ au, count: labelCount[au] as number });
  }
  missing.sort((a, b) => b.count - a.count || a.au - b.au);
  const extra = dump.aus
    .map((au, j) => ({
      column: dump.columnNames[j] as string,
      au,
      present: presentCount[au] as number,
    }))
    .filter((column) => codedRows > 0 && labelCount[column.au] === 0);
  if (missing.length > 0 || extra.length > 0) {
    // A chosen subset (the most coded AUs) is common and no mistake: a missing AU is
    // suspect when a rarer one has a column.
    const rarestKept = Math.min(
      ...dump.aus.map((au) => labelCount[au] as number).filter((n) => n > 0),
    );
    const suspect = missing.some((m) => m.count > rarestKept) || extra.some((e) => e.present > 0);
    const parts: string[] = [];
    if (missing.length > 0) {
      const named = missing
        .slice(0, 8)
        .map(
          (m, i) =>
            `AU${m.au} (${i === 0 ? plural(m.count, 'sample', 'samples') : count(m.count)})`,
        )
        .join(', ');
      parts.push(
        `The labels code ${plural(missing.length, 'AU', 'AUs')} the targets have no column for: ${named}${missing.length > 8 ? ` and ${missing.length - 8} more` : ''}.`,
      );
    }
    if (extra.length > 0) {
      parts.push(
        `The targets have ${plural(extra.length, 'column', 'columns')} for AUs the labels never code: ${extra
          .slice(0, 8)
          .map((e) =>
            e.present > 0
              ? `${e.column} (present in ${plural(e.present, 'row', 'rows')})`
              : e.column,
          )
          .join(', ')}${extra.length > 8 ? ` and ${extra.length - 8} more` : ''}.`,
      );
    }
    const examples: LoaderExample[] = [];
    const missingMask = { lo: 0, hi: 0 };
    for (const m of missing) {
      const { word, bit } = bitOf(m.au);
      if (word === 0) missingMask.lo = (missingMask.lo | bit) >>> 0;
      else missingMask.hi = (missingMask.hi | bit) >>> 0;
    }
    for (let r = 0; r < sampleOf.length && examples.length < MAX_EXAMPLES; r++) {
      const s = sampleOf[r] as number;
      if (s < 0 || table.auStatus[s] !== AuStatus.coded) continue;
      const lost = ausText(
        (table.auMask[2 * s] as number) & missingMask.lo,
        (table.auMask[2 * s + 1] as number) & missingMask.hi,
      );
      if (lost !== '') examples.push(example(r, s, `no column for ${lost}`));
    }
    findings.push({
      kind: 'missing-column',
      severity: suspect ? 'warning' : 'info',
      title: 'Missing or extra columns',
      count: missing.length + extra.length,
      of: k,
      sentence: parts.join(' '),
      examples,
      detail: { missing, extra },
    });
  }

  if (differing.length > 0) {
    const perAu = dump.aus
      .map((au, j) => ({
        au,
        column: dump.columnNames[j] as string,
        falseZero: falseZero[au] as number,
        falseOne: falseOne[au] as number,
      }))
      .filter((row) => row.falseZero + row.falseOne > 0)
      .sort((a, b) => b.falseZero + b.falseOne - (a.falseZero + a.falseOne) || a.au - b.au);
    const totalZero = perAu.reduce((sum, row) => sum + row.falseZero, 0);
    const totalOne = perAu.reduce((sum, row) => sum + row.falseOne, 0);
    const worst = perAu
      .slice(0, 3)
      .map(
        (row) => `${row.column} (${count(row.falseZero)} false 0, ${count(row.falseOne)} false 1)`,
      )
      .join(', ');
    const compared = codedRows - (allZeroFound ? allZero : 0);
    findings.push({
      kind: 'row-differs',
      severity: 'warning',
      title: 'Rows that differ from the labels',
      count: differing.length,
      of: compared,
      sentence:
        `${count(differing.length)} of the ${count(compared)} coded rows ${allZeroFound || moves.length > 0 || findings.some((f) => f.kind === 'order-mismatch') ? 'otherwise ' : ''}differ from the labels: ` +
        `${plural(totalZero, 'AU labelled present has', 'AUs labelled present have')} target 0, ${plural(totalOne, 'AU labelled absent has', 'AUs labelled absent have')} target 1; most in ${worst}.`,
      examples: differing.slice(0, MAX_EXAMPLES).map((r) => example(r, sampleOf[r] as number)),
      detail: { perAu },
    });
  }

  findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind],
  );

  let matched = 0;
  const unmatchedExamples: string[] = [];
  for (let r = 0; r < joined.sampleOf.length; r++) {
    if ((joined.sampleOf[r] as number) >= 0) matched++;
    else if (unmatchedExamples.length < MAX_EXAMPLES)
      unmatchedExamples.push(dump.images?.[r] ?? `row ${lineOf(r)}`);
  }
  let samplesWithoutRow = 0;
  const seen = new Uint8Array(table.count);
  for (const s of joined.sampleOf) if (s >= 0) seen[s] = 1;
  for (const s of joined.covered) if (!seen[s]) samplesWithoutRow++;

  const clean = findings.every((finding) => finding.severity === 'info') && matched > 0;
  const serious = findings.filter((finding) => finding.severity !== 'info');
  let verdict: string;
  if (matched === 0) {
    verdict =
      dump.images === null
        ? 'No target row could be paired with a sample: the dataset has no samples to pair them with.'
        : `None of the ${count(dump.rows)} target rows names an image of this dataset (for example ${unmatchedExamples.slice(0, 3).join(', ')}): nothing was compared.`;
  } else if (serious.length > 0) {
    const first = serious[0] as LoaderFinding;
    verdict =
      serious.length === 1
        ? (first.sentence.split(/(?<=\.)\s/)[0] ?? first.sentence)
        : `${first.sentence.split(/(?<=\.)\s/)[0] ?? first.sentence} ${serious.length - 1 === 1 ? 'One more finding follows.' : `${serious.length - 1} more findings follow.`}`;
  } else {
    verdict =
      `The AU targets match the labels: ${count(codedRows)} coded ${codedRows === 1 ? 'sample agrees' : 'samples agree'} on ${plural(k, 'AU column', 'AU columns')}` +
      (notCodedRows > 0 ? `, and the ${count(notCodedRows)} samples not coded are masked.` : '.');
  }

  return {
    version: LOADER_CHECK_VERSION,
    verdict,
    clean,
    findings,
    join: {
      by: dump.join,
      rows: dump.rows,
      matched,
      unmatched: dump.rows - matched,
      unmatchedExamples,
      samplesWithoutRow,
    },
    codedRows,
    notCodedRows,
    columns: k,
  };
}

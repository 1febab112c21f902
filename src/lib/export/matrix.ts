import { MAX_MASK_AU, isFacsAu, parseAuString } from '../labels/au';
import { AuStatus, type LabelScheme, type SampleTable, type SplitNames } from '../labels/types';
import type { SampleLabels, SourceFormat } from '../labels/types';
import { ByteLineSink, LineSink } from '../labels/text-out';
import { FORMATS } from '../formats/registry';
import { spreadsheetField } from './text';
import { textAt } from '../labels/text-column';

/**
 * The AU matrix: one row per exported sample, one column per AU, 1 = present,
 * 0 = absent, -1 = not coded. A `null` AU label (and a sample with no AU value at
 * all) writes -1 in EVERY AU column: "not coded" must never read as "no AU active",
 * or an AU loss learns that no AU is ever present. For the same reason a label that
 * names an AU without coding it readably (an unreadable token such as `L12L`, or the
 * action descriptor AD19) writes -1 in that AU's column, never 0.
 *
 * The columns are the same for every export of a dataset (exportAuColumns), so that
 * a model's AU head fits each of them.
 */

export const AU_MATRIX_FIXED_COLUMNS = ['image', 'class_id', 'class_name', 'split'] as const;

/** Matrix value codes. */
export const AuCell = { present: 1, absent: 0, notCoded: -1 } as const;

/** Every AU (1-64) present in a coded sample of those given, ascending. Action descriptors are not AUs. */
export function auColumnsOf(labels: SampleLabels, samples: Int32Array): number[] {
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < samples.length; k++) {
    const i = samples[k] as number;
    if (labels.auStatus[i] !== AuStatus.coded) continue;
    lo |= labels.auMask[2 * i] as number;
    hi |= labels.auMask[2 * i + 1] as number;
  }
  return ausOfWords(lo, hi);
}

function ausOfWords(lo: number, hi: number): number[] {
  const aus: number[] = [];
  for (let bit = 0; bit < 32; bit++) if ((lo >>> bit) & 1) aus.push(bit + 1);
  for (let bit = 0; bit < 32; bit++) if ((hi >>> bit) & 1) aus.push(bit + 33);
  return aus;
}

/**
 * Every AU coded in any sample of any of the label sets (all samples, exported or
 * not): the original labels and the corrected ones, so that two exports of one
 * dataset, whatever they keep, have the same columns, and a correction can add a
 * column (an AU no label had) but never take one away.
 */
export function datasetAuColumns(labelSets: readonly SampleLabels[]): number[] {
  let lo = 0;
  let hi = 0;
  for (const labels of labelSets) {
    const { auStatus, auMask } = labels;
    for (let i = 0; i < auStatus.length; i++) {
      if (auStatus[i] !== AuStatus.coded) continue;
      lo |= auMask[2 * i] as number;
      hi |= auMask[2 * i + 1] as number;
    }
  }
  return ausOfWords(lo, hi);
}

/** Where an export's AU columns come from (the README says which). */
export type AuColumnsRule = 'format' | 'dataset' | 'given';

export interface AuColumns {
  aus: number[];
  rule: AuColumnsRule;
}

/** The AUs a stored format's files code (LabelFormat.auVocabulary); null when it codes any. */
export function auVocabularyOf(format: SourceFormat): readonly number[] | null {
  return FORMATS.find((f) => f.sourceFormats.includes(format))?.auVocabulary ?? null;
}

export interface AuColumnsInput {
  /** The format's AU vocabulary (auVocabularyOf); null when it has none. */
  vocabulary: readonly number[] | null;
  /** The original labels. */
  table: SampleLabels;
  /** The labels after review (corrections applied); null when nobody reviewed. */
  final: SampleLabels | null;
  /** A list given for the export (a model's AU head). */
  given?: readonly number[] | null;
}

/**
 * The AU matrix's columns for an export, the same for every export of the dataset:
 * a list given for the export; otherwise the format's own AU vocabulary; otherwise
 * datasetAuColumns of the original and final labels (corrections applied or not).
 */
export function exportAuColumns(input: AuColumnsInput): AuColumns {
  if (input.given) return { aus: [...input.given], rule: 'given' };
  if (input.vocabulary) return { aus: [...input.vocabulary], rule: 'format' };
  const { table, final } = input;
  return { aus: datasetAuColumns(final ? [table, final] : [table]), rule: 'dataset' };
}

/**
 * The AU an unreadable token still names: its only run of digits, when that is a
 * FACS AU (`L12L` -> 12, `BL18` -> 18, `AU01` -> 1); null for none (`x`, ``) or
 * more than one (`1 2`).
 */
export function auNumberOfUnreadable(token: string): number | null {
  const runs = token.match(/\d+/g);
  if (!runs || runs.length !== 1) return null;
  const au = Number(runs[0]);
  return isFacsAu(au) ? au : null;
}

/** What an AU value names without coding it readably. */
export interface UncodedAus {
  /** Those AUs as two mask words (as SampleTable.auMask): -1 in their columns unless the mask has them. */
  lo: number;
  hi: number;
  /** Tokens outside the AU grammar, as written, with the AU they still name (null: none). */
  unreadable: readonly { token: string; au: number | null }[];
  /** Action descriptors as written (`AD19`). */
  descriptors: readonly string[];
}

const NOTHING_UNCODED: UncodedAus = { lo: 0, hi: 0, unreadable: [], descriptors: [] };

function wordsOf(aus: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const au of aus) {
    if (au < 1 || au > MAX_MASK_AU) continue;
    if (au <= 32) lo |= 1 << (au - 1);
    else hi |= 1 << (au - 33);
  }
  return [lo >>> 0, hi >>> 0];
}

/**
 * What an AU value text names without coding it: unreadable tokens that still name
 * an AU, and action descriptors, whose number FACS gives the same action as the AU
 * (AD19 Tongue Show was AU19). Neither may set an AU present; neither may leave it
 * to read as absent.
 */
export function uncodedAusOf(raw: string): UncodedAus {
  if (raw.trim() === '') return NOTHING_UNCODED;
  const parsed = parseAuString(raw);
  if (parsed.status !== 'coded') return NOTHING_UNCODED;
  const descriptors = parsed.tokens.filter((t) => t.kind === 'AD');
  if (parsed.unknown.length === 0 && descriptors.length === 0) return NOTHING_UNCODED;
  const unreadable = parsed.unknown.map((token) => ({ token, au: auNumberOfUnreadable(token) }));
  const [lo, hi] = wordsOf([
    ...unreadable.flatMap(({ au }) => (au === null ? [] : [au])),
    ...descriptors.map((t) => t.au),
  ]);
  return { lo, hi, unreadable, descriptors: descriptors.map((t) => t.raw) };
}

/** uncodedAusOf, parsed once per distinct text: a dataset repeats a few thousand. */
export function uncodedAusReader(): (raw: string) => UncodedAus {
  const known = new Map<string, UncodedAus>();
  return (raw) => {
    let uncoded = known.get(raw);
    if (uncoded === undefined) known.set(raw, (uncoded = uncodedAusOf(raw)));
    return uncoded;
  };
}

export interface AuMatrixInput {
  table: SampleTable;
  labels: SampleLabels;
  kept: Int32Array;
  scheme: LabelScheme;
  splitNames: SplitNames;
  /**
   * The AU columns (a model's AU head, or exportAuColumns); default every AU coded in
   * the table's and the labels' samples, exported or not (datasetAuColumns).
   */
  aus?: readonly number[];
}

/**
 * The class names and split names as written in the matrix ('' for none). The matrix
 * is opened in spreadsheets too: names that would run as a formula are neutralised.
 */
function namers(scheme: LabelScheme, splitNames: SplitNames) {
  const classNames = new Map(scheme.classes.map((c) => [c.id, spreadsheetField(c.name)]));
  return {
    className: (id: number) => (id < 0 ? '' : (classNames.get(id) ?? '')),
    splitName: (split: number) =>
      split < 0 ? '' : spreadsheetField(splitNames[String(split)] ?? String(split)),
  };
}

/**
 * The matrix as CSV text (comma, `\n`, UTF-8, final newline). Columns: image,
 * class_id (-1 = none), class_name, split (its name), then `AU<n>` per AU.
 */
export function writeAuMatrix(input: AuMatrixInput): string {
  const sink = new LineSink('\n');
  writeAuMatrixLines(input, sink);
  return sink.finish(true);
}

/**
 * The AU matrix as UTF-8 bytes, the same as utf8(writeAuMatrix(input)), told of its
 * bytes as they are written (see ByteLineSink): the export compresses its first pieces
 * while the rest is written.
 */
export function writeAuMatrixBytes(
  input: AuMatrixInput,
  onBytes?: (bytes: Uint8Array, length: number) => void,
): Uint8Array {
  const sink = new ByteLineSink('\n', onBytes);
  writeAuMatrixLines(input, sink);
  return sink.finish(true);
}

function writeAuMatrixLines(input: AuMatrixInput, sink: { push(line: string): void }): void {
  const { table, labels, kept } = input;
  const aus = input.aus ?? datasetAuColumns([table, labels]);
  for (const au of aus) {
    if (!Number.isInteger(au) || au < 1 || au > MAX_MASK_AU) {
      throw new RangeError(`AU column ${au} is outside 1-${MAX_MASK_AU}`);
    }
  }
  const { className, splitName } = namers(input.scheme, input.splitNames);
  sink.push([...AU_MATRIX_FIXED_COLUMNS, ...aus.map((au) => `AU${au}`)].join(','));
  const notCoded = `,${AuCell.notCoded}`.repeat(aus.length);
  // Word index and bit of each column, resolved once.
  const word = Int32Array.from(aus, (au) => (au <= 32 ? 0 : 1));
  const bit = Int32Array.from(aus, (au) => (au <= 32 ? au - 1 : au - 33));
  const cellsWith = (lo: number, hi: number, uncodedLo: number, uncodedHi: number): string => {
    const parts: string[] = [''];
    for (let c = 0; c < aus.length; c++) {
      const b = bit[c] as number;
      const first = word[c] === 0;
      if (((first ? lo : hi) >>> b) & 1) parts.push('1');
      else if (((first ? uncodedLo : uncodedHi) >>> b) & 1) parts.push('-1');
      else parts.push('0');
    }
    return parts.join(',');
  };
  // A dataset repeats a few thousand distinct AU sets: build each one's cells once.
  const cellsByMask = new Map<number, Map<number, string>>();
  const cellsOf = (lo: number, hi: number): string => {
    let byHi = cellsByMask.get(lo);
    if (!byHi) cellsByMask.set(lo, (byHi = new Map()));
    let cells = byHi.get(hi);
    if (cells === undefined) byHi.set(hi, (cells = cellsWith(lo, hi, 0, 0)));
    return cells;
  };
  const uncodedOf = uncodedAusReader();
  const classCells = new Map<number, string>();
  const classCell = (classId: number): string => {
    let cell = classCells.get(classId);
    if (cell === undefined) classCells.set(classId, (cell = `${classId},${className(classId)}`));
    return cell;
  };
  const splitCells = new Map<number, string>();
  const splitCell = (split: number): string => {
    let cell = splitCells.get(split);
    if (cell === undefined) splitCells.set(split, (cell = splitName(split)));
    return cell;
  };
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    let cells = notCoded;
    if (labels.auStatus[i] === AuStatus.coded) {
      const lo = labels.auMask[2 * i] as number;
      const hi = labels.auMask[2 * i + 1] as number;
      const uncoded = uncodedOf(labels.auRaw[i] ?? '');
      // A readable token of the same AU wins: the AU is coded present.
      const uncodedLo = uncoded.lo & ~lo;
      const uncodedHi = uncoded.hi & ~hi;
      cells =
        uncodedLo === 0 && uncodedHi === 0
          ? cellsOf(lo, hi)
          : cellsWith(lo, hi, uncodedLo, uncodedHi);
    }
    sink.push(
      `${spreadsheetField(textAt(table.names, i))},${classCell(labels.classIds[i] as number)},${splitCell(
        table.splits[i] as number,
      )}${cells}`,
    );
  }
}

/** A token as written and how many exported samples have it. */
export interface TokenCount {
  token: string;
  count: number;
}

/** What the README says about the matrix of one export, beyond its columns. */
export interface AuMatrixNotes {
  /** Exported coded samples with a token outside the AU grammar. */
  unreadableSamples: number;
  /** Those tokens that still name an AU (-1 in its column when the matrix has one), most frequent first. */
  unreadableWithAu: (TokenCount & { au: number })[];
  /** Those that name none: left out, the row's other AUs as they are. */
  unreadableWithoutAu: TokenCount[];
  /** Action descriptors of exported samples: no column of their own. */
  descriptors: TokenCount[];
  /** Exported samples coding an AU that has no column (a fixed vocabulary or a given list), and those AUs. */
  outsideColumns: { samples: number; aus: number[] };
}

function sortedCounts(counts: Map<string, number>): TokenCount[] {
  return [...counts]
    .map(([token, count]) => ({ token, count }))
    .sort((a, b) => b.count - a.count || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
}

/** What auMatrixNotes counts of the exported samples, for the README. */
export function auMatrixNotes(
  labels: SampleLabels,
  kept: Int32Array,
  aus: readonly number[],
): AuMatrixNotes {
  const [columnLo, columnHi] = wordsOf(aus);
  const uncodedOf = uncodedAusReader();
  const timesByValue = new Map<UncodedAus, number>();
  let outsideSamples = 0;
  let outsideLo = 0;
  let outsideHi = 0;
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    if (labels.auStatus[i] !== AuStatus.coded) continue;
    const lo = ((labels.auMask[2 * i] as number) & ~columnLo) >>> 0;
    const hi = ((labels.auMask[2 * i + 1] as number) & ~columnHi) >>> 0;
    if (lo !== 0 || hi !== 0) {
      outsideSamples++;
      outsideLo |= lo;
      outsideHi |= hi;
    }
    const uncoded = uncodedOf(labels.auRaw[i] ?? '');
    if (uncoded !== NOTHING_UNCODED)
      timesByValue.set(uncoded, (timesByValue.get(uncoded) ?? 0) + 1);
  }
  let unreadableSamples = 0;
  const withAu = new Map<string, number>();
  const auOf = new Map<string, number>();
  const withoutAu = new Map<string, number>();
  const descriptors = new Map<string, number>();
  for (const [uncoded, times] of timesByValue) {
    if (uncoded.unreadable.length > 0) unreadableSamples += times;
    // Samples, not tokens: `L12L+L12L` counts once.
    for (const [token, au] of new Map(uncoded.unreadable.map((u) => [u.token, u.au] as const))) {
      const counts = au === null ? withoutAu : withAu;
      counts.set(token, (counts.get(token) ?? 0) + times);
      if (au !== null) auOf.set(token, au);
    }
    for (const token of new Set(uncoded.descriptors))
      descriptors.set(token, (descriptors.get(token) ?? 0) + times);
  }
  return {
    unreadableSamples,
    unreadableWithAu: sortedCounts(withAu).map((c) => ({ ...c, au: auOf.get(c.token) as number })),
    unreadableWithoutAu: sortedCounts(withoutAu),
    descriptors: sortedCounts(descriptors),
    outsideColumns: { samples: outsideSamples, aus: ausOfWords(outsideLo >>> 0, outsideHi >>> 0) },
  };
}

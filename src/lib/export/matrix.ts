import { MAX_MASK_AU } from '../labels/au';
import { AuStatus, type LabelScheme, type SampleTable, type SplitNames } from '../labels/types';
import type { SampleLabels } from '../labels/types';
import { LineSink } from '../labels/text-out';
import { spreadsheetField } from './text';
import { textAt } from '../labels/text-column';

/**
 * The AU matrix: one row per exported sample, one column per AU, 1 = present,
 * 0 = absent, -1 = not coded. A `null` AU label (and a sample with no AU value at
 * all) writes -1 in EVERY AU column: "not coded" must never read as "no AU active",
 * or an AU loss learns that no AU is ever present.
 */

export const AU_MATRIX_FIXED_COLUMNS = ['image', 'class_id', 'class_name', 'split'] as const;

/** Matrix value codes. */
export const AuCell = { present: 1, absent: 0, notCoded: -1 } as const;

/** Every AU (1-64) present in a coded kept sample, ascending. Action descriptors are not AUs. */
export function auColumnsOf(labels: SampleLabels, kept: Int32Array): number[] {
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    if (labels.auStatus[i] !== AuStatus.coded) continue;
    lo |= labels.auMask[2 * i] as number;
    hi |= labels.auMask[2 * i + 1] as number;
  }
  const aus: number[] = [];
  for (let bit = 0; bit < 32; bit++) if ((lo >>> bit) & 1) aus.push(bit + 1);
  for (let bit = 0; bit < 32; bit++) if ((hi >>> bit) & 1) aus.push(bit + 33);
  return aus;
}

export interface AuMatrixInput {
  table: SampleTable;
  labels: SampleLabels;
  kept: Int32Array;
  scheme: LabelScheme;
  splitNames: SplitNames;
  /** The AU columns; default auColumnsOf(labels, kept). Give a fixed list to match a model's AU head. */
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
  const { table, labels, kept } = input;
  const aus = input.aus ?? auColumnsOf(labels, kept);
  for (const au of aus) {
    if (!Number.isInteger(au) || au < 1 || au > MAX_MASK_AU) {
      throw new RangeError(`AU column ${au} is outside 1-${MAX_MASK_AU}`);
    }
  }
  const { className, splitName } = namers(input.scheme, input.splitNames);
  const sink = new LineSink('\n');
  sink.push([...AU_MATRIX_FIXED_COLUMNS, ...aus.map((au) => `AU${au}`)].join(','));
  const notCoded = `,${AuCell.notCoded}`.repeat(aus.length);
  // Word index and bit of each column, resolved once.
  const word = Int32Array.from(aus, (au) => (au <= 32 ? 0 : 1));
  const bit = Int32Array.from(aus, (au) => (au <= 32 ? au - 1 : au - 33));
  // A dataset repeats a few thousand distinct AU sets: build each one's cells once.
  const cellsByMask = new Map<number, Map<number, string>>();
  const cellsOf = (lo: number, hi: number): string => {
    let byHi = cellsByMask.get(lo);
    if (!byHi) cellsByMask.set(lo, (byHi = new Map()));
    let cells = byHi.get(hi);
    if (cells === undefined) {
      const parts: string[] = [''];
      for (let c = 0; c < aus.length; c++) {
        parts.push(((word[c] === 0 ? lo : hi) >>> (bit[c] as number)) & 1 ? '1' : '0');
      }
      cells = parts.join(',');
      byHi.set(hi, cells);
    }
    return cells;
  };
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
    const cells =
      labels.auStatus[i] === AuStatus.coded
        ? cellsOf(labels.auMask[2 * i] as number, labels.auMask[2 * i + 1] as number)
        : notCoded;
    sink.push(
      `${spreadsheetField(textAt(table.names, i))},${classCell(labels.classIds[i] as number)},${splitCell(
        table.splits[i] as number,
      )}${cells}`,
    );
  }
  return sink.finish(true);
}

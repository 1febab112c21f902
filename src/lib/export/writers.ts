import { isNullAuValue, maskToAus } from '../labels/au';
import type { CsvMapping } from '../labels/csv';
import {
  AuStatus,
  type LabelScheme,
  type SampleTable,
  type SourceFile,
  type SourceFormat,
  type SplitNames,
} from '../labels/types';
import type { LabelColumns } from './policy';
import { LineSink, baseName, csvRow, encodeLike } from './text';
import { textAt } from '../labels/text-column';

/**
 * Drop-in label files in the format the data came in. Each file reproduces its
 * source's end-of-line, final newline, BOM and encoding; an AU value is written as
 * its raw text, so an untouched export with nothing dropped is byte-identical to
 * the imported files (given one space between image and value, as the real files
 * have; the readers accept any whitespace). Samples are written in table order.
 */

export interface ExportFile {
  /** Path inside the export (the bundle puts label files under `labels/`). */
  path: string;
  bytes: Uint8Array;
}

export interface LabelWriterInput {
  format: SourceFormat;
  table: SampleTable;
  /** The labels to write (corrected or original, see exportLabels). */
  labels: LabelColumns;
  /** Samples to write, in the order to write them. */
  kept: Int32Array;
  scheme: LabelScheme;
  splitNames: SplitNames;
  sourceFiles: readonly SourceFile[];
  /** For a generic CSV: the original header and column mapping (ImportResult.csv). */
  csv?: { columns: readonly string[]; mapping: CsvMapping } | null;
}

/** The AU value text of sample i; null when it has none (status absent). */
export function auValueText(labels: LabelColumns, i: number): string | null {
  const status = labels.auStatus[i];
  const raw = labels.auRaw[i] ?? '';
  if (status === AuStatus.null) return isNullAuValue(raw) ? raw : 'null';
  if (status !== AuStatus.coded) return null;
  // A coded value without text (built in code, not read from a file): spell its AUs.
  return raw.trim() === '' ? maskToAus(labels.auMask, i).join('+') : raw;
}

const DEFAULT_SOURCE: Omit<SourceFile, 'name' | 'role'> = {
  eol: '\n',
  finalNewline: true,
  bom: false,
  lines: 0,
};

// ---------------------------------------------------------------------------
// RAF-CE

const RAFCE_ROLES = ['emotion', 'au', 'split'] as const;
const RAFCE_DEFAULT_NAMES = {
  emotion: 'RAFCE_emolabel.txt',
  au: 'RAFCE_AUlabel.txt',
  split: 'RAFCE_partition.txt',
} as const;

/** `image value` files, one per role the source had (emotion, AU, partition). */
export function writeRafCe(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, sourceFiles } = input;
  const files: ExportFile[] = [];
  for (const role of RAFCE_ROLES) {
    let source = sourceFiles.find((f) => f.role === role);
    if (!source && sourceFiles.length === 0) {
      source = { ...DEFAULT_SOURCE, name: RAFCE_DEFAULT_NAMES[role], role };
    }
    if (!source) continue;
    const sink = new LineSink(source.eol);
    const names = table.names;
    for (let k = 0; k < kept.length; k++) {
      const i = kept[k] as number;
      let value: string | null = null;
      if (role === 'emotion') {
        const classId = labels.classIds[i] as number;
        if (classId >= 0) value = String(classId);
      } else if (role === 'split') {
        const split = table.splits[i] as number;
        if (split >= 0) value = String(split);
      } else {
        value = auValueText(labels, i);
      }
      if (value !== null) sink.push(`${textAt(names, i)} ${value}`);
    }
    files.push({
      path: baseName(source.name),
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    });
  }
  return files;
}

// ---------------------------------------------------------------------------
// RAF-DB

/**
 * `list_patition_label.txt`: `image classId` lines, the split in the image name.
 * Written under `basic/EmoLabel/` or `compound/EmoLabel/` as the dataset ships it
 * (the importer tells the compound subset by its path).
 */
export function writeRafDb(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, format } = input;
  const source = input.sourceFiles.find((f) => f.role === 'combined') ?? {
    ...DEFAULT_SOURCE,
    name: 'list_patition_label.txt',
    role: 'combined' as const,
  };
  const sink = new LineSink(source.eol);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const classId = labels.classIds[i] as number;
    // The reader rejects a line without a class: such a sample cannot be written.
    if (classId >= 0) sink.push(`${textAt(table.names, i)} ${classId}`);
  }
  const folder = format === 'raf-db-compound' ? 'compound' : 'basic';
  return [
    {
      path: `${folder}/EmoLabel/${baseName(source.name)}`,
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    },
  ];
}

// ---------------------------------------------------------------------------
// Generic CSV/TSV

type CsvRole = keyof CsvMapping;

/** Class names built by the CSV reader for id-coded files (`class 3`) are written back as ids. */
const PLACEHOLDER_CLASS = /^class -?\d+$/;
const PLACEHOLDER_SPLIT = /^split -?\d+$/;

function emotionTextOf(scheme: LabelScheme): (classId: number) => string {
  const names = new Map(scheme.classes.map((c) => [c.id, c.name]));
  const byIds = scheme.classes.every((c) => PLACEHOLDER_CLASS.test(c.name));
  return (classId) => {
    if (classId < 0) return '';
    const name = names.get(classId);
    return byIds || name === undefined ? String(classId) : name;
  };
}

function splitTextOf(splitNames: SplitNames): (split: number) => string {
  return (split) => {
    if (split < 0) return '';
    const name = splitNames[String(split)];
    return name === undefined || PLACEHOLDER_SPLIT.test(name) ? String(split) : name;
  };
}

/**
 * One CSV/TSV with a header. With the original header and mapping, the mapped
 * columns are written under their original names and in their original order;
 * columns mapped to no role are left out (the app does not keep their values).
 * Without them: `image, emotion, aus, split`. Emotion and split are written as
 * names, or as ids when the names are the placeholders the reader made for an
 * id-coded file. An absent AU value is an empty cell; `null` stays `null`.
 *
 * Cells are quoted as the user's file quoted them (csvField), never neutralised for
 * spreadsheets: this file goes back to the user's training script in the user's own
 * format, where a leading `'` would change an image name so that it no longer matches
 * its file, and an untouched export must stay byte-identical to the input. The files
 * made for people to open (au_matrix.csv, changelog.csv) are neutralised instead.
 */
export function writeGenericCsv(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, csv } = input;
  const source = input.sourceFiles.find((f) => f.role === 'combined') ?? {
    ...DEFAULT_SOURCE,
    name: 'labels.csv',
    role: 'combined' as const,
  };
  const delimiter = source.delimiter ?? ',';
  let columns: { name: string; role: CsvRole }[];
  if (csv) {
    const roleOf = new Map<string, CsvRole>();
    for (const role of ['image', 'emotion', 'au', 'split'] as const) {
      const column = csv.mapping[role];
      if (column !== null && !roleOf.has(column)) roleOf.set(column, role);
    }
    columns = csv.columns.flatMap((name) => {
      const role = roleOf.get(name);
      if (role === undefined) return [];
      roleOf.delete(name);
      return [{ name, role }];
    });
  } else {
    columns = [
      { name: 'image', role: 'image' },
      { name: 'emotion', role: 'emotion' },
      { name: 'aus', role: 'au' },
      { name: 'split', role: 'split' },
    ];
  }
  const emotionText = emotionTextOf(input.scheme);
  const splitText = splitTextOf(input.splitNames);
  const sink = new LineSink(source.eol);
  sink.push(
    csvRow(
      columns.map((c) => c.name),
      delimiter,
    ),
  );
  const cells = new Array<string>(columns.length);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    for (let c = 0; c < columns.length; c++) {
      const role = (columns[c] as { role: CsvRole }).role;
      cells[c] =
        role === 'image'
          ? textAt(table.names, i)
          : role === 'emotion'
            ? emotionText(labels.classIds[i] as number)
            : role === 'split'
              ? splitText(table.splits[i] as number)
              : (auValueText(labels, i) ?? '');
    }
    sink.push(csvRow(cells, delimiter));
  }
  return [
    { path: baseName(source.name), bytes: encodeLike(sink.finish(source.finalNewline), source) },
  ];
}

/** The drop-in label files for the dataset's format. */
export function writeLabelFiles(input: LabelWriterInput): ExportFile[] {
  switch (input.format) {
    case 'raf-ce':
      return writeRafCe(input);
    case 'raf-db-basic':
    case 'raf-db-compound':
      return writeRafDb(input);
    case 'generic-csv':
      return writeGenericCsv(input);
  }
}

/** Folder of the label files inside the export zip. */
export const LABELS_FOLDER = 'labels';

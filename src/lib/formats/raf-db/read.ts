import {
  baseName,
  columnsFromRecords,
  ImagesSeen,
  isCanonicalInteger,
  isDuplicateImage,
  makeProblem,
  nonCanonicalIdMessage,
  parseInteger,
  readLines,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import { RAFDB_BASIC_SCHEME, RAFDB_COMPOUND_SCHEME } from '../../labels/schemes';
import type { InputFile, LabelScheme, Problem } from '../../labels/types';

/**
 * RAF-DB: `EmoLabel/list_patition_label.txt` (sic), lines `train_00001.jpg 5`,
 * 1-based class ids; the split is in the image name's prefix. The compound subset
 * uses the same file name under `compound/`.
 */

export const RAFDB_FILE_NAME = 'list_patition_label.txt';

/** The dataset's misspelt name, and the spelling people fix it to. */
export function isRafDbFileName(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return name === RAFDB_FILE_NAME || name === 'list_partition_label.txt';
}

const SPLIT_PREFIXES: readonly [string, number][] = [
  ['train_', 0],
  ['test_', 1],
];

export function rafDbSplitOf(image: string): number | null {
  const name = baseName(image).toLowerCase();
  for (const [prefix, split] of SPLIT_PREFIXES) if (name.startsWith(prefix)) return split;
  return null;
}

/** Compound when any class id is above the basic range or the path says so. */
export function guessRafDbScheme(
  records: readonly Pick<LabelRecord, 'classId'>[],
  path = '',
): LabelScheme {
  const basicMax = Math.max(...RAFDB_BASIC_SCHEME.classes.map((c) => c.id));
  if (/compound/i.test(path)) return RAFDB_COMPOUND_SCHEME;
  return records.some((r) => (r.classId ?? 0) > basicMax)
    ? RAFDB_COMPOUND_SCHEME
    : RAFDB_BASIC_SCHEME;
}

export interface RafDbReadResult extends ReadResult {
  scheme: LabelScheme;
}

/**
 * Read a RAF-DB list file. Without a scheme, it is guessed from the ids and the
 * path (guessRafDbScheme) before ids are checked against it.
 */
export function readRafDb(file: InputFile, scheme?: LabelScheme): RafDbReadResult {
  const rowProblems = new Map<number, Problem[]>();
  const read = readLines(file, 'combined', (line, text, problems) => {
    const fields = text.trim().split(/\s+/);
    const [image = '', value = ''] = fields;
    if (fields.length !== 2) {
      problems.push(
        makeProblem(
          file.name,
          line,
          'column-count',
          'error',
          fields.length < 2 ? 'emotion' : 'line',
          text,
          `expected 2 fields 'image emotion', found ${fields.length}; row rejected`,
        ),
      );
      return null;
    }
    const classId = parseInteger(value);
    if (classId !== null && !isCanonicalInteger(value)) {
      problems.push(
        makeProblem(
          file.name,
          line,
          'unknown-class',
          'error',
          'emotion',
          value,
          `${nonCanonicalIdMessage('class id', value)}; row rejected`,
        ),
      );
      return null;
    }
    if (classId === null) {
      problems.push(
        makeProblem(
          file.name,
          line,
          'unknown-class',
          'error',
          'emotion',
          value,
          `class id '${value}' is not an integer; row rejected`,
        ),
      );
      return null;
    }
    const record: LabelRecord = { line, image, classId, split: -1 };
    const split = rafDbSplitOf(image);
    // The scheme may still be unknown here, so per-row problems wait for the second pass.
    if (split === null) {
      rowProblems.set(line, [
        makeProblem(
          file.name,
          line,
          'bad-split',
          'warning',
          'split',
          image,
          `image name '${image}' starts with neither train_ nor test_; kept without a split`,
        ),
      ]);
    } else {
      record.split = split;
    }
    return record;
  });

  const chosen = scheme ?? guessRafDbScheme(read.records, file.name);
  const seen = new ImagesSeen();
  const classIds = new Set(chosen.classes.map((c) => c.id));
  const records: LabelRecord[] = [];
  const problems = [...read.problems];
  for (const record of read.records) {
    problems.push(...(rowProblems.get(record.line) ?? []));
    const classId = record.classId ?? -1;
    if (!classIds.has(classId)) {
      problems.push(
        makeProblem(
          file.name,
          record.line,
          'unknown-class',
          'error',
          'emotion',
          String(classId),
          `class id '${classId}' is not in ${chosen.name}; row rejected`,
        ),
      );
      continue;
    }
    if (isDuplicateImage(seen, file.name, record.line, record.image, problems)) continue;
    records.push(record);
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    rows: columnsFromRecords(records),
    problems,
    rowsRead: read.rowsRead,
    source: read.source,
    scheme: chosen,
  };
}

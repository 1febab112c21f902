import {
  baseName,
  ImagesSeen,
  isDuplicateImage,
  makeProblem,
  parseInteger,
  auValueReader,
  readLines,
  type LabelRecord,
  type ReadResult,
} from './records';
import { RAFCE_SCHEME } from './schemes';
import type { InputFile, LabelScheme, ProblemKind } from './types';

/**
 * RAF-CE: three whitespace-separated files without a header, one `image value`
 * pair a line (Li et al., CVPR-W 2023).
 */

export type RafCeRole = 'emotion' | 'split' | 'au';

export const RAFCE_FILE_NAMES: Readonly<Record<RafCeRole, string>> = {
  emotion: 'RAFCE_emolabel.txt',
  split: 'RAFCE_partition.txt',
  au: 'RAFCE_AUlabel.txt',
};

/** The RAF-CE role a file name (with or without folders) stands for. */
export function rafCeRole(path: string): RafCeRole | null {
  const name = baseName(path).toLowerCase();
  for (const [role, fileName] of Object.entries(RAFCE_FILE_NAMES) as [RafCeRole, string][]) {
    if (name === fileName.toLowerCase()) return role;
  }
  return null;
}

/** Largest split id the Int8Array column can hold. */
const MAX_SPLIT_ID = 127;

/** `image value`; the value is the rest of the line after the first whitespace run. */
const IMAGE_VALUE = /^\s*(\S+)(?:\s+(.*))?$/;

function readRafCeFile(file: InputFile, role: RafCeRole, scheme: LabelScheme): ReadResult {
  const seen = new ImagesSeen();
  const valueField = role;
  const classIds = new Set(scheme.classes.map((c) => c.id));
  const readAu = auValueReader(file.name);
  return readLines(file, role, (line, text, problems) => {
    const match = IMAGE_VALUE.exec(text);
    const image = match?.[1] ?? '';
    const value = match?.[2] ?? '';
    const trimmed = value.trim();
    let kind: ProblemKind | null = null;
    let raw = trimmed;
    let message = '';
    const record: LabelRecord = { line, image };
    if (trimmed === '') {
      kind = 'column-count';
      raw = text;
      message = `expected 2 fields 'image ${valueField}', found 1; row rejected`;
    } else if (role !== 'au' && /\s/.test(trimmed)) {
      // The AU value may hold spaces inside it (`1 + 2`); the other files have one value only.
      kind = 'column-count';
      raw = text;
      message = `expected 2 fields 'image ${valueField}', found ${1 + trimmed.split(/\s+/).length}; row rejected`;
    } else if (role === 'emotion') {
      const classId = parseInteger(trimmed);
      if (classId === null || !classIds.has(classId)) {
        kind = 'unknown-class';
        message = `class id '${trimmed}' is not in ${scheme.name}; row rejected`;
      } else {
        record.classId = classId;
      }
    } else if (role === 'split') {
      const split = parseInteger(trimmed);
      if (split === null || split < 0 || split > MAX_SPLIT_ID) {
        kind = 'bad-split';
        message = `split id '${trimmed}' is not an integer 0-${MAX_SPLIT_ID}; row rejected`;
      } else {
        record.split = split;
      }
    }
    if (kind !== null) {
      const field = kind === 'column-count' ? valueField : role;
      problems.push(makeProblem(file.name, line, kind, 'error', field, raw, message));
      return null;
    }
    if (isDuplicateImage(seen, file.name, line, image, problems)) return null;
    // Trailing spaces are dropped for parsing; the exact text is kept for export.
    if (role === 'au') record.au = readAu(line, value, problems);
    return record;
  });
}

export function readRafCeEmotion(file: InputFile, scheme: LabelScheme = RAFCE_SCHEME): ReadResult {
  return readRafCeFile(file, 'emotion', scheme);
}

export function readRafCePartition(file: InputFile): ReadResult {
  return readRafCeFile(file, 'split', RAFCE_SCHEME);
}

export function readRafCeAu(file: InputFile): ReadResult {
  return readRafCeFile(file, 'au', RAFCE_SCHEME);
}

/** Read a RAF-CE file by its role. */
export function readRafCe(
  file: InputFile,
  role: RafCeRole,
  scheme: LabelScheme = RAFCE_SCHEME,
): ReadResult {
  return readRafCeFile(file, role, scheme);
}

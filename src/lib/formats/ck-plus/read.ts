import { auValueIssues, canonicalToken, parseAuString } from '../../labels/au';
import {
  baseName,
  columnsFromRecords,
  makeProblem,
  readLines,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import type { ReportFile } from '../../labels/report';
import { hasClass } from '../../labels/schemes';
import type { InputFile, LabelScheme, Problem, SourceFile } from '../../labels/types';
import { CK_PLUS_SCHEME } from './scheme';

/**
 * CK+ (Lucey et al., 2010): one small file per coded sequence, named after its peak
 * frame. `FACS/S005/001/S005_001_00000011_facs.txt` holds one line per AU,
 * `   1.0000000e+00   0.0000000e+00` (AU number, intensity: 0 not coded, 1-5 = A-E);
 * `Emotion/S005/001/S005_001_00000011_emotion.txt`, where the sequence has one, holds
 * the emotion code `   3.0000000e+00`. Each sample is the peak frame's image,
 * `S005/001/S005_001_00000011.png`, with its AUs as one AU string (`1E+2C+5B+25`).
 */

export type CkRole = 'au' | 'emotion';

const CK_FILE_NAME = /^(S\d+)_(\d+)_(\d+)_(facs|emotion)\.txt$/i;
const ROLE_SUFFIX = /_(facs|emotion)$/i;

/** The CK+ role a file's name gives it, by its `_facs.txt` or `_emotion.txt` ending. */
export function ckRoleOfName(path: string): CkRole | null {
  const name = baseName(path).toLowerCase();
  if (name.endsWith('_facs.txt')) return 'au';
  if (name.endsWith('_emotion.txt')) return 'emotion';
  return null;
}

export interface CkSampleName {
  /** `S005/001/S005_001_00000011.png`, as CK+'s images are laid out. */
  image: string;
  /** `S005_001_00000011`: the file name without its role and extension. */
  stem: string;
  /** `S005` and `001` when the file is named as CK+ names them; null otherwise. */
  subject: string | null;
  sequence: string | null;
}

/**
 * The sample a CK+ file is about, by its name. A file named otherwise (renamed, or
 * made by hand) is the sample of its name without `_facs`/`_emotion` and extension,
 * `<stem>.png`: its FACS and emotion files still meet when their stems agree.
 */
export function ckSampleOf(path: string): CkSampleName {
  const name = baseName(path);
  const ck = CK_FILE_NAME.exec(name);
  if (ck) {
    const [, subject, sequence, frame] = ck as unknown as [string, string, string, string];
    const stem = `${subject}_${sequence}_${frame}`;
    return { image: `${subject}/${sequence}/${stem}.png`, stem, subject, sequence };
  }
  const dot = name.lastIndexOf('.');
  const stem = (dot > 0 ? name.slice(0, dot) : name).replace(ROLE_SUFFIX, '');
  return { image: `${stem}.png`, stem, subject: null, sequence: null };
}

/** Where a written CK+ file goes: CK+'s own folders for CK+'s names, else its name alone. */
export function ckFilePath(name: string, role: CkRole): string {
  const { subject, sequence } = ckSampleOf(name);
  if (subject === null || sequence === null) return baseName(name);
  return `${role === 'au' ? 'FACS' : 'Emotion'}/${subject}/${sequence}/${baseName(name)}`;
}

/**
 * A number as CK+ writes it: MATLAB's `save -ascii`, `%16.7e` with a two-digit
 * exponent, so `1` is `   1.0000000e+00` (three spaces, sixteen characters).
 */
export function ckNumber(value: number): string {
  const [mantissa, exponent = '+0'] = value.toExponential(7).split('e') as [string, string?];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`.padStart(16, ' ');
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseCkNumber(text: string): number | null {
  return NUMBER.test(text) ? Number(text) : null;
}

const INTENSITY_LETTERS = ['', 'A', 'B', 'C', 'D', 'E'] as const;

/** The intensity CK+ writes for an AU token: 1-5 for A-E, 0 without a letter (not coded). */
export function intensityNumber(letter: string | null): number {
  const at = letter === null ? -1 : INTENSITY_LETTERS.indexOf(letter as 'A');
  return at > 0 ? at : 0;
}

function fieldsOf(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/**
 * What the lines of a file are by content alone: a FACS file (two numbers a line, a
 * whole AU number and an intensity 0-5) or an emotion file (one line, one code 0-7);
 * ckFormat: every number written as CK+ writes it.
 */
export function ckContent(lines: readonly string[]): { role: CkRole; ckFormat: boolean } | null {
  if (lines.length === 0) return null;
  const rows = lines.map((line) => fieldsOf(line).map(parseCkNumber));
  const whole = (n: number | null | undefined, min: number, max: number): n is number =>
    n !== null && n !== undefined && Number.isInteger(n) && n >= min && n <= max;
  const written = (numbers: (number | null)[]) => numbers.map((n) => ckNumber(n ?? 0)).join('');
  const ckFormat = lines.every((line, at) => line === written(rows[at] as (number | null)[]));
  if (rows.every((row) => row.length === 2 && whole(row[0], 1, 999) && whole(row[1], 0, 5)))
    return { role: 'au', ckFormat };
  if (rows.length === 1 && rows[0]?.length === 1 && whole(rows[0][0], 0, 7))
    return { role: 'emotion', ckFormat };
  return null;
}

/** What one file gave. */
interface FileRead {
  source: SourceFile | null;
  rowsRead: number;
  accepted: number;
  /** The AU tokens (FACS file) in line order, or the class id (emotion file). */
  tokens: string[];
  classId: number;
  /** The first accepted line. */
  line: number;
}

const CK_LINE_EXAMPLE = `${ckNumber(1)}${ckNumber(0)}`;

function readFacsFile(file: InputFile, problems: Problem[]): FileRead {
  const tokens: string[] = [];
  let noted = false;
  const read = readLines(file, 'au', (line, text, lineProblems) => {
    const reject = (field: string, raw: string, message: string) => {
      lineProblems.push(
        makeProblem(
          file.name,
          line,
          'bad-au-token',
          'error',
          field,
          raw,
          `${message}; row rejected`,
        ),
      );
      return null;
    };
    const fields = fieldsOf(text);
    if (fields.length !== 2) {
      lineProblems.push(
        makeProblem(
          file.name,
          line,
          'column-count',
          'error',
          'line',
          text,
          `expected 2 fields 'AU intensity', found ${fields.length}; row rejected`,
        ),
      );
      return null;
    }
    const [auText, intensityText] = fields as [string, string];
    const au = parseCkNumber(auText);
    if (au === null) return reject('au', auText, `AU number '${auText}' is not a number`);
    if (!Number.isInteger(au) || au < 1 || au > 999)
      return reject('au', auText, `AU number '${auText}' is not a whole number 1-999`);
    const intensity = parseCkNumber(intensityText);
    if (intensity === null || !Number.isInteger(intensity) || intensity < 0 || intensity > 5)
      return reject(
        'intensity',
        intensityText,
        `intensity '${intensityText}' is not 0 (not coded) or 1-5 (A-E)`,
      );
    if (!noted && text !== ckNumber(au) + ckNumber(intensity)) {
      // Once a file: the export writes CK+'s own spelling, so this file would not come back as it was.
      noted = true;
      lineProblems.push(
        makeProblem(
          file.name,
          line,
          'bad-au-token',
          'warning',
          'line',
          text,
          `not written as CK+ writes its numbers ('${CK_LINE_EXAMPLE}'); read, but an export writes CK+'s spelling`,
        ),
      );
    }
    const letter = INTENSITY_LETTERS[intensity] ?? '';
    const token = canonicalToken({
      raw: '',
      au,
      kind: 'AU',
      side: null,
      intensity: letter === '' ? null : letter,
    });
    for (const issue of auValueIssues(parseAuString(token)))
      lineProblems.push(
        makeProblem(file.name, line, 'bad-au-token', 'warning', 'au', issue.raw, issue.message),
      );
    tokens.push(token);
    return { line, image: '' };
  });
  for (const problem of read.problems) problems.push(problem);
  return {
    source: read.source,
    rowsRead: read.rowsRead,
    accepted: read.records.length,
    tokens,
    classId: -1,
    line: read.records[0]?.line ?? 0,
  };
}

function readEmotionFile(file: InputFile, scheme: LabelScheme, problems: Problem[]): FileRead {
  let classId = -1;
  let firstLine = 0;
  const read = readLines(file, 'emotion', (line, text, lineProblems) => {
    const reject = (kind: Problem['kind'], field: string, raw: string, message: string) => {
      lineProblems.push(
        makeProblem(file.name, line, kind, 'error', field, raw, `${message}; row rejected`),
      );
      return null;
    };
    if (firstLine > 0)
      return reject(
        'column-count',
        'line',
        text,
        `a CK+ emotion file holds one code, given on line ${firstLine}`,
      );
    firstLine = line;
    const fields = fieldsOf(text);
    if (fields.length !== 1)
      return reject(
        'column-count',
        'line',
        text,
        `expected 1 field 'emotion', found ${fields.length}`,
      );
    const raw = fields[0] as string;
    const code = parseCkNumber(raw);
    if (code === null || !Number.isInteger(code) || !hasClass(scheme, code))
      return reject(
        'unknown-class',
        'emotion',
        raw,
        `emotion code '${raw}'${code === null ? '' : ` (${code})`} is not in ${scheme.name}`,
      );
    if (text !== ckNumber(code))
      lineProblems.push(
        makeProblem(
          file.name,
          line,
          'unknown-class',
          'warning',
          'emotion',
          text,
          `not written as CK+ writes its codes ('${ckNumber(code)}'); read, but an export writes CK+'s spelling`,
        ),
      );
    classId = code;
    return { line, image: '' };
  });
  for (const problem of read.problems) problems.push(problem);
  return {
    source: read.source,
    rowsRead: read.rowsRead,
    accepted: read.records.length,
    tokens: [],
    classId,
    line: read.records[0]?.line ?? 0,
  };
}

export interface CkPlusRead {
  /** Every sample of every file, in one read (sorted by image name). */
  read: ReadResult;
  /** Each file read, as the writer needs it back. */
  sourceFiles: SourceFile[];
  reportFiles: ReportFile[];
  /** Whether an emotion file was given (else the dataset has AUs only). */
  hasEmotion: boolean;
}

/** The role of a file: the given one, or what its name or content says. */
export function ckRoleOf(file: InputFile, given: SourceFile['role']): CkRole {
  if (given === 'au' || given === 'emotion') return given;
  return ckRoleOfName(file.name) ?? 'au';
}

interface SampleParts {
  image: string;
  line: number;
  au?: string;
  classId?: number;
}

/**
 * Reads CK+'s FACS and emotion files into one set of samples. A line that is not two
 * numbers, an AU number that is not whole, an intensity outside 0-5 or an emotion
 * code outside the scheme is a problem naming the file, line and field, the rest of
 * the file read; a second file for the same sample and role is not read.
 */
export function readCkPlus(
  files: readonly { file: InputFile; role: SourceFile['role'] }[],
  scheme: LabelScheme = CK_PLUS_SCHEME,
): CkPlusRead {
  const problems: Problem[] = [];
  const sourceFiles: SourceFile[] = [];
  const reportFiles: ReportFile[] = [];
  const samples = new Map<string, SampleParts>();
  /** The file already read for each role and sample. */
  const fileOf = new Map<string, string>();
  let rowsRead = 0;
  let hasEmotion = false;
  for (const { file, role: given } of files) {
    const role = ckRoleOf(file, given);
    const { image } = ckSampleOf(file.name);
    const key = `${role}\n${image}`;
    const earlier = fileOf.get(key);
    if (earlier !== undefined) {
      problems.push(
        makeProblem(
          file.name,
          0,
          'duplicate-image',
          'error',
          'file',
          image,
          `sample '${image}' already has ${role === 'au' ? 'a FACS' : 'an emotion'} file (${earlier}); not read`,
        ),
      );
      reportFiles.push({ name: file.name, role, lines: 0, accepted: 0 });
      continue;
    }
    fileOf.set(key, file.name);
    const read =
      role === 'au' ? readFacsFile(file, problems) : readEmotionFile(file, scheme, problems);
    if (role === 'emotion') hasEmotion = true;
    rowsRead += read.rowsRead;
    if (read.source) sourceFiles.push(read.source);
    reportFiles.push({ name: file.name, role, lines: read.rowsRead, accepted: read.accepted });
    if (read.accepted === 0) continue;
    let sample = samples.get(image);
    if (!sample) {
      sample = { image, line: read.line };
      samples.set(image, sample);
    }
    if (role === 'au') {
      sample.au = read.tokens.join('+');
      sample.line = read.line;
    } else {
      sample.classId = read.classId;
    }
  }
  const records: LabelRecord[] = [...samples.values()]
    .sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0))
    .map((sample) => {
      const record: LabelRecord = { line: sample.line, image: sample.image };
      if (sample.classId !== undefined) record.classId = sample.classId;
      // Its tokens' issues were told on their own lines.
      if (sample.au !== undefined) record.au = { raw: sample.au, parsed: parseAuString(sample.au) };
      return record;
    });
  return {
    read: {
      rows: columnsFromRecords(records),
      problems,
      rowsRead,
      source: sourceFiles[0] ?? null,
    },
    sourceFiles,
    reportFiles,
    hasEmotion,
  };
}

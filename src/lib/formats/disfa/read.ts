import type { AuIntensity } from '../../labels/au';
import {
  baseName,
  columnsFromRecords,
  emptyLabelColumns,
  makeProblem,
  readLines,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import type { ReportFile } from '../../labels/report';
import type { InputFile, Problem, SourceFile } from '../../labels/types';
import {
  AuValues,
  FRAME_NUMBER,
  FramesSeen,
  badFrameMessage,
  encodeRuns,
  encodeSide,
  frameImageName,
  frameNumberAt,
  frameOrderProblem,
  joinedFile,
  naturalOrder,
  repeatedFrameProblem,
} from '../frames';

/**
 * DISFA (Mavadati et al., 2013) AU intensities: one file per subject and AU,
 * `SN001_au12.txt`, a `frame,intensity` line per frame (intensity 0-5). A subject's
 * files are joined by frame: sample `SN001/<frame:05d>.jpg`.
 *
 * Presence. An AU is present in a frame when its intensity is at or above the
 * presence threshold (2 by common use; some use 1). The frame's AU string holds the
 * present AUs and only them, each with its intensity as a letter (1-5: A-E), so
 * `1B+12C` is AU 1 at 2 and AU 12 at 3: everywhere in the app the AU string decides
 * presence, and this one decides it as the threshold does. An intensity below the
 * threshold but above 0 cannot be in the string without counting as present; it is
 * kept as the file's side values (SourceFile.sideValues: the threshold, then the
 * frames of each such intensity as runs, `t=2;1=40-52,97`), with the frames a file
 * lacks that the subject's other files give (`-=...`). The writer takes a present
 * AU's intensity from its letter, an absent one's from the side values (else 0), so
 * an untouched export gives every file back byte for byte.
 */

/** The AUs DISFA codes, in its order. */
export const DISFA_AUS: readonly number[] = [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26];

/** An intensity at or above this is a present AU, unless the import says otherwise. */
export const DEFAULT_PRESENCE_THRESHOLD = 2;

export const INTENSITY_LETTERS: readonly AuIntensity[] = ['A', 'B', 'C', 'D', 'E'];

/** The threshold a setting gives; anything but a whole intensity 1-5 is the caller's bug. */
export function presenceThresholdOf(setting: number | undefined): number {
  const threshold = setting ?? DEFAULT_PRESENCE_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 5)
    throw new RangeError(`presence threshold ${threshold} is not a whole intensity 1-5`);
  return threshold;
}

const FILE_NAME = /^(.+)_au0*([1-9]\d?)\.txt$/i;

/** The subject and AU a file's name gives (`SN001_au12.txt`); null when it does not. */
export function disfaFileOf(path: string): { subject: string; au: number } | null {
  const match = FILE_NAME.exec(baseName(path));
  return match ? { subject: match[1] as string, au: Number(match[2]) } : null;
}

/** DISFA's own subjects are SN001...; the name pattern raises detection's confidence. */
export function isDisfaFileName(path: string): boolean {
  return /^SN\d{3}$/i.test(disfaFileOf(path)?.subject ?? '');
}

/** One DISFA file, read. */
export interface DisfaFileRead {
  subject: string;
  au: number;
  /** Accepted lines, in file order. */
  frames: number[];
  intensities: number[];
  lines: number[];
  problems: Problem[];
  rowsRead: number;
  /** null when the file could not be decoded. */
  source: SourceFile | null;
}

const DIGIT_0 = 48;

/** A line's frame and intensity, or null when it is refused (its problem pushed). */
function checkLine(
  fileName: string,
  line: number,
  text: string,
  au: number,
  problems: Problem[],
): { frame: number; intensity: number } | null {
  const fields = text.split(',');
  if (fields.length !== 2) {
    problems.push(
      makeProblem(
        fileName,
        line,
        'column-count',
        'error',
        'line',
        text,
        `expected 2 fields 'frame,intensity', found ${fields.length}; row rejected`,
      ),
    );
    return null;
  }
  const [frameText, intensityText] = fields as [string, string];
  if (!FRAME_NUMBER.test(frameText)) {
    problems.push(
      makeProblem(
        fileName,
        line,
        'missing-value',
        'error',
        'frame',
        frameText,
        badFrameMessage(frameText),
      ),
    );
    return null;
  }
  if (!/^[0-5]$/.test(intensityText)) {
    problems.push(
      makeProblem(
        fileName,
        line,
        'bad-au-token',
        'error',
        `AU${au}`,
        intensityText,
        `AU${au} intensity '${intensityText}' is not a whole number 0-5; row rejected`,
      ),
    );
    return null;
  }
  return { frame: Number(frameText), intensity: Number(intensityText) };
}

export function readDisfaFile(file: InputFile, subject: string, au: number): DisfaFileRead {
  const frames: number[] = [];
  const intensities: number[] = [];
  const lines: number[] = [];
  const seen = new FramesSeen();
  const read = readLines(file, 'au', (line, text, problems) => {
    // The usual line, `1234,2`, is read from its characters; any other is looked into.
    const comma = text.indexOf(',');
    let frame = comma === text.length - 2 ? frameNumberAt(text, 0, comma) : -1;
    let intensity = text.charCodeAt(text.length - 1) - DIGIT_0;
    if (frame < 0 || intensity < 0 || intensity > 5) {
      const checked = checkLine(file.name, line, text, au, problems);
      if (!checked) return null;
      ({ frame, intensity } = checked);
    }
    const firstLine = seen.firstLineOrAdd(frame, line);
    if (firstLine !== undefined) {
      problems.push(repeatedFrameProblem(file.name, line, frame, firstLine));
      return null;
    }
    if (frame < seen.highest)
      problems.push(frameOrderProblem(file.name, line, frame, seen.highest));
    frames.push(frame);
    intensities.push(intensity);
    lines.push(line);
    return null;
  });
  return {
    subject,
    au,
    frames,
    intensities,
    lines,
    problems: read.problems,
    rowsRead: read.rowsRead,
    source: read.source,
  };
}

/** The files of a DISFA import, read into one read of all subjects' frames. */
export interface DisfaRead {
  read: ReadResult;
  /** The file the joined read stands for (named after the files). */
  file: InputFile;
  sourceFiles: SourceFile[];
  reportFiles: ReportFile[];
  /** Files refused as a whole (a name that gives no subject or AU, a second file for one). */
  problems: Problem[];
}

/**
 * Reads every file and joins each subject's files by frame. Subjects in their natural
 * order, a subject's frames in its files' order when they all list the same frames
 * (as DISFA's do), in ascending order otherwise.
 */
export function readDisfaFiles(files: readonly InputFile[], threshold: number): DisfaRead {
  const problems: Problem[] = [];
  const bySubject = new Map<string, Map<number, InputFile>>();
  for (const file of files) {
    const named = disfaFileOf(file.name);
    if (!named) {
      problems.push(
        makeProblem(
          file.name,
          0,
          'unknown-file',
          'error',
          'file',
          file.name,
          'the file name does not say whose frames and which AU it holds (expected <subject>_au<AU>.txt, as SN001_au12.txt); not read',
        ),
      );
      continue;
    }
    let ofSubject = bySubject.get(named.subject);
    if (!ofSubject) bySubject.set(named.subject, (ofSubject = new Map()));
    const first = ofSubject.get(named.au);
    if (first)
      problems.push(
        makeProblem(
          file.name,
          0,
          'unknown-file',
          'error',
          'file',
          file.name,
          `a second file for AU ${named.au} of ${named.subject}; only ${first.name} is read`,
        ),
      );
    else ofSubject.set(named.au, file);
  }

  const readProblems: Problem[] = [];
  const reportFiles: ReportFile[] = [];
  const sourceFiles: SourceFile[] = [];
  const records: LabelRecord[] = [];
  const auValues = new AuValues();
  const subjects = [...bySubject.keys()].sort(naturalOrder);
  const readOf = new Map<string, DisfaFileRead[]>();
  const allAus = new Set<number>();
  let rowsRead = 0;
  for (const subject of subjects) {
    const ofSubject = bySubject.get(subject) as Map<number, InputFile>;
    const reads: DisfaFileRead[] = [];
    for (const au of [...ofSubject.keys()].sort((a, b) => a - b)) {
      const file = ofSubject.get(au) as InputFile;
      const one = readDisfaFile(file, subject, au);
      for (const problem of one.problems) readProblems.push(problem);
      rowsRead += one.rowsRead;
      if (!one.source) continue;
      reads.push(one);
      allAus.add(au);
      reportFiles.push({
        name: file.name,
        role: 'au',
        lines: one.rowsRead,
        accepted: one.frames.length,
      });
    }
    readOf.set(subject, reads);
  }
  for (const subject of subjects) {
    const reads = readOf.get(subject) as DisfaFileRead[];
    const first = reads[0];
    if (!first) continue;
    const missing = [...allAus].filter((au) => !reads.some((r) => r.au === au));
    if (missing.length > 0) {
      const names = missing.map((au) => `${subject}_au${au}.txt`).join(', ');
      readProblems.push(
        makeProblem(
          (first.source as SourceFile).name,
          0,
          'missing-value',
          'warning',
          'file',
          names,
          `${subject} has no file for AU ${missing.join(', AU ')}, which other subjects have (${names}): those AUs are read as absent in ${subject}'s frames`,
        ),
      );
    }
    joinSubject(subject, reads, threshold, auValues, records, readProblems, sourceFiles);
  }
  const read: ReadResult = {
    rows: records.length > 0 ? columnsFromRecords(records) : emptyLabelColumns(),
    problems: readProblems,
    rowsRead,
    source: sourceFiles[0] ?? null,
  };
  const inputs = subjects.flatMap((s) => [
    ...(bySubject.get(s) as Map<number, InputFile>).values(),
  ]);
  return { read, file: joinedFile(inputs, 'DISFA'), sourceFiles, reportFiles, problems };
}

/** The frames every file lists, in the files' order when they agree, else ascending. */
function framesOfSubject(reads: readonly DisfaFileRead[]): number[] {
  const first = (reads[0] as DisfaFileRead).frames;
  const agree = reads.every(
    ({ frames }) => frames.length === first.length && frames.every((f, k) => f === first[k]),
  );
  if (agree) return first;
  const all = new Set<number>();
  for (const { frames } of reads) for (const frame of frames) all.add(frame);
  return [...all].sort((a, b) => a - b);
}

function joinSubject(
  subject: string,
  reads: readonly DisfaFileRead[],
  threshold: number,
  auValues: AuValues,
  records: LabelRecord[],
  problems: Problem[],
  sourceFiles: SourceFile[],
): void {
  const frames = framesOfSubject(reads);
  const count = frames.length;
  const indexOf = new Map<number, number>();
  frames.forEach((frame, k) => indexOf.set(frame, k));
  /** Per file, per frame of the subject: its intensity, -1 where the file lacks the frame. */
  const values = reads.map(({ frames: own, intensities }) => {
    const column = new Int8Array(count).fill(-1);
    own.forEach((frame, k) => (column[indexOf.get(frame) as number] = intensities[k] as number));
    return column;
  });
  const lineOf = new Int32Array(count);
  for (let r = reads.length - 1; r >= 0; r--) {
    const { frames: own, lines } = reads[r] as DisfaFileRead;
    own.forEach((frame, k) => (lineOf[indexOf.get(frame) as number] = lines[k] as number));
  }
  for (let k = 0; k < count; k++) {
    let raw = '';
    for (let r = 0; r < reads.length; r++) {
      const value = (values[r] as Int8Array)[k] as number;
      if (value < threshold) continue;
      if (raw !== '') raw += '+';
      raw += `${(reads[r] as DisfaFileRead).au}${INTENSITY_LETTERS[value - 1]}`;
    }
    records.push({
      line: lineOf[k] as number,
      image: frameImageName(subject, frames[k] as number),
      au: auValues.of(raw),
    });
  }
  reads.forEach((one, r) => {
    const column = values[r] as Int8Array;
    const below: number[][] = Array.from({ length: threshold }, () => []);
    const lacking: number[] = [];
    for (let k = 0; k < count; k++) {
      const value = column[k] as number;
      if (value < 0) lacking.push(frames[k] as number);
      else if (value > 0 && value < threshold) (below[value] as number[]).push(frames[k] as number);
    }
    const entries: [string, string][] = [['t', String(threshold)]];
    below.forEach((list, value) => {
      if (list.length > 0) entries.push([String(value), encodeRuns(list)]);
    });
    const source = one.source as SourceFile;
    if (lacking.length > 0) {
      entries.push(['-', encodeRuns(lacking)]);
      problems.push(
        makeProblem(
          source.name,
          0,
          'missing-value',
          'warning',
          'frame',
          String(lacking[0]),
          `${lacking.length} frame${lacking.length === 1 ? '' : 's'} of ${subject} that its other AU files give ${lacking.length === 1 ? 'is' : 'are'} not in this file (the first: frame ${lacking[0]}): AU ${one.au} is read as absent in ${lacking.length === 1 ? 'it' : 'them'}`,
        ),
      );
    }
    sourceFiles.push({ ...source, sideValues: encodeSide(entries) as string });
  });
}

import { frameImageName } from '../frames';
import { isFacsAu, parseAuString } from '../../labels/au';
import { baseName, makeProblem, readLines, type AuValue } from '../../labels/records';
import type { InputFile, Problem, SourceFile } from '../../labels/types';

/**
 * OpenFace 2 output (Baltrusaitis et al., FG 2018): a CSV per image (FaceLandmarkImg,
 * `face, confidence, ...`, one row per face, named after the image) or per video
 * (FeatureExtraction, `frame, face_id, timestamp, confidence, success, ...`, one row
 * per frame), each with landmark, pose and gaze columns and then, per AU, `AUxx_r`
 * (intensity 0-5) and `AUxx_c` (presence 0/1). Fields are separated by `, `.
 *
 * Only what says which AUs a face shows is read: the frame, the face, whether the
 * face was tracked, and the AU columns. The rest of a row is counted, not kept.
 */

/** The AUs OpenFace 2 estimates, in its order (AU28 has a presence column only). */
export const OPENFACE_AUS: readonly number[] = [
  1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 28, 45,
];

/**
 * The `_r` intensity at or above which an AU counts as present, for an AU a file gives
 * no `_c` column for: 1, FACS intensity A (trace). OpenFace's own `_c` column, a
 * classifier trained for presence, is used wherever a file has it.
 */
export const DEFAULT_PRESENCE_THRESHOLD = 1;

/** The highest intensity OpenFace writes (FACS E). */
const MAX_INTENSITY = 5;

/** `AU01_r`, `AU45_c`: an AU's intensity (r) or presence (c) column. */
const AU_COLUMN = /^AU(\d{1,3})_([rc])$/;
/** Any column that looks meant as one (`AU_r`, `au3_c`, `AU01_x`... are reported). */
const AU_LIKE_COLUMN = /^AU.*_[rc]$/i;
/** A number as OpenFace writes it (`0`, `1.00`, `-0.000`, `2.5e-05`). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const WHOLE_NUMBER = /^\d+$/;

/** Characters of a rejected line kept as its problem's raw text (a row is thousands). */
const RAW_CHARS = 200;

/** Where a file's rows come from: a still (FaceLandmarkImg) or a video's frames (FeatureExtraction). */
export type OpenFaceKind = 'image' | 'video';

/** What a header says: where each column is read from (-1: absent). */
export interface OpenFaceHeader {
  /** Column names, trimmed. */
  columns: string[];
  kind: OpenFaceKind;
  frame: number;
  /** `face_id` (FeatureExtraction) or `face` (FaceLandmarkImg). */
  face: number;
  success: number;
  /** The AUs the file gives, ascending, each with its columns (-1: none). */
  aus: { au: number; intensity: number; presence: number }[];
  problems: Problem[];
}

/** One row read: a face OpenFace looked at. */
export interface OpenFaceRow {
  /** The image it stands for: `<stem>.jpg` for a still, `<video>/<frame:05d>.jpg` for a frame. */
  image: string;
  /** Index of its file in the files read. */
  file: number;
  /** 1-based line in that file. */
  line: number;
  /** false: OpenFace lost the face (success 0); its AU values mean nothing. */
  tracked: boolean;
  /** AUs present, as the sample table's mask: bit (au-1) of lo for AU 1-32, bit (au-33) of hi. */
  lo: number;
  hi: number;
}

/** How one file was read. */
export interface OpenFaceFile {
  name: string;
  /** null: the file was not read (its problem says why). */
  kind: OpenFaceKind | null;
  /** The AUs its header gives, ascending. */
  aus: number[];
  /** Non-blank data lines (the header not counted). */
  rowsRead: number;
  /** Rows kept. */
  accepted: number;
  /** How it was written, its header line kept; null when it could not be decoded. */
  source: SourceFile | null;
}

export interface OpenFaceRead {
  rows: OpenFaceRow[];
  files: OpenFaceFile[];
  problems: Problem[];
  presenceThreshold: number;
}

export interface OpenFaceReadOptions {
  /** See DEFAULT_PRESENCE_THRESHOLD; above 0, at most 5. */
  presenceThreshold?: number;
}

/** The header line's columns as OpenFace writes them; null when it is not OpenFace's (no AU column). */
export function readOpenFaceHeader(
  fileName: string,
  line: number,
  text: string,
): OpenFaceHeader | null {
  const columns = text.split(',').map((cell) => cell.trim());
  const problems: Problem[] = [];
  const byAu = new Map<number, { au: number; intensity: number; presence: number }>();
  let auLike = 0;
  columns.forEach((column, index) => {
    if (!AU_LIKE_COLUMN.test(column)) return;
    auLike++;
    const match = AU_COLUMN.exec(column);
    const au = match ? Number(match[1]) : NaN;
    if (!match || !isFacsAu(au)) {
      problems.push(
        makeProblem(
          fileName,
          line,
          'header',
          'warning',
          column,
          column,
          `column '${column}' names no FACS AU (OpenFace writes AU<number>_r and AU<number>_c, e.g. AU01_r); column ignored`,
        ),
      );
      return;
    }
    const entry = byAu.get(au) ?? { au, intensity: -1, presence: -1 };
    const slot = match[2] === 'r' ? 'intensity' : 'presence';
    if (entry[slot] >= 0) {
      problems.push(
        makeProblem(
          fileName,
          line,
          'header',
          'warning',
          column,
          column,
          `column '${column}' appears twice in the header; the first is read, this one ignored`,
        ),
      );
      return;
    }
    entry[slot] = index;
    byAu.set(au, entry);
  });
  if (auLike === 0) return null;
  const frame = columns.indexOf('frame');
  let face = columns.indexOf('face_id');
  if (face < 0) face = columns.indexOf('face');
  return {
    columns,
    kind: frame >= 0 ? 'video' : 'image',
    frame,
    face,
    success: columns.indexOf('success'),
    aus: [...byAu.values()].sort((a, b) => a.au - b.au),
    problems,
  };
}

/** The `AU01_r`-style column name of an AU (two digits, as OpenFace writes them). */
export function openFaceAuName(au: number): string {
  return `AU${String(au).padStart(2, '0')}`;
}

/** A file's name without folders and without its extension: what OpenFace named it after. */
export function openFaceStem(fileName: string): string {
  const name = baseName(fileName);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * The image a row stands for. OpenFace does not record the image's extension: `.jpg`,
 * the extension of the frames it extracts and of the datasets' images, is assumed.
 */
export function openFaceImageName(kind: OpenFaceKind, stem: string, frame: number): string {
  return kind === 'image' ? `${stem}.jpg` : frameImageName(stem, frame);
}

/** The text of cell `index` of a row whose comma positions are in `commas` (commas[k]: end of cell k). */
function cellAt(text: string, commas: Int32Array, index: number): string {
  const start = index === 0 ? 0 : (commas[index - 1] as number) + 1;
  return text.slice(start, commas[index]).trim();
}

interface FileState {
  header: OpenFaceHeader | null;
  /** Cell ends of the row being read (reused: a row is hundreds of cells). */
  commas: Int32Array;
  /** Rows of faces other than face 0: how many, and the first line. */
  otherFaces: number;
  firstOtherFace: number;
  firstOtherFaceId: string;
  untracked: number;
  firstUntracked: number;
  accepted: number;
}

/**
 * Reads OpenFace files into rows, one per face 0 of each image or frame. Bad rows are
 * rejected with a problem naming the file, line, column and cell; a file that is not
 * OpenFace output, or names the same image or video as one before it, is not read.
 */
export function readOpenFace(
  files: readonly InputFile[],
  options: OpenFaceReadOptions = {},
): OpenFaceRead {
  const threshold = options.presenceThreshold ?? DEFAULT_PRESENCE_THRESHOLD;
  if (!(threshold > 0 && threshold <= MAX_INTENSITY))
    throw new Error(`readOpenFace: presenceThreshold ${threshold} is not in (0, ${MAX_INTENSITY}]`);
  const rows: OpenFaceRow[] = [];
  const problems: Problem[] = [];
  const readFiles: OpenFaceFile[] = [];
  /** Which file first gave each image, by name, and on which line. */
  const imageSeen = new Map<string, { file: number; line: number }>();
  /** Which file gave each still or video, by kind and stem. */
  const stemSeen = new Map<string, string>();

  files.forEach((file, fileIndex) => {
    const stem = openFaceStem(file.name);
    const state: FileState = {
      header: null,
      commas: new Int32Array(64),
      otherFaces: 0,
      firstOtherFace: 0,
      firstOtherFaceId: '',
      untracked: 0,
      firstUntracked: 0,
      accepted: 0,
    };
    let refused = false;
    let headerLine = '';
    const read = readLines(file, 'au', (line, text, lineProblems) => {
      if (refused) return null;
      if (!state.header) {
        headerLine = text;
        state.header = readOpenFaceHeader(file.name, line, text);
        for (const p of state.header?.problems ?? []) lineProblems.push(p);
        refused = refuseFile(file.name, line, text, stem, state.header, stemSeen, lineProblems);
        return null;
      }
      const row = readRow(file.name, fileIndex, stem, line, text, state, threshold, lineProblems);
      if (!row) return null;
      const first = imageSeen.get(row.image);
      if (first) {
        const where =
          first.file === fileIndex
            ? `on line ${first.line}`
            : `in ${files[first.file]?.name} (line ${first.line})`;
        lineProblems.push(
          makeProblem(
            file.name,
            line,
            'duplicate-image',
            'error',
            state.header.frame >= 0 ? 'frame' : 'face',
            row.image,
            `image '${row.image}' already given ${where}; this row is rejected`,
          ),
        );
        return null;
      }
      imageSeen.set(row.image, { file: fileIndex, line });
      rows.push(row);
      state.accepted++;
      return null;
    });
    for (const p of read.problems) problems.push(p);
    const { header } = state;
    if (header && !refused) {
      if (state.otherFaces > 0)
        problems.push(
          makeProblem(
            file.name,
            state.firstOtherFace,
            'duplicate-image',
            'warning',
            header.columns[header.face] ?? 'face',
            state.firstOtherFaceId,
            `${plural(state.otherFaces, 'row')} of a face other than face 0 (the first on this line): OpenFace found more than one face; only face 0 is read, these rows are skipped`,
          ),
        );
      if (state.untracked > 0)
        problems.push(
          makeProblem(
            file.name,
            state.firstUntracked,
            'missing-value',
            'warning',
            'success',
            '0',
            `${plural(state.untracked, 'row')} with success 0 (the first on this line): OpenFace lost the face there, so their AUs are read as not coded (null)`,
          ),
        );
      if (read.rowsRead <= 1)
        problems.push(
          makeProblem(
            file.name,
            0,
            'missing-value',
            'warning',
            'file',
            file.name,
            'a header and no rows: OpenFace found no face; nothing read',
          ),
        );
    }
    const source = read.source && headerLine ? { ...read.source, header: headerLine } : read.source;
    readFiles.push({
      name: file.name,
      kind: header && !refused ? header.kind : null,
      aus: header && !refused ? header.aus.map((a) => a.au) : [],
      // The header is a line readLines counted; a refused file's rows were not read.
      rowsRead: refused ? 0 : Math.max(0, read.rowsRead - (header ? 1 : 0)),
      accepted: state.accepted,
      source: refused ? null : source,
    });
  });
  return { rows, files: readFiles, problems, presenceThreshold: threshold };
}

/** Whether a file is not read, its problem added: not OpenFace's header, or a still or video read before. */
function refuseFile(
  fileName: string,
  line: number,
  text: string,
  stem: string,
  header: OpenFaceHeader | null,
  stemSeen: Map<string, string>,
  problems: Problem[],
): boolean {
  let message: string | null = null;
  if (!header)
    message =
      'the first line is no OpenFace header: it has no AU column (AU01_r ... AU45_c); not read';
  else if (header.aus.length === 0)
    message = 'the header has no column of a FACS AU (AU01_r ... AU45_c); not read';
  else if (/[\n\r]/.test(stem))
    message = 'the file name holds a line break, which an image name cannot; not read';
  if (message) {
    problems.push(
      makeProblem(fileName, line, 'header', 'error', 'header', text.slice(0, RAW_CHARS), message),
    );
    return true;
  }
  const key = `${header?.kind}:${stem}`;
  const first = stemSeen.get(key);
  if (first !== undefined) {
    const what = header?.kind === 'video' ? `video '${stem}'` : `image '${stem}'`;
    problems.push(
      makeProblem(
        fileName,
        0,
        'duplicate-image',
        'error',
        'file',
        fileName,
        `the same ${what} as ${first} (OpenFace names its output after its input); not read`,
      ),
    );
    return true;
  }
  stemSeen.set(key, fileName);
  return false;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

/** A row of face 0, or null (rejected with its problems, or a row of another face, counted). */
function readRow(
  fileName: string,
  fileIndex: number,
  stem: string,
  line: number,
  text: string,
  state: FileState,
  threshold: number,
  problems: Problem[],
): OpenFaceRow | null {
  const header = state.header as OpenFaceHeader;
  const expected = header.columns.length;
  let cells = 0;
  for (let at = text.indexOf(','); ; at = text.indexOf(',', at + 1)) {
    if (cells === state.commas.length) {
      const larger = new Int32Array(state.commas.length * 2);
      larger.set(state.commas);
      state.commas = larger;
    }
    state.commas[cells++] = at < 0 ? text.length : at;
    if (at < 0) break;
  }
  if (cells !== expected) {
    problems.push(
      makeProblem(
        fileName,
        line,
        'column-count',
        'error',
        'line',
        text.slice(0, RAW_CHARS),
        `expected ${expected} fields as in the header, found ${cells}; row rejected`,
      ),
    );
    return null;
  }
  const cell = (index: number) => cellAt(text, state.commas, index);
  const wholeNumber = (index: number): number | null => {
    const raw = cell(index);
    if (WHOLE_NUMBER.test(raw)) return Number(raw);
    problems.push(
      makeProblem(
        fileName,
        line,
        'missing-value',
        'error',
        header.columns[index] as string,
        raw,
        raw === ''
          ? `empty ${header.columns[index]} cell; row rejected`
          : `${header.columns[index]} '${raw}' is not a whole number; row rejected`,
      ),
    );
    return null;
  };

  const face = header.face >= 0 ? wholeNumber(header.face) : 0;
  if (face === null) return null;
  const frame = header.kind === 'video' ? wholeNumber(header.frame) : 0;
  if (frame === null) return null;
  let tracked = true;
  if (header.success >= 0) {
    const raw = cell(header.success);
    if (raw !== '0' && raw !== '1') {
      problems.push(
        makeProblem(
          fileName,
          line,
          'missing-value',
          'error',
          'success',
          raw,
          raw === ''
            ? 'empty success cell; row rejected'
            : `success '${raw}' is neither 0 nor 1; row rejected`,
        ),
      );
      return null;
    }
    tracked = raw === '1';
  }
  if (face !== 0) {
    if (state.otherFaces++ === 0) {
      state.firstOtherFace = line;
      state.firstOtherFaceId = cell(header.face);
    }
    return null;
  }
  let lo = 0;
  let hi = 0;
  if (tracked) {
    let bad = false;
    for (const { au, intensity, presence } of header.aus) {
      const r = intensity >= 0 ? auCell(fileName, line, header, intensity, cell, problems) : null;
      const c = presence >= 0 ? auCell(fileName, line, header, presence, cell, problems) : null;
      if ((intensity >= 0 && r === null) || (presence >= 0 && c === null)) {
        bad = true;
        continue;
      }
      const present = presence >= 0 ? c === 1 : (r as number) >= threshold;
      if (!present) continue;
      if (au <= 32) lo |= 1 << (au - 1);
      else hi |= 1 << (au - 33);
    }
    if (bad) return null;
  } else if (state.untracked++ === 0) {
    state.firstUntracked = line;
  }
  return {
    image: openFaceImageName(header.kind, stem, frame),
    file: fileIndex,
    line,
    tracked,
    lo: lo >>> 0,
    hi: hi >>> 0,
  };
}

/** An AU cell's value, or null with its problem: a number in 0-5 (`_r`) or 0 or 1 (`_c`). */
function auCell(
  fileName: string,
  line: number,
  header: OpenFaceHeader,
  index: number,
  cell: (index: number) => string,
  problems: Problem[],
): number | null {
  const column = header.columns[index] as string;
  const raw = cell(index);
  const presence = column.endsWith('_c');
  let message: string | null = null;
  const value = NUMBER.test(raw) ? Number(raw) : NaN;
  if (raw === '') message = `empty ${column} cell; row rejected`;
  else if (Number.isNaN(value)) message = `${column} '${raw}' is not a number; row rejected`;
  else if (presence && value !== 0 && value !== 1)
    message = `${column} '${raw}' is neither 0 nor 1 (an AU's presence); row rejected`;
  else if (!presence && (value < 0 || value > MAX_INTENSITY))
    message = `${column} '${raw}' is outside OpenFace's intensity range 0-${MAX_INTENSITY}; row rejected`;
  if (message === null) return value;
  problems.push(
    makeProblem(
      fileName,
      line,
      raw === '' ? 'missing-value' : 'bad-au-token',
      'error',
      column,
      raw,
      message,
    ),
  );
  return null;
}

const NOT_CODED: AuValue = { raw: 'null', parsed: parseAuString('null') };
/**
 * The AU value of rows read: `1+2+25` for the AUs present, `null` where OpenFace lost
 * the face. A tracked face showing no AU is `0` (FACS's neutral face: coded, no AU). Values are shared
 * between rows of the same AUs: treat them as read-only.
 */
export function auValuesOf(): (row: OpenFaceRow) => AuValue {
  const byMask = new Map<string, AuValue>();
  return (row) => {
    if (!row.tracked) return NOT_CODED;
    const key = `${row.lo}:${row.hi}`;
    let value = byMask.get(key);
    if (!value) {
      const aus: number[] = [];
      for (let bit = 0; bit < 32; bit++) if ((row.lo >>> bit) & 1) aus.push(bit + 1);
      for (let bit = 0; bit < 32; bit++) if ((row.hi >>> bit) & 1) aus.push(bit + 33);
      const raw = aus.length > 0 ? aus.join('+') : '0';
      value = { raw, parsed: parseAuString(raw) };
      byMask.set(key, value);
    }
    return value;
  };
}

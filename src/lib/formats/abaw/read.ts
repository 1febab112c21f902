import { isFacsAu, MAX_MASK_AU, type AuParse } from '../../labels/au';
import {
  baseName,
  emptyLabelColumns,
  isCanonicalInteger,
  makeProblem,
  type AuValue,
  type LabelColumns,
} from '../../labels/records';
import type { ReportFile } from '../../labels/report';
import { MAX_LINE_BYTES, decodeText, longLineProblem, loneCrProblem } from '../../labels/text';
import { EMPTY_TEXT_COLUMN, type TextColumn } from '../../labels/text-column';
import { DEFAULT_SOURCE } from '../../labels/text-out';
import type { AuToken, InputFile, LabelScheme, Problem, SourceFile } from '../../labels/types';
import type { FormatRead, FormatReadInput } from '../format';
import {
  ABAW_AU_HEADER,
  ABAW_EXPR_CLASS_NAMES,
  ABAW_EXPR_HEADER,
  ABAW_EXPR_SCHEME,
  ABAW_SPLIT_NAMES,
} from './scheme';

/**
 * Aff-Wild2 / ABAW: one `.txt` per video and set. The AU set's files start with a
 * header of AU columns (`AU1,AU2,...`) and hold one `0`/`1`/`-1` line per frame; the
 * expression set's start with the eight class names and hold one class index (or -1)
 * per line. The files are positional: line n after the header is frame n, the image
 * `<video>/<n:05d>.jpg`; nothing in a line names its frame.
 *
 * All files of one set are read into one ReadResult, and every set's read (and one of
 * the splits, told by folder) names the same frames in the same order: the join then
 * copies columns instead of looking up 2.6 million names. A frame is a sample when
 * any set has a readable line for it; a set without one leaves it unlabelled there
 * (AU absent, class -1). So a set's read holds rows for every frame (rowsRead counts
 * its own files' lines only); the parse report's per-file counts are reportFiles. A
 * video in different splits of the two sets keeps the AU set's, with one warning.
 *
 * What the stored table cannot hold: which of a frame's AUs are -1 when only some are.
 * Such a frame keeps its annotated AUs; its unannotated ones are not in its AU string,
 * so they read as not present, and an export writes them as 0. Each file with such
 * frames gets one warning that counts them.
 */

export type AbawSet = 'au' | 'emotion';

export type AbawHeader =
  { set: 'au'; aus: number[]; exact: boolean } | { set: 'emotion'; exact: boolean };

/** Why a line is not a header this format reads: the field and its text. */
export interface HeaderRefusal {
  field: string;
  raw: string;
  message: string;
}

const AU_COLUMN = /^AU(\d{1,3})$/i;
const EXPR_NAMES_LOWER = ABAW_EXPR_CLASS_NAMES.map((name) => name.toLowerCase());

/** What a file's first line says it is; a refusal says which field is wrong. */
export function parseAbawHeader(line: string): AbawHeader | { refused: HeaderRefusal } {
  if (line === ABAW_EXPR_HEADER) return { set: 'emotion', exact: true };
  const fields = line.split(',').map((field) => field.trim());
  if (
    fields.length === EXPR_NAMES_LOWER.length &&
    fields.every((field, k) => field.toLowerCase() === EXPR_NAMES_LOWER[k])
  )
    return { set: 'emotion', exact: false };
  const matches = fields.map((field) => AU_COLUMN.exec(field));
  if (matches.every((match) => match === null))
    return {
      refused: {
        field: 'header',
        raw: line,
        message: `the header names no AU (as in ${ABAW_AU_HEADER}) and is not the expression header (${ABAW_EXPR_HEADER}); not read`,
      },
    };
  const aus: number[] = [];
  for (let k = 0; k < fields.length; k++) {
    const field = fields[k] as string;
    const match = matches[k];
    if (!match)
      return {
        refused: {
          field: `column ${k + 1}`,
          raw: field,
          message: `header column ${k + 1} '${field}' is not an AU (AU<number>); not read`,
        },
      };
    const au = Number(match[1]);
    if (!isFacsAu(au) || au > MAX_MASK_AU)
      return {
        refused: {
          field: `column ${k + 1}`,
          raw: field,
          message: `header column ${k + 1} '${field}': AU${au} is not a FACS AU up to ${MAX_MASK_AU}; not read`,
        },
      };
    if (aus.includes(au))
      return {
        refused: {
          field: `column ${k + 1}`,
          raw: field,
          message: `header column ${k + 1} '${field}' names AU${au} a second time; not read`,
        },
      };
    aus.push(au);
  }
  return { set: 'au', aus, exact: line === ABAW_AU_HEADER };
}

/** The video a file holds: its base name without `.txt`. */
export function videoOfPath(path: string): string {
  return baseName(path).replace(/\.txt$/i, '');
}

const TRAIN_FOLDER = /^train(ing)?_?set$/i;
const VALIDATION_FOLDER = /^valid(ation)?_?set$/i;

/** The split a file's folders give (`Train_Set` 0, `Validation_Set` 1), -1 when none does. */
export function splitOfPath(path: string): number {
  const folders = path.split(/[\\/]/).slice(0, -1);
  for (let k = folders.length - 1; k >= 0; k--) {
    const folder = folders[k] as string;
    if (TRAIN_FOLDER.test(folder)) return 0;
    if (VALIDATION_FOLDER.test(folder)) return 1;
  }
  return -1;
}

const LINE_FEED = 10;
const CR = 13;
const COMMA = 44;
const MINUS = 45;
const DIGIT_0 = 48;
const DIGIT_1 = 49;
const DIGIT_9 = 57;
const LAST_ASCII = 127;
/** A frame's value when its line was not read (blank, rejected): it is no row of that set. */
const NOT_READ = -2;
/** Columns the fast path keeps as bits of one integer. */
const MAX_FAST_COLUMNS = 30;

/** An Int32Array that grows as values are added. */
class GrowingInts {
  private values = new Int32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const larger = new Int32Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.length++] = value;
  }

  /** The values added, as a view (valid until the next push). */
  view(): Int32Array {
    return this.values.subarray(0, this.length);
  }

  /** Forgets the values from this length on. */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }
}

/**
 * The AU set's distinct values over all its files (a few hundred over millions of
 * frames): the AUs present, ascending, as an AU string; all -1 is `null`; all 0 is
 * `0`, FACS's neutral face: coded, no AU active (labels/au.ts).
 */
class AuValueIds {
  readonly values: AuValue[] = [];
  private readonly byRaw = new Map<string, number>();
  readonly nullId: number;

  constructor() {
    this.nullId = this.add('null', { status: 'null', tokens: [], unknown: [], notes: [] });
  }

  /** The id of the value whose present AUs are these, ascending. */
  idOf(aus: readonly number[]): number {
    const raw = aus.length > 0 ? aus.join('+') : '0';
    const known = this.byRaw.get(raw);
    if (known !== undefined) return known;
    const tokens: AuToken[] = (aus.length > 0 ? aus : [0]).map((au) => ({
      raw: String(au),
      au,
      kind: 'AU',
      side: null,
      intensity: null,
    }));
    return this.add(raw, { status: 'coded', tokens, unknown: [], notes: [] });
  }

  /**
   * The ids of the column bit patterns of a header's AU columns, shared by every file
   * with that header: 550 videos repeat the same patterns, and an id from the AUs
   * costs a string and a lookup.
   */
  idsOfBits(aus: readonly number[]): Map<number, number> {
    const layout = aus.join(',');
    let ids = this.byLayout.get(layout);
    if (!ids) {
      ids = new Map();
      this.byLayout.set(layout, ids);
    }
    return ids;
  }

  private readonly byLayout = new Map<string, Map<number, number>>();

  private add(raw: string, parsed: AuParse): number {
    const id = this.values.length;
    this.values.push({ raw, parsed });
    this.byRaw.set(raw, id);
    return id;
  }
}

/** One file, as far as it was read. */
interface FileRead {
  file: InputFile;
  set: AbawSet;
  video: string;
  split: number;
  source: SourceFile;
  /** Lines after the header: the file's frames, read or not (the files are positional). */
  frames: number;
  /** Where the file's frame values start in its set's values. */
  start: number;
  rowsRead: number;
  accepted: number;
}

/** The start of a file: how it is written and what its header says, or why it is not read. */
type Opened =
  | {
      header: AbawHeader;
      headerText: string;
      bytes: Uint8Array;
      /** Where the first data line starts in bytes. */
      body: number;
      bom: boolean;
      encoding: SourceFile['encoding'];
      /** Whether every byte is known to decode (true once decodeText accepted the file). */
      validated: boolean;
    }
  | { problem: Problem };

function fileProblem(file: InputFile, kind: Problem['kind'], raw: string, message: string) {
  return makeProblem(file.name, 0, kind, 'error', 'file', raw, message);
}

/** Whether a text holds a control character (a line feed would split a name column's entry). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 32) return true;
  return false;
}

/** Whether bytes [from, to) hold anything that is not plain ASCII text (a NUL, a byte above 127). */
function hasOddBytes(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number;
    if (c === 0 || c > LAST_ASCII) return true;
  }
  return false;
}

/** Reads a file's byte-order mark and header line, as decodeText would decode them. */
function openFile(file: InputFile, role: SourceFile['role']): Opened {
  let bytes = file.bytes;
  let offset = 0;
  let bom = false;
  let encoding: SourceFile['encoding'] = undefined;
  let validated = false;
  if (bytes.length === 0 || bytes[0] === 0xff || bytes[0] === 0xfe) {
    // UTF-16 (rare, small) is decoded whole and read as UTF-8 bytes; an empty file's problem comes from decodeText.
    const decoded = decodeText(file);
    if ('problem' in decoded) return { problem: decoded.problem };
    bom = decoded.bom;
    if (decoded.encoding !== 'utf-8') encoding = decoded.encoding;
    bytes = new TextEncoder().encode(decoded.text);
    validated = true;
  } else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bom = true;
    offset = 3;
  }
  const lf = bytes.indexOf(LINE_FEED, offset);
  const lineEnd = lf < 0 ? bytes.length : lf;
  if (!validated && (lineEnd - offset > MAX_LINE_BYTES || hasOddBytes(bytes, offset, lineEnd))) {
    const decoded = decodeText(file);
    if ('problem' in decoded) return { problem: decoded.problem };
    validated = true;
  }
  if (lineEnd - offset > MAX_LINE_BYTES)
    return {
      problem: longLineProblem(
        file.name,
        1,
        new TextDecoder().decode(bytes.subarray(offset, offset + 400)),
      ),
    };
  const stop = lineEnd > offset && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  const headerText = new TextDecoder().decode(bytes.subarray(offset, stop));
  if (headerText.includes('\r'))
    return { problem: loneCrProblem(file.name, 1, headerText, 'not read') };
  if (headerText.trim() === '') {
    if (!validated) {
      // A file of blank lines only: decodeText's problem says so.
      const decoded = decodeText(file);
      if ('problem' in decoded) return { problem: decoded.problem };
    }
    return {
      problem: makeProblem(
        file.name,
        1,
        'header',
        'error',
        'header',
        '',
        'the first line is blank: an ABAW file starts with its header line; not read',
      ),
    };
  }
  const header = parseAbawHeader(headerText);
  if ('refused' in header) {
    const { field, raw, message } = header.refused;
    return { problem: makeProblem(file.name, 1, 'header', 'error', field, raw, message) };
  }
  // A role the user gave must agree with the header: the header decides how the lines read.
  if ((role === 'au' || role === 'emotion') && role !== header.set)
    return {
      problem: makeProblem(
        file.name,
        1,
        'header',
        'error',
        'header',
        headerText,
        role === 'au'
          ? `given as an AU file, but the header is the expression header; not read`
          : `given as an expression file, but the header names AUs; not read`,
      ),
    };
  return {
    header,
    headerText,
    bytes,
    body: lf < 0 ? bytes.length : lf + 1,
    bom,
    encoding,
    validated,
  };
}

interface BodyRead {
  frames: number;
  rowsRead: number;
  accepted: number;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

/**
 * Reads the frames of one file into values (one per frame: a value id, or NOT_READ),
 * with its problems. Well-formed lines are read from their bytes; any other line takes
 * the general path, which decodes it and says what is wrong. Returns null when the file
 * turns out not to be text (its problem is then the only one).
 */
class BodyReader {
  private readonly problems: Problem[] = [];
  private validated: boolean;
  private readonly decoder = new TextDecoder();
  /** The first frame with some AUs annotated and some not, and how many there are. */
  private partialFrames = 0;
  private firstPartialLine = 0;
  private firstPartialText = '';

  constructor(
    private readonly file: InputFile,
    private readonly opened: Extract<Opened, { header: AbawHeader }>,
    private readonly values: GrowingInts,
    private readonly auIds: AuValueIds,
    private readonly knownClass: Uint8Array,
    private readonly scheme: LabelScheme,
  ) {
    this.validated = opened.validated;
  }

  read(): { body: BodyRead; problems: Problem[] } | { problem: Problem } {
    const start = this.values.length;
    const body =
      this.opened.header.set === 'au' ? this.readAu(this.opened.header.aus) : this.readExpr();
    if ('problem' in body) {
      this.values.truncate(start);
      return body;
    }
    if (this.partialFrames > 0)
      this.problems.push(
        makeProblem(
          this.file.name,
          this.firstPartialLine,
          'missing-value',
          'warning',
          'au',
          this.firstPartialText,
          `${this.partialFrames} frame${this.partialFrames === 1 ? ' has' : 's have'} some AUs not annotated (-1) beside annotated ones (the first on this line); ` +
            'those frames are kept with their annotated AUs, and an AU not annotated reads as not present',
        ),
      );
    return { body, problems: this.problems };
  }

  private readAu(aus: readonly number[]): BodyRead | { problem: Problem } {
    const { bytes, body } = this.opened;
    const values = this.values;
    const length = bytes.length;
    const columns = aus.length;
    const fast = columns <= MAX_FAST_COLUMNS;
    const idOfBits = this.auIds.idsOfBits(aus);
    let lastBits = -1;
    let lastId = -1;
    const nullId = this.auIds.nullId;
    let frame = 0;
    let rowsRead = 0;
    let accepted = 0;
    let i = body;
    while (i < length) {
      frame++;
      const lineStart = i;
      let bits = 0;
      let unannotated = 0;
      let ok = fast;
      for (let col = 0; ok && col < columns; col++) {
        const c = bytes[i];
        if (c === DIGIT_0) i++;
        else if (c === DIGIT_1) {
          bits |= 1 << col;
          i++;
        } else if (c === MINUS && bytes[i + 1] === DIGIT_1) {
          unannotated++;
          i += 2;
        } else ok = false;
        if (col < columns - 1) {
          if (bytes[i] === COMMA) i++;
          else ok = false;
        }
      }
      if (ok) {
        if (i === length) {
          // The last line, without a line feed.
        } else if (bytes[i] === LINE_FEED) i++;
        else if (bytes[i] === CR && bytes[i + 1] === LINE_FEED) i += 2;
        else ok = false;
      }
      if (!ok) {
        const lf = bytes.indexOf(LINE_FEED, lineStart);
        const end = lf < 0 ? length : lf;
        const line = this.auLine(lineStart, end, frame + 1, aus);
        if ('problem' in line) return line;
        if (line.read) rowsRead++;
        if (line.id !== NOT_READ) accepted++;
        values.push(line.id);
        i = lf < 0 ? length : lf + 1;
        continue;
      }
      rowsRead++;
      accepted++;
      if (unannotated === columns) {
        values.push(nullId);
        continue;
      }
      if (unannotated > 0) this.notePartial(frame + 1, lineStart);
      if (bits !== lastBits) {
        let id = idOfBits.get(bits);
        if (id === undefined) {
          id = this.auIds.idOf(ausOfBits(aus, bits));
          idOfBits.set(bits, id);
        }
        lastBits = bits;
        lastId = id;
      }
      values.push(lastId);
    }
    return this.ending(frame, rowsRead, accepted);
  }

  private readExpr(): BodyRead | { problem: Problem } {
    const { bytes, body } = this.opened;
    const values = this.values;
    const knownClass = this.knownClass;
    const length = bytes.length;
    let frame = 0;
    let rowsRead = 0;
    let accepted = 0;
    let i = body;
    while (i < length) {
      frame++;
      const lineStart = i;
      const c = bytes[i] as number;
      let value = NOT_READ;
      if (c >= DIGIT_0 && c <= DIGIT_9 && knownClass[c - DIGIT_0] === 1) {
        value = c - DIGIT_0;
        i++;
      } else if (c === MINUS && bytes[i + 1] === DIGIT_1) {
        value = -1;
        i += 2;
      }
      if (value !== NOT_READ) {
        if (i === length) {
          // The last line, without a line feed.
        } else if (bytes[i] === LINE_FEED) i++;
        else if (bytes[i] === CR && bytes[i + 1] === LINE_FEED) i += 2;
        else value = NOT_READ;
      }
      if (value === NOT_READ) {
        const lf = bytes.indexOf(LINE_FEED, lineStart);
        const end = lf < 0 ? length : lf;
        const line = this.exprLine(lineStart, end, frame + 1);
        if ('problem' in line) return line;
        if (line.read) rowsRead++;
        if (line.id !== NOT_READ) accepted++;
        values.push(line.id);
        i = lf < 0 ? length : lf + 1;
        continue;
      }
      rowsRead++;
      accepted++;
      values.push(value);
    }
    return this.ending(frame, rowsRead, accepted);
  }

  private ending(frames: number, rowsRead: number, accepted: number): BodyRead {
    const { bytes, body } = this.opened;
    const headerEnd = body - 1;
    const eol = headerEnd > 0 && bytes[headerEnd - 1] === CR ? '\r\n' : '\n';
    return {
      frames,
      rowsRead,
      accepted,
      eol: bytes[headerEnd] === LINE_FEED ? eol : '\n',
      finalNewline: bytes[bytes.length - 1] === LINE_FEED,
    };
  }

  private notePartial(line: number, lineStart: number): void {
    if (this.partialFrames++ > 0) return;
    const { bytes } = this.opened;
    const lf = bytes.indexOf(LINE_FEED, lineStart);
    let end = lf < 0 ? bytes.length : lf;
    if (end > lineStart && bytes[end - 1] === CR) end--;
    this.firstPartialLine = line;
    this.firstPartialText = this.decoder.decode(bytes.subarray(lineStart, end));
  }

  /**
   * A line's text for the general path; a problem when the file is not text (found
   * here, the first time a line holds a byte that is not plain ASCII). read: whether
   * the line counts as read (not blank).
   */
  private lineText(
    start: number,
    end: number,
    line: number,
  ): { text: string } | { skipped: true; read: boolean } | { problem: Problem } {
    const { bytes } = this.opened;
    if (!this.validated && hasOddBytes(bytes, start, end)) {
      const decoded = decodeText(this.file);
      if ('problem' in decoded) return { problem: decoded.problem };
      this.validated = true;
    }
    if (end - start > MAX_LINE_BYTES) {
      this.problems.push(
        longLineProblem(
          this.file.name,
          line,
          this.decoder.decode(bytes.subarray(start, start + 160)),
        ),
      );
      return { skipped: true, read: true };
    }
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    const text = this.decoder.decode(bytes.subarray(start, stop));
    if (text.trim() === '') {
      this.problems.push(
        makeProblem(
          this.file.name,
          line,
          'missing-value',
          'warning',
          'line',
          text,
          `blank line: frame ${line - 1} has no label here; row skipped`,
        ),
      );
      return { skipped: true, read: false };
    }
    if (text.includes('\r')) {
      this.problems.push(loneCrProblem(this.file.name, line, text));
      return { skipped: true, read: true };
    }
    return { text };
  }

  private auLine(
    start: number,
    end: number,
    line: number,
    aus: readonly number[],
  ): { id: number; read: boolean } | { problem: Problem } {
    const got = this.lineText(start, end, line);
    if ('problem' in got) return got;
    if ('skipped' in got) return { id: NOT_READ, read: got.read };
    const { text } = got;
    const fields = text.split(',');
    if (fields.length !== aus.length) {
      this.problems.push(
        makeProblem(
          this.file.name,
          line,
          'column-count',
          'error',
          'line',
          text,
          `expected ${aus.length} values (${this.opened.headerText}), found ${fields.length}; row rejected`,
        ),
      );
      return { id: NOT_READ, read: true };
    }
    const present: number[] = [];
    let unannotated = 0;
    for (let k = 0; k < fields.length; k++) {
      const value = fields[k] as string;
      const au = aus[k] as number;
      if (value === '1') present.push(au);
      else if (value === '-1') unannotated++;
      else if (value !== '0') {
        this.problems.push(
          makeProblem(
            this.file.name,
            line,
            'bad-au-token',
            'error',
            `AU${au}`,
            value,
            `AU${au} value '${value}' is not 0, 1 or -1 (not annotated); row rejected`,
          ),
        );
        return { id: NOT_READ, read: true };
      }
    }
    if (unannotated === aus.length) return { id: this.auIds.nullId, read: true };
    if (unannotated > 0) this.notePartial(line, start);
    present.sort((a, b) => a - b);
    return { id: this.auIds.idOf(present), read: true };
  }

  private exprLine(
    start: number,
    end: number,
    line: number,
  ): { id: number; read: boolean } | { problem: Problem } {
    const got = this.lineText(start, end, line);
    if ('problem' in got) return got;
    if ('skipped' in got) return { id: NOT_READ, read: got.read };
    const { text } = got;
    const fields = text.split(',');
    const reject = (kind: Problem['kind'], field: string, raw: string, message: string) => {
      this.problems.push(makeProblem(this.file.name, line, kind, 'error', field, raw, message));
      return { id: NOT_READ, read: true };
    };
    if (fields.length !== 1)
      return reject(
        'column-count',
        'line',
        text,
        `expected 1 value (a class index), found ${fields.length}; row rejected`,
      );
    if (text === '-1') return { id: -1, read: true };
    const classId = isCanonicalInteger(text) ? Number(text) : NaN;
    if (!(classId >= 0 && this.knownClass[classId] === 1))
      return reject(
        'unknown-class',
        'expression',
        text,
        `expression '${text}' is not a class index of ${this.scheme.name} nor -1 (not annotated); row rejected`,
      );
    return { id: classId, read: true };
  }
}

/** The AUs of the columns whose bits are set, ascending. */
function ausOfBits(aus: readonly number[], bits: number): number[] {
  const present: number[] = [];
  for (let col = 0; col < aus.length; col++)
    if ((bits >>> col) & 1) present.push(aus[col] as number);
  return present.sort((a, b) => a - b);
}

function knownClassesOf(scheme: LabelScheme): Uint8Array {
  const ids = scheme.classes.map((c) => c.id).filter((id) => id >= 0 && id <= 32767);
  const known = new Uint8Array(Math.max(-1, ...ids) + 1);
  for (const id of ids) known[id] = 1;
  return known;
}

const SET_WORDS: Readonly<Record<AbawSet, string>> = { au: 'AU', emotion: 'expression' };

/** The problem of a file whose video its set already has (files of one video in two folders). */
function secondFileProblem(file: InputFile, set: AbawSet, video: string, first: string): Problem {
  return makeProblem(
    file.name,
    0,
    'unknown-file',
    'error',
    'file',
    file.name,
    `video '${video}' is already read from ${first} (${SET_WORDS[set]} set); not read`,
  );
}

/** A video's files, by set. */
interface Video {
  name: string;
  au?: FileRead;
  emotion?: FileRead;
}

/** Reads the import's ABAW files: one read per set, all naming the same frames, and the splits. */
export function readAbaw(input: FormatReadInput): FormatRead {
  const scheme = input.scheme ?? ABAW_EXPR_SCHEME;
  const knownClass = knownClassesOf(scheme);
  const auIds = new AuValueIds();
  const values: Record<AbawSet, GrowingInts> = {
    au: new GrowingInts(),
    emotion: new GrowingInts(),
  };
  const setProblems: Record<AbawSet, Problem[]> = { au: [], emotion: [] };
  const problems: Problem[] = [];
  const videos = new Map<string, Video>();
  const reportFiles: ReportFile[] = [];
  const sourceFiles: SourceFile[] = [];
  const fileReads: Record<AbawSet, FileRead[]> = { au: [], emotion: [] };
  const totalBytes = input.files.reduce((sum, { file }) => sum + file.bytes.length, 0);
  let bytesDone = 0;
  let rowsDone = 0;

  for (const { file, role } of input.files) {
    bytesDone += file.bytes.length;
    const fallbackSet: AbawSet = role === 'emotion' ? 'emotion' : 'au';
    const opened = openFile(file, role);
    if ('problem' in opened) {
      setProblems[fallbackSet].push(opened.problem);
      reportFiles.push({ name: file.name, role: fallbackSet, lines: 0, accepted: 0 });
      continue;
    }
    const set = opened.header.set;
    const video = videoOfPath(file.name);
    const known = videos.get(video)?.[set];
    if (known) {
      problems.push(secondFileProblem(file, set, video, known.file.name));
      reportFiles.push({ name: file.name, role: set, lines: 0, accepted: 0 });
      continue;
    }
    if (video === '' || hasControlCharacter(video)) {
      setProblems[set].push(
        fileProblem(
          file,
          'unknown-file',
          file.name,
          video === ''
            ? `no video name in the file name '${file.name}'; not read`
            : 'the file name holds a control character, which a frame name cannot; not read',
        ),
      );
      reportFiles.push({ name: file.name, role: set, lines: 0, accepted: 0 });
      continue;
    }
    const start = values[set].length;
    const reader = new BodyReader(file, opened, values[set], auIds, knownClass, scheme);
    const result = reader.read();
    if ('problem' in result) {
      setProblems[set].push(result.problem);
      reportFiles.push({ name: file.name, role: set, lines: 0, accepted: 0 });
      continue;
    }
    const { body } = result;
    for (const problem of result.problems) setProblems[set].push(problem);
    const source: SourceFile = {
      name: file.name,
      role: set,
      eol: body.eol,
      finalNewline: body.finalNewline,
      bom: opened.bom,
      lines: 1 + body.frames,
      header: opened.headerText,
    };
    if (opened.encoding) source.encoding = opened.encoding;
    const read: FileRead = {
      file,
      set,
      video,
      split: splitOfPath(file.name),
      source,
      frames: body.frames,
      start,
      rowsRead: body.rowsRead,
      accepted: body.accepted,
    };
    const entry = videos.get(video) ?? { name: video };
    entry[set] = read;
    videos.set(video, entry);
    fileReads[set].push(read);
    sourceFiles.push(source);
    reportFiles.push({ name: file.name, role: set, lines: body.rowsRead, accepted: body.accepted });
    rowsDone += body.rowsRead;
    input.onRowsChecked?.(
      rowsDone,
      Math.max(rowsDone, Math.round((rowsDone / bytesDone) * totalBytes)),
    );
  }

  for (const video of videos.values()) {
    const { au, emotion } = video;
    if (!au || !emotion) continue;
    if (au.frames !== emotion.frames)
      problems.push(
        makeProblem(
          emotion.file.name,
          0,
          'conflict',
          'warning',
          'frames',
          `${au.frames} / ${emotion.frames}`,
          `video '${video.name}' has ${au.frames} frames in ${au.file.name} but ${emotion.frames} in ${emotion.file.name}; ` +
            'the frames past the shorter file have no label of its set',
        ),
      );
    if (au.split >= 0 && emotion.split >= 0 && au.split !== emotion.split)
      problems.push(
        makeProblem(
          emotion.file.name,
          0,
          'conflict',
          'warning',
          'split',
          `${au.split} / ${emotion.split}`,
          `video '${video.name}' is in the ${ABAW_SPLIT_NAMES[au.split]} split of the AU set (${au.file.name}) ` +
            `but the ${ABAW_SPLIT_NAMES[emotion.split]} split of the expression set; the AU set's split is kept`,
        ),
      );
  }

  const columns = joinedColumns([...videos.values()], values);
  const reads: FormatRead['reads'] = [];
  for (const set of ['au', 'emotion'] as const) {
    const files = fileReads[set];
    const first = files[0];
    const rowsRead = files.reduce((sum, f) => sum + f.rowsRead, 0);
    const name = `${SET_WORDS[set]} set (${files.length} file${files.length === 1 ? '' : 's'})`;
    if (!first) {
      // No file of the set was read: its problems still reach the report, its rows are no source of the join.
      if (setProblems[set].length > 0)
        reads.push({
          file: { name, bytes: new Uint8Array(0) },
          role: set,
          read: {
            rows: emptyLabelColumns(),
            problems: setProblems[set],
            rowsRead: 0,
            source: null,
          },
        });
      continue;
    }
    reads.push({
      file: { name, bytes: new Uint8Array(0) },
      role: set,
      read: {
        rows: {
          ...columns.shared,
          classIds: set === 'emotion' ? columns.classIds : columns.noClass,
          auIds: set === 'au' ? columns.auIds : columns.noAu,
          splits: columns.noSplit,
          auValues: set === 'au' ? auIds.values : [],
        },
        problems: setProblems[set],
        rowsRead,
        source: first.source,
      },
    });
  }
  if (columns.hasSplits)
    reads.push({
      file: { name: 'split folders (Train_Set, Validation_Set)', bytes: new Uint8Array(0) },
      role: 'split',
      read: {
        rows: {
          ...columns.shared,
          classIds: columns.noClass,
          auIds: columns.noAu,
          splits: columns.splits,
          auValues: [],
        },
        problems: [],
        rowsRead: 0,
        source: { ...DEFAULT_SOURCE, name: 'split folders', role: 'split' },
      },
    });

  return {
    format: 'abaw',
    // AU files alone give no emotion classes.
    scheme: fileReads.emotion.length > 0 ? scheme : null,
    splitNames: { ...ABAW_SPLIT_NAMES },
    reads,
    problems,
    sourceFiles,
    reportFiles,
  };
}

interface JoinedColumns {
  shared: Pick<LabelColumns, 'count' | 'lines' | 'names'>;
  auIds: Int32Array;
  classIds: Int16Array;
  splits: Int8Array;
  hasSplits: boolean;
  /** The columns of a read that gives no such value (shared: the join only reads them). */
  noAu: Int32Array;
  noClass: Int16Array;
  noSplit: Int8Array;
}

/**
 * The frames of every video, in the order the videos came, each frame once: the rows
 * every set's read shares. A frame is a row when a set has a readable line for it.
 * The names are written as UTF-8 bytes into one buffer and decoded once: 2.6 million
 * names as strings would cost more than the rest of the read.
 */
function joinedColumns(
  videos: readonly Video[],
  values: Record<AbawSet, GrowingInts>,
): JoinedColumns {
  const encoder = new TextEncoder();
  const prefixes = videos.map(({ name }) => encoder.encode(`${name}/`));
  let rows = 0;
  let nameBytes = 0;
  videos.forEach(({ au, emotion }, v) => {
    const frames = Math.max(au?.frames ?? 0, emotion?.frames ?? 0);
    rows += frames;
    // The prefix, at most 6 digits (more only past 999,999 frames), `.jpg` and a line feed.
    nameBytes += frames * ((prefixes[v] as Uint8Array).length + String(frames).length + 10);
  });
  const lines = new Int32Array(rows);
  const auIds = new Int32Array(rows);
  const classIds = new Int16Array(rows);
  const splits = new Int8Array(rows);
  const bytes = new Uint8Array(nameBytes);
  const ends = new Uint32Array(rows);
  const auValues = values.au.view();
  const classValues = values.emotion.view();
  const digits = new Uint8Array(12);
  let at = 0;
  let count = 0;
  let hasSplits = false;
  videos.forEach(({ au, emotion }, v) => {
    const prefix = prefixes[v] as Uint8Array;
    const split = au && au.split >= 0 ? au.split : (emotion?.split ?? -1);
    if (split >= 0) hasSplits = true;
    const auFrames = au?.frames ?? 0;
    const auStart = au?.start ?? 0;
    const emotionFrames = emotion?.frames ?? 0;
    const emotionStart = emotion?.start ?? 0;
    const frames = Math.max(auFrames, emotionFrames);
    // The frame number as zero-padded ASCII digits, counted up in place.
    const width = Math.max(5, String(frames).length);
    digits.fill(DIGIT_0, 0, width);
    // Digits written: five, more past 99,999 (frame 123456, not 0123456).
    let shown = 5;
    let wider = 100_000;
    for (let f = 0; f < frames; f++) {
      if (f + 1 === wider) {
        shown++;
        wider *= 10;
      }
      for (let k = width - 1; ; k--) {
        if (digits[k] !== DIGIT_9) {
          digits[k] = (digits[k] as number) + 1;
          break;
        }
        digits[k] = DIGIT_0;
      }
      const auValue = f < auFrames ? (auValues[auStart + f] as number) : NOT_READ;
      const classValue = f < emotionFrames ? (classValues[emotionStart + f] as number) : NOT_READ;
      if (auValue === NOT_READ && classValue === NOT_READ) continue;
      lines[count] = f + 2;
      auIds[count] = auValue >= 0 ? auValue : -1;
      classIds[count] = classValue >= 0 ? classValue : -1;
      splits[count] = split;
      for (let k = 0; k < prefix.length; k++) bytes[at++] = prefix[k] as number;
      for (let k = width - shown; k < width; k++) bytes[at++] = digits[k] as number;
      bytes[at++] = 46; // .jpg
      bytes[at++] = 106;
      bytes[at++] = 112;
      bytes[at++] = 103;
      ends[count++] = at;
      bytes[at++] = LINE_FEED;
    }
  });
  const shrink = <T extends Int32Array | Int16Array | Int8Array | Uint32Array>(column: T): T =>
    (count === rows ? column : column.slice(0, count)) as T;
  return {
    shared: { count, lines: shrink(lines), names: textColumnOfBytes(bytes, at, shrink(ends)) },
    auIds: shrink(auIds),
    classIds: shrink(classIds),
    splits: shrink(splits),
    hasSplits,
    noAu: new Int32Array(count).fill(-1),
    noClass: new Int16Array(count).fill(-1),
    noSplit: new Int8Array(count).fill(-1),
  };
}

/** The column of entries written as UTF-8 into bytes[0, used), each followed by a line feed; ends: by byte. */
function textColumnOfBytes(bytes: Uint8Array, used: number, ends: Uint32Array): TextColumn {
  if (ends.length === 0) return EMPTY_TEXT_COLUMN;
  const text = new TextDecoder().decode(bytes.subarray(0, used - 1));
  if (text.length === used - 1) return { text, ends };
  // Beyond ASCII, a byte is not a character: the ends are the line feeds of the text.
  const charEnds = new Uint32Array(ends.length);
  let entry = 0;
  for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', lf + 1))
    charEnds[entry++] = lf;
  charEnds[ends.length - 1] = text.length;
  return { text, ends: charEnds };
}

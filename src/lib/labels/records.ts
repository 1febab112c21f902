import { auValueIssues, parseAuString, type AuParse } from './au';
import { countLines, decodeText, type DecodedText } from './text';
import type { InputFile, Problem, ProblemKind, SourceFile } from './types';

/** One accepted row of a label file; which fields it has depends on the file's role. */
export interface LabelRecord {
  /** 1-based line of the row in its file. */
  line: number;
  /** Image name exactly as written. */
  image: string;
  classId?: number;
  split?: number;
  /** The AU value text exactly as written, and how it parsed. */
  au?: { raw: string; parsed: AuParse };
}

export type FileRole = SourceFile['role'];

export interface ReadResult {
  records: LabelRecord[];
  problems: Problem[];
  /** Non-blank data lines read (header excluded); rejected rows = rowsRead - records.length. */
  rowsRead: number;
  /** How the file was written; null when it could not be decoded. */
  source: SourceFile | null;
}

export function makeProblem(
  file: string,
  line: number,
  kind: ProblemKind,
  severity: Problem['severity'],
  field: string,
  raw: string,
  message: string,
): Problem {
  return { kind, severity, file, line, field, raw, message };
}

export function sourceFileOf(name: string, role: FileRole, decoded: DecodedText): SourceFile {
  const source: SourceFile = {
    name,
    role,
    eol: decoded.eol,
    finalNewline: decoded.finalNewline,
    bom: decoded.bom,
    lines: countLines(decoded.text),
  };
  if (decoded.encoding !== 'utf-8') source.encoding = decoded.encoding;
  return source;
}

/** Base name of a path given with either kind of slash. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * Decode a line-per-row file and hand each non-blank line to readRow. Blank lines
 * are reported (a warning) rather than passed over, so every line is accounted for.
 */
export function readLines(
  file: InputFile,
  role: FileRole,
  readRow: (line: number, text: string, problems: Problem[]) => LabelRecord | null,
): ReadResult {
  const decoded = decodeText(file);
  if ('problem' in decoded) {
    return { records: [], problems: [decoded.problem], rowsRead: 0, source: null };
  }
  const records: LabelRecord[] = [];
  const problems: Problem[] = [];
  let rowsRead = 0;
  // A plain loop rather than splitLines' generator: this runs once per row of files
  // with up to a million rows.
  const text = decoded.text;
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf;
    const lineText = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    start = lf < 0 ? text.length : lf + 1;
    if (lineText.trim() === '') {
      problems.push(
        makeProblem(
          file.name,
          line,
          'missing-value',
          'warning',
          'line',
          lineText,
          'blank line skipped',
        ),
      );
      continue;
    }
    rowsRead++;
    const record = readRow(line, lineText, problems);
    if (record) records.push(record);
  }
  return { records, problems, rowsRead, source: sourceFileOf(file.name, role, decoded) };
}

/** Rejects the later of two rows naming the same image; returns true when the row is a duplicate. */
export function isDuplicateImage(
  seen: Map<string, number>,
  file: string,
  line: number,
  image: string,
  problems: Problem[],
): boolean {
  const firstLine = seen.get(image);
  if (firstLine === undefined) {
    seen.set(image, line);
    return false;
  }
  problems.push(
    makeProblem(
      file,
      line,
      'duplicate-image',
      'error',
      'image',
      image,
      `image '${image}' already given on line ${firstLine}; this row is rejected`,
    ),
  );
  return true;
}

/**
 * Parses AU values and reports their odd tokens as warnings (the row is kept).
 * Results are shared between rows with the same text: a dataset repeats a few
 * thousand distinct AU strings over up to a million rows. Treat them as read-only.
 */
export function auValueReader(
  file: string,
): (line: number, raw: string, problems: Problem[]) => { raw: string; parsed: AuParse } {
  const cache = new Map<string, { parsed: AuParse; issues: ReturnType<typeof auValueIssues> }>();
  return (line, raw, problems) => {
    let entry = cache.get(raw);
    if (!entry) {
      const parsed = parseAuString(raw);
      entry = { parsed, issues: auValueIssues(parsed) };
      cache.set(raw, entry);
    }
    for (const issue of entry.issues) {
      problems.push(
        makeProblem(file, line, 'bad-au-token', 'warning', 'au', issue.raw, issue.message),
      );
    }
    return { raw, parsed: entry.parsed };
  };
}

const INTEGER = /^[+-]?\d+$/;

export function parseInteger(text: string): number | null {
  return INTEGER.test(text) ? Number(text) : null;
}

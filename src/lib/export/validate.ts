import { auMaskWords, parseAuString } from '../labels/au';
import { AuStatus, type LabelScheme, type SampleTable, type SourceFormat } from '../labels/types';
import { startOf } from '../labels/text-column';

/** The labels an export writes (policy.ts's exportLabels gives them): the table's or the final ones. */
type WrittenLabels = Pick<SampleTable, 'classIds' | 'auStatus' | 'auRaw' | 'auMask'>;

/**
 * The export's last check of what it writes, whatever was stored: a label that went
 * into IndexedDB through a tampered team bundle, an old bug or a hand-edited database
 * must not add lines to a label file or make the files disagree. A sample that fails
 * is left out of every label file together (the selection removes it with the reason
 * 'invalid-label'), so RAFCE_emolabel.txt, RAFCE_AUlabel.txt and RAFCE_partition.txt
 * keep the same images in the same order.
 *
 * What is checked, per exported sample:
 * - the image name: not empty, no control character or line break; in the `image
 *   value` line formats (RAF-CE, RAF-DB) no whitespace either, since it would split
 *   the line into other fields;
 * - the class id: one of the scheme's ids, or -1 (no class) where the original had
 *   none either (a missing line the source files did not have would misalign them);
 * - the AU value: a known status; no line break or control character; absent only
 *   where the original was absent too; a value that differs from the imported one (a
 *   correction) is in the grammar of labels/au.ts (every token parses) and its AU mask
 *   is the one its text spells, so the AU matrix and the AU file agree. The imported
 *   text itself is kept as it was, tokens outside the grammar included: the import
 *   report already lists them, and an untouched export stays byte-identical;
 * - the split id: -1 (none) or 0-127.
 */

/** Line breaks and control characters (tab excepted): none may reach a written line. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
/** A corrected AU text is typed, never read from a file: not even a tab belongs in it. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_TAB = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** In an `image value` line: whitespace other than the column's own separator (\n), or a control. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const LINE_NAME_BAD = /[^\S\n]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CSV_NAME_BAD = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** Formats written as `image value` lines split on whitespace. */
function isLineFormat(format: SourceFormat): boolean {
  return format !== 'generic-csv';
}

/** The first character the pattern finds (or a line feed), as U+XXXX: never the raw text, which may be anything. */
function codePoint(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  const code = match ? (match[0].codePointAt(0) ?? 0) : 0x0a;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export interface LabelCheckOptions {
  scheme: LabelScheme;
  format: SourceFormat;
}

/** Why sample i's image name cannot be written; null when it can. */
function nameProblem(name: string, lineFormat: boolean): string | null {
  if (name === '') return 'the image name is empty';
  if (lineFormat) {
    if (LINE_NAME_BAD.test(name) || name.includes('\n')) {
      return `the image name holds whitespace or a control character (${codePoint(name, LINE_NAME_BAD)}), which would split its line`;
    }
  } else if (CSV_NAME_BAD.test(name) || name.includes('\n')) {
    return `the image name holds a line break or control character (${codePoint(name, CSV_NAME_BAD)})`;
  }
  return null;
}

/**
 * Name problems of a table, by sample (sparse: almost always empty). One scan of
 * the joined names finds nothing in a sound table; only then are names looked at
 * one by one. Kept per table, since the preview selects again on every option change.
 */
const nameProblemsCache = new WeakMap<SampleTable, Map<boolean, Map<number, string>>>();

function nameProblems(table: SampleTable, lineFormat: boolean): Map<number, string> {
  let byFormat = nameProblemsCache.get(table);
  if (!byFormat) nameProblemsCache.set(table, (byFormat = new Map()));
  let problems = byFormat.get(lineFormat);
  if (problems) return problems;
  problems = new Map();
  const { names } = table;
  const scanAll = (lineFormat ? LINE_NAME_BAD : CSV_NAME_BAD).test(names.text);
  for (let i = 0; i < table.count; i++) {
    const start = startOf(names, i);
    const end = names.ends[i];
    if (end === undefined || end <= start) {
      problems.set(i, 'the image name is empty');
      continue;
    }
    if (!scanAll) continue;
    const problem = nameProblem(names.text.slice(start, end), lineFormat);
    if (problem !== null) problems.set(i, problem);
  }
  byFormat.set(lineFormat, problems);
  return problems;
}

/** Control-character problems of the imported AU texts, by sample (sparse), kept per table. */
const auTextProblemsCache = new WeakMap<SampleTable, Map<number, string>>();

function originalAuTextProblems(table: SampleTable): Map<number, string> {
  let problems = auTextProblemsCache.get(table);
  if (problems) return problems;
  problems = new Map();
  if (CONTROL.test(table.auRaw.join(''))) {
    for (let i = 0; i < table.count; i++) {
      const raw = table.auRaw[i] ?? '';
      if (CONTROL.test(raw)) {
        problems.set(
          i,
          `the AU text holds a line break or control character (${codePoint(raw, CONTROL)})`,
        );
      }
    }
  }
  auTextProblemsCache.set(table, problems);
  return problems;
}

/** Why a corrected, coded AU text cannot be written; null when it can. Its mask must be the one it spells. */
function correctedAuProblem(raw: string): { problem: string | null; lo: number; hi: number } {
  if (CONTROL_OR_TAB.test(raw)) {
    return {
      problem: `the corrected AU text holds a line break or control character (${codePoint(raw, CONTROL_OR_TAB)})`,
      lo: 0,
      hi: 0,
    };
  }
  const parsed = parseAuString(raw);
  const [lo, hi] = auMaskWords(parsed.tokens);
  if (parsed.unknown.length > 0) {
    const token = parsed.unknown[0] as string;
    return {
      problem:
        token === ''
          ? 'the corrected AU text has an empty token'
          : `the corrected AU text has the token '${token.slice(0, 40)}', outside the AU grammar`,
      lo,
      hi,
    };
  }
  return { problem: null, lo, hi };
}

/**
 * A checker for the labels an export writes: checker(i) is why sample i cannot be
 * written, or null. `labels` is what is written (the final labels or the table).
 */
export function labelChecker(
  table: SampleTable,
  labels: WrittenLabels,
  options: LabelCheckOptions,
): (i: number) => string | null {
  const { scheme } = options;
  const names = nameProblems(table, isLineFormat(options.format));
  const originalAu = originalAuTextProblems(table);
  // Int16 ids, offset to index a table of every value the column can hold.
  const inScheme = new Uint8Array(1 << 16);
  for (const c of scheme.classes) {
    if (c.id >= -32768 && c.id <= 32767) inScheme[c.id + 32768] = 1;
  }
  const corrected = new Map<string, ReturnType<typeof correctedAuProblem>>();
  const correctedCheck = (raw: string) => {
    let result = corrected.get(raw);
    if (!result) corrected.set(raw, (result = correctedAuProblem(raw)));
    return result;
  };

  return (i) => {
    const name = names.get(i);
    if (name !== undefined) return name;

    const classId = labels.classIds[i] as number;
    if (inScheme[classId + 32768] !== 1 && !(classId === -1 && table.classIds[i] === -1)) {
      return classId === -1
        ? 'the class was removed, so the emotion file would miss its line'
        : `class id ${classId} is not in ${scheme.name}`;
    }

    const split = table.splits[i] as number;
    if (split < -1) return `split id ${split} is not -1 (none) or 0-127`;

    const status = labels.auStatus[i] as number;
    if (status !== AuStatus.absent && status !== AuStatus.null && status !== AuStatus.coded) {
      return `AU status ${status} is unknown`;
    }
    const raw = labels.auRaw[i] ?? '';
    const original = table.auRaw[i] ?? '';
    if (status === table.auStatus[i] && raw === original) {
      const problem = originalAu.get(i);
      if (problem !== undefined) return problem;
      if (labels === table || status !== AuStatus.coded) return null;
      // Same text: the mask must still be the imported one.
      const same =
        labels.auMask[2 * i] === table.auMask[2 * i] &&
        labels.auMask[2 * i + 1] === table.auMask[2 * i + 1];
      return same ? null : 'the AU mask does not match the AU text';
    }
    if (status === AuStatus.absent) {
      return 'the AU value was removed, so the AU file would miss its line';
    }
    if (CONTROL.test(raw)) {
      return `the AU text holds a line break or control character (${codePoint(raw, CONTROL)})`;
    }
    // A null label is written as `null` (its own spelling when it spells null).
    if (status === AuStatus.null) return null;
    // Coded without text: the writer spells the mask's AUs, which always parse.
    if (raw.trim() === '') return null;
    const { problem, lo, hi } = correctedCheck(raw);
    if (problem !== null) return problem;
    if (labels.auMask[2 * i] !== lo || labels.auMask[2 * i + 1] !== hi) {
      return 'the AU mask does not match the AU text';
    }
    return null;
  };
}

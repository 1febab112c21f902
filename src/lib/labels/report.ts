import { auName, isKnownToken, parseAuString, parseAuToken, type AuParse } from './au';
import type { AuValue, AuValueIds, FileRole } from './records';
import { className, splitName } from './schemes';
import {
  AuStatus,
  SampleFlag,
  type AuTokenCount,
  type LabelScheme,
  type ParseReport,
  type Problem,
  type SampleTable,
  type SourceFormat,
  type SplitNames,
} from './types';
import { textAt } from './text-column';

export const MAX_REPORT_PROBLEMS = 500;
export const MAX_REPORT_EXAMPLES = 20;
/** Characters of a problem's raw text the report keeps: a rejected row may be a long line. */
export const MAX_REPORT_RAW_CHARS = 200;

export interface ReportFile {
  name: string;
  role: FileRole;
  /** Non-blank data lines read. */
  lines: number;
  accepted: number;
}

export interface ReportImages {
  given: number;
  imagesWithoutLabels: readonly string[];
  /** Sample indices. */
  labelsWithoutImages: readonly number[];
}

export interface ParseReportInput {
  format: SourceFormat;
  scheme: LabelScheme | null;
  splitNames: SplitNames;
  table: SampleTable;
  files: readonly ReportFile[];
  problems: readonly Problem[];
  /** Absent when no image files were given. */
  images?: ReportImages;
  /** The join's AU value of each sample, to count tokens without reading every AU text. */
  auValues?: AuValueIds;
}

/** Every distinct token as written, most frequent first, with what it means. */
export function countAuTokens(table: SampleTable, auValues?: AuValueIds): AuTokenCount[] {
  return tokenCounts(table, auValues, auValues ? tallySamples(table, auValues).timesByValue : null);
}

/**
 * countAuTokens, given how many coded samples each of the join's AU values has
 * (timesByValue, by id) when the ids are known.
 */
function tokenCounts(
  table: SampleTable,
  auValues: AuValueIds | undefined,
  timesByValue: Int32Array | null,
): AuTokenCount[] {
  // Distinct AU values first: a dataset repeats a few thousand of them.
  const values = new Map<AuParse, number>();
  if (auValues && timesByValue) {
    // By id, not by text: no hashing of a million strings, no parsing again.
    timesByValue.forEach((n, id) => {
      if (n > 0) {
        const parsed = (auValues.values[id] as AuValue).parsed;
        values.set(parsed, (values.get(parsed) ?? 0) + n);
      }
    });
  } else {
    const byText = new Map<string, number>();
    for (let i = 0; i < table.count; i++) {
      if (table.auStatus[i] !== AuStatus.coded) continue;
      const raw = table.auRaw[i] as string;
      byText.set(raw, (byText.get(raw) ?? 0) + 1);
    }
    for (const [raw, n] of byText) values.set(parseAuString(raw), n);
  }
  const counts = new Map<string, number>();
  for (const [parsed, times] of values) {
    for (const token of parsed.tokens) counts.set(token.raw, (counts.get(token.raw) ?? 0) + times);
    for (const raw of parsed.unknown) counts.set(raw, (counts.get(raw) ?? 0) + times);
  }
  return [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .map(([token, count]) => {
      const parsed = parseAuToken(token);
      return {
        token,
        count,
        au: parsed?.au ?? null,
        kind: parsed?.kind ?? null,
        side: parsed?.side ?? null,
        intensity: parsed?.intensity ?? null,
        name: parsed ? auName(parsed.au) : null,
        known: parsed !== null && isKnownToken(parsed),
      };
    });
}

/** Offsets that make every Int16 class id and Int8 split id an array index. */
const CLASS_OFFSET = 32768;
const SPLIT_OFFSET = 128;

/** What the report counts of the samples, gathered in one pass (each pass over a million costs). */
interface SampleTally {
  nullCount: number;
  codedCount: number;
  absentCount: number;
  /** By class id + CLASS_OFFSET: samples, and those with a null AU label. */
  classCount: Int32Array;
  classNull: Int32Array;
  /** By split id + SPLIT_OFFSET. */
  splitCount: Int32Array;
  splitNull: Int32Array;
  /** Coded samples of each of the join's AU values, by id (when the ids are given). */
  timesByValue: Int32Array | null;
  /** Samples flagged SampleFlag.duplicateAuToken, and the first few of them. */
  duplicateCount: number;
  duplicateExamples: number[];
}

function tallySamples(table: SampleTable, auValues?: AuValueIds): SampleTally {
  // Arrays indexed by id (the columns are 8- or 16-bit) rather than a Map lookup per sample.
  const classCount = new Int32Array(2 * CLASS_OFFSET);
  const classNull = new Int32Array(2 * CLASS_OFFSET);
  const splitCount = new Int32Array(2 * SPLIT_OFFSET);
  const splitNull = new Int32Array(2 * SPLIT_OFFSET);
  const timesByValue = auValues ? new Int32Array(auValues.values.length) : null;
  const valueIds = auValues?.ids;
  const { auStatus, classIds, splits, flags } = table;
  let nullCount = 0;
  let codedCount = 0;
  let duplicateCount = 0;
  const duplicateExamples: number[] = [];
  for (let i = 0; i < table.count; i++) {
    if (((flags[i] as number) & SampleFlag.duplicateAuToken) !== 0) {
      if (duplicateCount < MAX_REPORT_EXAMPLES) duplicateExamples.push(i);
      duplicateCount++;
    }
    const classSlot = (classIds[i] as number) + CLASS_OFFSET;
    const splitSlot = (splits[i] as number) + SPLIT_OFFSET;
    classCount[classSlot] = (classCount[classSlot] as number) + 1;
    splitCount[splitSlot] = (splitCount[splitSlot] as number) + 1;
    const status = auStatus[i];
    if (status === AuStatus.null) {
      nullCount++;
      classNull[classSlot] = (classNull[classSlot] as number) + 1;
      splitNull[splitSlot] = (splitNull[splitSlot] as number) + 1;
    } else if (status === AuStatus.coded) {
      codedCount++;
      const id = valueIds ? (valueIds[i] as number) : -1;
      if (timesByValue && id >= 0) timesByValue[id] = (timesByValue[id] as number) + 1;
    }
  }
  return {
    nullCount,
    codedCount,
    absentCount: table.count - nullCount - codedCount,
    classCount,
    classNull,
    splitCount,
    splitNull,
    timesByValue,
    duplicateCount,
    duplicateExamples,
  };
}

/** The counts by id: the listed ids (even at 0), then every id some sample has. */
function countsById(
  count: Int32Array,
  nullCount: Int32Array,
  offset: number,
  listed: readonly number[],
): Map<number, { count: number; nullCount: number }> {
  const counts = new Map<number, { count: number; nullCount: number }>();
  for (const id of listed) counts.set(id, { count: 0, nullCount: 0 });
  for (let slot = 0; slot < count.length; slot++) {
    if (count[slot] === 0) continue;
    counts.set(slot - offset, {
      count: count[slot] as number,
      nullCount: nullCount[slot] as number,
    });
  }
  return counts;
}

/** Listed ids first in their order, then ids only seen in the data ascending, "none" (-1) last. */
function orderedIds(counts: Map<number, unknown>, listed: readonly number[]): number[] {
  const extra = [...counts.keys()]
    .filter((id) => !listed.includes(id) && id >= 0)
    .sort((a, b) => a - b);
  return [...listed, ...extra, ...(counts.has(-1) && !listed.includes(-1) ? [-1] : [])];
}

export function buildParseReport(input: ParseReportInput): ParseReport {
  const { table, scheme, splitNames } = input;
  const problemCounts: Record<string, number> = {};
  for (const problem of input.problems) {
    problemCounts[problem.kind] = (problemCounts[problem.kind] ?? 0) + 1;
  }
  // Errors first, so the cap never hides a rejected row behind warnings.
  const shownProblems = [...input.problems]
    .sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'))
    .slice(0, MAX_REPORT_PROBLEMS)
    .map((problem) =>
      problem.raw.length > MAX_REPORT_RAW_CHARS
        ? { ...problem, raw: `${problem.raw.slice(0, MAX_REPORT_RAW_CHARS)}…` }
        : problem,
    );

  const tally = tallySamples(table, input.auValues);
  const { nullCount, codedCount, absentCount } = tally;
  const classIds = scheme ? scheme.classes.map((c) => c.id) : [];
  const classCounts = countsById(tally.classCount, tally.classNull, CLASS_OFFSET, classIds);
  const splitIds = Object.keys(splitNames)
    .map(Number)
    .filter(Number.isInteger)
    .sort((a, b) => a - b);
  const splitCounts = countsById(tally.splitCount, tally.splitNull, SPLIT_OFFSET, splitIds);

  const images = input.images;
  return {
    version: 1,
    format: input.format,
    files: input.files.map((file) => ({
      name: file.name,
      role: file.role,
      lines: file.lines,
      accepted: file.accepted,
      rejected: file.lines - file.accepted,
    })),
    rowsRead: input.files.reduce((sum, file) => sum + file.lines, 0),
    samples: table.count,
    problems: shownProblems,
    problemsTruncated: input.problems.length > MAX_REPORT_PROBLEMS,
    problemCounts,
    auTokens: tokenCounts(table, input.auValues, tally.timesByValue),
    nullCount,
    codedCount,
    absentCount,
    classCounts: orderedIds(classCounts, classIds).map((classId) => ({
      classId,
      name: scheme
        ? className(scheme, classId)
        : classId < 0
          ? '(no emotion label)'
          : `class ${classId}`,
      ...(classCounts.get(classId) as { count: number; nullCount: number }),
    })),
    splitCounts: orderedIds(splitCounts, splitIds).map((split) => ({
      split,
      name: splitName(splitNames, split),
      ...(splitCounts.get(split) as { count: number; nullCount: number }),
    })),
    imagesWithoutLabels: {
      count: images?.imagesWithoutLabels.length ?? 0,
      examples: (images?.imagesWithoutLabels ?? []).slice(0, MAX_REPORT_EXAMPLES),
    },
    labelsWithoutImages: {
      count: images?.labelsWithoutImages.length ?? 0,
      examples: (images?.labelsWithoutImages ?? [])
        .slice(0, MAX_REPORT_EXAMPLES)
        .map((i) => textAt(table.names, i)),
    },
    imagesGiven: images?.given ?? 0,
    duplicateAuTokens: {
      count: tally.duplicateCount,
      examples: tally.duplicateExamples.map((i) => ({
        image: textAt(table.names, i),
        au: table.auRaw[i] as string,
      })),
    },
  };
}

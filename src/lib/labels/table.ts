import { auMaskWords, isKnownToken, maskToAus, type AuParse } from './au';
import { makeProblem, type FileRole, type LabelRecord } from './records';
import { className, splitName } from './schemes';
import {
  AuStatus,
  SampleFlag,
  type AuStatusCode,
  type LabelScheme,
  type Problem,
  type SampleTable,
  type SplitNames,
} from './types';

/** The accepted records of one file, with the role it plays in the join. */
export interface LabelSource {
  file: string;
  role: FileRole;
  records: readonly LabelRecord[];
}

/** Sample order follows the files in this order of roles (a combined file carries the emotion). */
const ROLE_ORDER: Readonly<Record<FileRole, number>> = { combined: 0, emotion: 1, au: 2, split: 3 };

export function emptySampleTable(count = 0): SampleTable {
  return {
    count,
    names: new Array<string>(count).fill(''),
    classIds: new Int16Array(count).fill(-1),
    splits: new Int8Array(count).fill(-1),
    auStatus: new Uint8Array(count).fill(AuStatus.absent),
    auRaw: new Array<string>(count).fill(''),
    auMask: new Uint32Array(count * 2),
    flags: new Uint8Array(count),
  };
}

export function hasUnknownAuToken(parsed: AuParse): boolean {
  return parsed.unknown.length > 0 || parsed.tokens.some((token) => !isKnownToken(token));
}

const MISSING_MESSAGE: Readonly<Record<Exclude<FileRole, 'combined'>, string>> = {
  emotion: 'kept without an emotion label (class -1)',
  au: 'its AUs are absent (neither coded nor null)',
  split: 'kept without a split (-1)',
};

type AuValue = NonNullable<LabelRecord['au']>;

/**
 * Join per-file records by exact image name into one table. An image missing from
 * one of the files still becomes a sample, with a warning, so no row is lost.
 */
export function buildSampleTable(sources: readonly LabelSource[]): {
  table: SampleTable;
  problems: Problem[];
} {
  const ordered = sources
    .map((source, index) => ({ source, index }))
    .sort((a, b) => ROLE_ORDER[a.source.role] - ROLE_ORDER[b.source.role] || a.index - b.index)
    .map(({ source }) => source);

  // Columns rather than one object per sample: this runs on up to a million samples.
  const names: string[] = [];
  const classIds: number[] = [];
  const splits: number[] = [];
  const auValues: (AuValue | null)[] = [];
  /** Where each image was first seen, for problems about the sample as a whole. */
  const firstSource: number[] = [];
  const firstLine: number[] = [];
  const indexByName = new Map<string, number>();
  const maxSamples = ordered.reduce((sum, source) => sum + source.records.length, 0);
  const present = ordered.map(() => new Uint8Array(maxSamples));
  const problems: Problem[] = [];

  ordered.forEach((source, sourceIndex) => {
    const records = source.records;
    for (let r = 0; r < records.length; r++) {
      const record = records[r] as LabelRecord;
      // Files usually list the same images in the same order: check the same row first.
      let index: number | undefined = names[r] === record.image ? r : indexByName.get(record.image);
      if (index === undefined) {
        index = names.length;
        indexByName.set(record.image, index);
        names.push(record.image);
        classIds.push(-1);
        splits.push(-1);
        auValues.push(null);
        firstSource.push(sourceIndex);
        firstLine.push(record.line);
      }
      (present[sourceIndex] as Uint8Array)[index] = 1;
      const classId = record.classId ?? -1;
      const split = record.split ?? -1;
      const au = record.au;
      const keptClass = classIds[index] as number;
      const keptSplit = splits[index] as number;
      const keptAu = auValues[index] ?? null;
      if (classId >= 0 && keptClass < 0) classIds[index] = classId;
      if (split >= 0 && keptSplit < 0) splits[index] = split;
      if (au && keptAu === null) auValues[index] = au;
      const disagreements: [string, string, string][] = [];
      if (classId >= 0 && keptClass >= 0 && classId !== keptClass) {
        disagreements.push(['emotion', String(classId), String(keptClass)]);
      }
      if (split >= 0 && keptSplit >= 0 && split !== keptSplit) {
        disagreements.push(['split', String(split), String(keptSplit)]);
      }
      if (au && keptAu && au.raw.trim() !== keptAu.raw.trim()) {
        disagreements.push(['au', `'${au.raw}'`, `'${keptAu.raw}'`]);
      }
      for (const [field, raw, kept] of disagreements) {
        const firstFile = (ordered[firstSource[index] as number] as LabelSource).file;
        problems.push(
          makeProblem(
            source.file,
            record.line,
            'conflict',
            'warning',
            field,
            raw,
            `'${record.image}' has ${field} ${raw} here but ${kept} in ${firstFile} (line ${firstLine[index]}); the first is kept`,
          ),
        );
      }
    }
  });

  if (ordered.length > 1) {
    ordered.forEach((source, sourceIndex) => {
      if (source.role === 'combined') return;
      const message = MISSING_MESSAGE[source.role];
      const named = present[sourceIndex] as Uint8Array;
      for (let i = 0; i < names.length; i++) {
        if (named[i]) continue;
        const name = names[i] as string;
        problems.push(
          makeProblem(
            (ordered[firstSource[i] as number] as LabelSource).file,
            firstLine[i] as number,
            'conflict',
            'warning',
            'image',
            name,
            `'${name}' is not in ${source.file}: ${message}`,
          ),
        );
      }
    });
  }

  const table = emptySampleTable(names.length);
  table.names = names;
  table.classIds.set(classIds);
  table.splits.set(splits);
  // Rows share AuParse objects (see auValueReader): one mask per distinct parse.
  const masks = new Map<AuParse, { lo: number; hi: number; unknown: boolean }>();
  auValues.forEach((au, i) => {
    if (!au) return;
    const { raw, parsed } = au;
    table.auRaw[i] = raw;
    table.auStatus[i] = parsed.status === 'null' ? AuStatus.null : AuStatus.coded;
    let mask = masks.get(parsed);
    if (!mask) {
      const [lo, hi] = auMaskWords(parsed.tokens);
      mask = { lo, hi, unknown: hasUnknownAuToken(parsed) };
      masks.set(parsed, mask);
    }
    table.auMask[2 * i] = mask.lo;
    table.auMask[2 * i + 1] = mask.hi;
    if (mask.unknown) table.flags[i] = (table.flags[i] as number) | SampleFlag.unknownAuToken;
  });
  return { table, problems };
}

const AU_STATUS_NAMES: Readonly<Record<AuStatusCode, 'absent' | 'null' | 'coded'>> = {
  [AuStatus.absent]: 'absent',
  [AuStatus.null]: 'null',
  [AuStatus.coded]: 'coded',
};

export interface SampleRow {
  index: number;
  name: string;
  classId: number;
  className: string | null;
  split: number;
  splitName: string | null;
  auStatus: 'absent' | 'null' | 'coded';
  auRaw: string;
  aus: number[];
  unknownAuToken: boolean;
  hasImage: boolean;
}

/** Sample i as a plain object, for display and tests; names are filled when a scheme / split names are given. */
export function sampleRow(
  table: SampleTable,
  i: number,
  scheme?: LabelScheme,
  splitNames?: SplitNames,
): SampleRow {
  if (!Number.isInteger(i) || i < 0 || i >= table.count) {
    throw new RangeError(`sample ${i} is outside the table (${table.count} samples)`);
  }
  const classId = table.classIds[i] as number;
  const split = table.splits[i] as number;
  const flags = table.flags[i] as number;
  return {
    index: i,
    name: table.names[i] as string,
    classId,
    className: scheme ? className(scheme, classId) : null,
    split,
    splitName: splitNames ? splitName(splitNames, split) : null,
    auStatus: AU_STATUS_NAMES[table.auStatus[i] as AuStatusCode] ?? 'absent',
    auRaw: table.auRaw[i] as string,
    aus: maskToAus(table.auMask, i),
    unknownAuToken: (flags & SampleFlag.unknownAuToken) !== 0,
    hasImage: (flags & SampleFlag.hasImage) !== 0,
  };
}

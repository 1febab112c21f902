import { auMaskWords, isKnownToken, maskToAus, type AuParse } from './au';
import {
  makeProblem,
  type AuValue,
  type AuValueIds,
  type FileRole,
  type LabelColumns,
} from './records';
import { className, splitName } from './schemes';
import {
  EMPTY_TEXT_COLUMN,
  textAt,
  textColumnOf,
  textColumnToArray,
  type TextColumn,
} from './text-column';
import {
  AuStatus,
  SampleFlag,
  type AuStatusCode,
  type LabelScheme,
  type Problem,
  type SampleTable,
  type SplitNames,
} from './types';

/** The accepted rows of one file, with the role it plays in the join. */
export interface LabelSource {
  file: string;
  role: FileRole;
  rows: LabelColumns;
}

/** Sample order follows the files in this order of roles (a combined file carries the emotion). */
const ROLE_ORDER: Readonly<Record<FileRole, number>> = { combined: 0, emotion: 1, au: 2, split: 3 };

export function emptySampleTable(count = 0): SampleTable {
  return {
    count,
    names: textColumnOf(new Array<string>(count).fill('')),
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

/** The same AU (or action descriptor) coded twice, e.g. `26+26` or `12+L12`. */
export function hasDuplicateAuToken(parsed: AuParse): boolean {
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    const key = `${token.kind}${token.au}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

const MISSING_MESSAGE: Readonly<Record<Exclude<FileRole, 'combined'>, string>> = {
  emotion: 'kept without an emotion label (class -1)',
  au: 'its AUs are absent (neither coded nor null)',
  split: 'kept without a split (-1)',
};

/** True when every source names the same images in the same order (RAF-CE's files do). */
function sameImagesInSameOrder(sources: readonly LabelSource[]): boolean {
  const first = sources[0]?.rows;
  if (!first) return true;
  for (const { rows } of sources) {
    if (rows.count !== first.count) return false;
    if (rows.names === first.names) continue;
    if (rows.names.text !== first.names.text) return false;
    for (let r = 0; r < rows.count; r++)
      if (rows.names.ends[r] !== first.names.ends[r]) return false;
  }
  return true;
}

/** The values each file role can give. */
const ROLE_GIVES: Readonly<Record<FileRole, readonly ('class' | 'split' | 'au')[]>> = {
  combined: ['class', 'split', 'au'],
  emotion: ['class'],
  au: ['au'],
  split: ['split'],
};

/**
 * The one source that gives each value (-1: none), or null when a value is given by
 * more than one (then the rows are joined one by one, and conflicts reported).
 */
function onlySources(
  sources: readonly LabelSource[],
): { class: number; split: number; au: number } | null {
  const only = { class: -1, split: -1, au: -1 };
  for (let i = 0; i < sources.length; i++) {
    for (const value of ROLE_GIVES[(sources[i] as LabelSource).role]) {
      if (only[value] >= 0) return null;
      only[value] = i;
    }
  }
  return only;
}

/**
 * Join per-file rows by exact image name into one table. An image missing from
 * one of the files still becomes a sample, with a warning, so no row is lost.
 */
export function buildSampleTable(sources: readonly LabelSource[]): {
  table: SampleTable;
  problems: Problem[];
  /** Each sample's AU value, as an index into the sources' distinct values (for the report). */
  auValues: AuValueIds;
} {
  const ordered = sources
    .map((source, index) => ({ source, index }))
    .sort((a, b) => ROLE_ORDER[a.source.role] - ROLE_ORDER[b.source.role] || a.index - b.index)
    .map(({ source }) => source);
  const problems: Problem[] = [];

  // Where each source's rows go. Files that list the same images in the same order
  // (the usual case) need no lookup by name: row r is sample r.
  const aligned = sameImagesInSameOrder(ordered);
  let names: TextColumn;
  let sampleOf: (Int32Array | null)[];
  /** Where each image was first seen, for problems about the sample as a whole. */
  let firstSourceOf: (sample: number) => number;
  let firstLineOf: (sample: number) => number;
  if (aligned) {
    const first = ordered[0]?.rows;
    // Shared, not copied: the sources' columns are not used after the join.
    names = first ? first.names : EMPTY_TEXT_COLUMN;
    sampleOf = ordered.map(() => null);
    firstSourceOf = () => 0;
    firstLineOf = (sample) => first?.lines[sample] ?? 0;
  } else {
    const nameList: string[] = [];
    const firstSource: number[] = [];
    const firstLine: number[] = [];
    const indexByName = new Map<string, number>();
    sampleOf = ordered.map(({ rows }, sourceIndex) => {
      const samples = new Int32Array(rows.count);
      const images = textColumnToArray(rows.names);
      for (let r = 0; r < rows.count; r++) {
        const image = images[r] as string;
        // Files usually list the same images in the same order: check the same row first.
        let index: number | undefined = nameList[r] === image ? r : indexByName.get(image);
        if (index === undefined) {
          index = nameList.length;
          indexByName.set(image, index);
          nameList.push(image);
          firstSource.push(sourceIndex);
          firstLine.push(rows.lines[r] as number);
        }
        samples[r] = index;
      }
      return samples;
    });
    names = textColumnOf(nameList);
    firstSourceOf = (sample) => firstSource[sample] as number;
    firstLineOf = (sample) => firstLine[sample] as number;
  }

  const count = names.ends.length;
  const classIds = new Int16Array(count).fill(-1);
  const splits = new Int8Array(count).fill(-1);
  /** The kept AU value of each sample: its source and its id there (-1: none yet). */
  const auSource = new Int8Array(count).fill(-1);
  const auIds = new Int32Array(count).fill(-1);

  // Files in the same order, each value given by one file at most (RAF-CE's three
  // files): no value can conflict, and the columns are copied whole.
  const only = aligned ? onlySources(ordered) : null;
  if (only) {
    if (only.class >= 0) classIds.set((ordered[only.class] as LabelSource).rows.classIds);
    if (only.split >= 0) splits.set((ordered[only.split] as LabelSource).rows.splits);
    if (only.au >= 0) auIds.set((ordered[only.au] as LabelSource).rows.auIds);
  }

  ordered.forEach((source, sourceIndex) => {
    if (only) return;
    const { rows } = source;
    const samples = sampleOf[sourceIndex] ?? null;
    for (let r = 0; r < rows.count; r++) {
      const index = samples ? (samples[r] as number) : r;
      const classId = rows.classIds[r] as number;
      const split = rows.splits[r] as number;
      const auId = rows.auIds[r] as number;
      const keptClass = classIds[index] as number;
      const keptSplit = splits[index] as number;
      const keptAuSource = auSource[index] as number;
      if (classId >= 0 && keptClass < 0) classIds[index] = classId;
      if (split >= 0 && keptSplit < 0) splits[index] = split;
      if (auId >= 0 && keptAuSource < 0) {
        auSource[index] = sourceIndex;
        auIds[index] = auId;
      }
      const conflictingClass = classId >= 0 && keptClass >= 0 && classId !== keptClass;
      const conflictingSplit = split >= 0 && keptSplit >= 0 && split !== keptSplit;
      let conflictingAu: [string, string] | null = null;
      if (auId >= 0 && keptAuSource >= 0) {
        const au = (rows.auValues[auId] as AuValue).raw;
        const kept = (
          (ordered[keptAuSource] as LabelSource).rows.auValues[auIds[index] as number] as AuValue
        ).raw;
        if (au.trim() !== kept.trim()) conflictingAu = [au, kept];
      }
      if (!conflictingClass && !conflictingSplit && !conflictingAu) continue;
      const disagreements: [string, string, string][] = [];
      if (conflictingClass) disagreements.push(['emotion', String(classId), String(keptClass)]);
      if (conflictingSplit) disagreements.push(['split', String(split), String(keptSplit)]);
      if (conflictingAu)
        disagreements.push(['au', `'${conflictingAu[0]}'`, `'${conflictingAu[1]}'`]);
      const image = textAt(rows.names, r);
      const firstFile = (ordered[firstSourceOf(index)] as LabelSource).file;
      for (const [field, raw, kept] of disagreements) {
        problems.push(
          makeProblem(
            source.file,
            rows.lines[r] as number,
            'conflict',
            'warning',
            field,
            raw,
            `'${image}' has ${field} ${raw} here but ${kept} in ${firstFile} (line ${firstLineOf(index)}); the first is kept`,
          ),
        );
      }
    }
  });

  if (!aligned && ordered.length > 1) {
    ordered.forEach((source, sourceIndex) => {
      if (source.role === 'combined') return;
      const message = MISSING_MESSAGE[source.role];
      const named = new Uint8Array(count);
      for (const sample of sampleOf[sourceIndex] ?? []) named[sample] = 1;
      for (let i = 0; i < count; i++) {
        if (named[i]) continue;
        const name = textAt(names, i);
        problems.push(
          makeProblem(
            (ordered[firstSourceOf(i)] as LabelSource).file,
            firstLineOf(i),
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

  const table: SampleTable = {
    count,
    names,
    classIds,
    splits,
    auStatus: new Uint8Array(count).fill(AuStatus.absent),
    auRaw: new Array<string>(count).fill(''),
    auMask: new Uint32Array(count * 2),
    flags: new Uint8Array(count),
  };
  // What each distinct AU value (over all sources, by global id) sets, as columns:
  // a million samples then each read a few typed arrays, not an object.
  const offsets: number[] = [];
  const values: AuValue[] = [];
  for (const { rows } of ordered) {
    offsets.push(values.length);
    for (const value of rows.auValues) values.push(value);
  }
  const valueLo = new Uint32Array(values.length);
  const valueHi = new Uint32Array(values.length);
  const valueStatus = new Uint8Array(values.length);
  const valueFlags = new Uint8Array(values.length);
  const valueRaw = values.map(({ raw }) => raw);
  values.forEach(({ parsed }, id) => {
    const [lo, hi] = auMaskWords(parsed.tokens);
    valueLo[id] = lo;
    valueHi[id] = hi;
    valueStatus[id] = parsed.status === 'null' ? AuStatus.null : AuStatus.coded;
    valueFlags[id] =
      (hasUnknownAuToken(parsed) ? SampleFlag.unknownAuToken : 0) |
      (hasDuplicateAuToken(parsed) ? SampleFlag.duplicateAuToken : 0);
  });
  const globalIds = new Int32Array(count).fill(-1);
  const { auRaw, auStatus, auMask, flags } = table;
  // With one source of AU values, every sample that has one has it from there.
  const onlyAuSource = only ? only.au : -1;
  for (let i = 0; i < count; i++) {
    const sourceIndex = only ? onlyAuSource : (auSource[i] as number);
    if (sourceIndex < 0 || (auIds[i] as number) < 0) continue;
    const id = (offsets[sourceIndex] as number) + (auIds[i] as number);
    globalIds[i] = id;
    auRaw[i] = valueRaw[id] as string;
    auStatus[i] = valueStatus[id] as number;
    auMask[2 * i] = valueLo[id] as number;
    auMask[2 * i + 1] = valueHi[id] as number;
    flags[i] = (flags[i] as number) | (valueFlags[id] as number);
  }
  return { table, problems, auValues: { ids: globalIds, values } };
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
    name: textAt(table.names, i),
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

import { z } from 'zod';
import { maskHas } from '../../labels/au';
import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { AuStatus, ProblemSchema, type InputFile, type SampleTable } from '../../labels/types';
import { readOpenFace, type OpenFaceRead, type OpenFaceReadOptions } from './read';

/**
 * OpenFace as evidence about a dataset's AU labels: its rows are lined up with the
 * samples by image name, and per AU the labels' presence is set against OpenFace's,
 * over the samples whose labels are coded and whose face OpenFace tracked. OpenFace is
 * a model, not a coder: a disagreement says "look here", not "the label is wrong".
 * Each AU is compared only where OpenFace measures it (its file has a column for it).
 */

/**
 * How a row's image was found among the samples, surest first: the same name; the same
 * without its extension (`0001.png` for `0001.jpg`); without the `_aligned` OpenFace and
 * RAF put on aligned faces (`0001_aligned.jpg` for `0001.jpg`); by its base name
 * alone, folders aside, where only one sample has it (stills only).
 */
export const MatchWaySchema = z.enum([
  'exact',
  'without-extension',
  'without-aligned',
  'base-name',
]);
export type MatchWay = z.infer<typeof MatchWaySchema>;

const count = z.number().int().min(0);
/** A share in [0, 1]; null where there is nothing to divide by. */
const share = z.number().min(0).max(1).nullable();

export const AuAgreementSchema = z.object({
  au: z.number().int(),
  /** Samples compared on this AU. */
  samples: count,
  /** Present in the label and in OpenFace. */
  both: count,
  labelOnly: count,
  openFaceOnly: count,
  neither: count,
  /** (both + neither) / samples. */
  agreement: share,
  /**
   * Cohen's kappa: agreement beyond what the two base rates give by chance; null when
   * chance agreement is 1 (both sides the same on every sample), where it is undefined.
   */
  kappa: z.number().min(-1).max(1).nullable(),
  /** Share of the samples whose label has the AU: kappa and agreement mean little for a rare AU. */
  labelRate: share,
  openFaceRate: share,
});
export type AuAgreement = z.infer<typeof AuAgreementSchema>;

export const SampleDisagreementSchema = z.object({
  /** Index in the sample table. */
  sample: count,
  image: z.string(),
  /** AUs the label has and OpenFace does not, ascending. */
  labelOnly: z.array(z.number().int()),
  openFaceOnly: z.array(z.number().int()),
});
export type SampleDisagreement = z.infer<typeof SampleDisagreementSchema>;

export const OpenFaceRowRefSchema = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  image: z.string(),
});
export type OpenFaceRowRef = z.infer<typeof OpenFaceRowRefSchema>;

export const OpenFaceEvidenceSchema = z.object({
  presenceThreshold: z.number(),
  /** One per AU OpenFace measured in any file, ascending. */
  aus: z.array(AuAgreementSchema),
  /** Samples compared where the label and OpenFace differ on some AU, in table order. */
  disagreements: z.array(SampleDisagreementSchema),
  /** Samples compared: a coded label and a tracked OpenFace row. */
  samplesCompared: count,
  /** Samples with a row, but whose label is not coded (null or absent). */
  samplesNotCoded: count,
  /** Samples with a coded label whose row says OpenFace lost the face (success 0). */
  samplesNotTracked: count,
  /** Rows lined up with a sample, by how. */
  matchedBy: z.record(MatchWaySchema, count),
  /** Rows whose image is no sample's. */
  rowsWithoutSample: z.array(OpenFaceRowRefSchema),
  /** Rows of a sample another row was already lined up with (the first is used). */
  rowsOfMatchedSample: z.array(OpenFaceRowRefSchema),
  /** Samples no row names, by index. */
  samplesWithoutRow: z.array(count),
  /** What reading the OpenFace files found wrong. */
  problems: z.array(ProblemSchema),
});
export type OpenFaceEvidence = z.infer<typeof OpenFaceEvidenceSchema>;

function withoutExtension(name: string): string {
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  const dot = name.lastIndexOf('.');
  return dot > slash + 1 ? name.slice(0, dot) : name;
}

const ALIGNED = /_aligned$/i;

/** The keys a name is looked up by, one per MatchWay, in order. */
function keysOf(name: string): [string, string, string, string] {
  const stem = withoutExtension(name);
  const unaligned = stem.replace(ALIGNED, '');
  return [name, stem, unaligned, baseName(unaligned)];
}

const MATCH_WAYS = MatchWaySchema.options;
/** A key more than one sample has: it names none of them. */
const AMBIGUOUS = -1;

/** Per MatchWay, each key's sample (AMBIGUOUS when several have it). */
function sampleKeys(table: SampleTable): Map<string, number>[] {
  const maps = MATCH_WAYS.map(() => new Map<string, number>());
  for (let s = 0; s < table.count; s++) {
    const keys = keysOf(textAt(table.names, s));
    keys.forEach((key, way) => {
      const map = maps[way] as Map<string, number>;
      map.set(key, map.has(key) ? AMBIGUOUS : s);
    });
  }
  return maps;
}

/** Cohen's kappa of a 2x2 table; null where chance agreement is 1. */
export function cohensKappa(
  both: number,
  firstOnly: number,
  secondOnly: number,
  neither: number,
): number | null {
  const n = both + firstOnly + secondOnly + neither;
  if (n === 0) return null;
  const observed = (both + neither) / n;
  const first = (both + firstOnly) / n;
  const second = (both + secondOnly) / n;
  const chance = first * second + (1 - first) * (1 - second);
  if (chance >= 1) return null;
  return (observed - chance) / (1 - chance);
}

function agreementOf(
  au: number,
  both: number,
  labelOnly: number,
  openFaceOnly: number,
  neither: number,
): AuAgreement {
  const samples = both + labelOnly + openFaceOnly + neither;
  const rate = (k: number) => (samples === 0 ? null : k / samples);
  return {
    au,
    samples,
    both,
    labelOnly,
    openFaceOnly,
    neither,
    agreement: rate(both + neither),
    kappa: cohensKappa(both, labelOnly, openFaceOnly, neither),
    labelRate: rate(both + labelOnly),
    openFaceRate: rate(both + openFaceOnly),
  };
}

function hasBit(lo: number, hi: number, au: number): boolean {
  return au <= 32 ? ((lo >>> (au - 1)) & 1) === 1 : ((hi >>> (au - 33)) & 1) === 1;
}

/** compareWithOpenFace of OpenFace files, read here. */
export function openFaceEvidence(
  files: readonly InputFile[],
  table: SampleTable,
  options: OpenFaceReadOptions = {},
): OpenFaceEvidence {
  return compareWithOpenFace(readOpenFace(files, options), table);
}

/** The labels of a table set against OpenFace rows already read (see readOpenFace). */
export function compareWithOpenFace(read: OpenFaceRead, table: SampleTable): OpenFaceEvidence {
  const keys = sampleKeys(table);
  const rowOf = new Int32Array(table.count).fill(-1);
  const matchedBy = Object.fromEntries(MATCH_WAYS.map((way) => [way, 0])) as Record<
    MatchWay,
    number
  >;
  const rowsWithoutSample: OpenFaceRowRef[] = [];
  const rowsOfMatchedSample: OpenFaceRowRef[] = [];
  const refOf = (r: number): OpenFaceRowRef => {
    const row = read.rows[r] as OpenFaceRead['rows'][number];
    return { file: read.files[row.file]?.name ?? '', line: row.line, image: row.image };
  };
  read.rows.forEach((row, r) => {
    const rowKeys = keysOf(row.image);
    let sample = -1;
    let way = 0;
    // A frame's base name (`00001`) is every video's: frames are matched with their video.
    const ways = row.image.includes('/') ? MATCH_WAYS.length - 1 : MATCH_WAYS.length;
    for (; way < ways; way++) {
      const found = (keys[way] as Map<string, number>).get(rowKeys[way] as string);
      if (found !== undefined && found !== AMBIGUOUS) {
        sample = found;
        break;
      }
    }
    if (sample < 0) rowsWithoutSample.push(refOf(r));
    else if ((rowOf[sample] as number) >= 0) rowsOfMatchedSample.push(refOf(r));
    else {
      rowOf[sample] = r;
      matchedBy[MATCH_WAYS[way] as MatchWay]++;
    }
  });

  const measured = read.files.map((file) => new Set(file.aus));
  const aus = [...new Set(read.files.flatMap((file) => file.aus))].sort((a, b) => a - b);
  const at = new Map(aus.map((au, k) => [au, k]));
  /** both, labelOnly, openFaceOnly, neither: four counts per AU. */
  const cells = new Int32Array(4 * aus.length);
  const disagreements: SampleDisagreement[] = [];
  const samplesWithoutRow: number[] = [];
  let samplesCompared = 0;
  let samplesNotCoded = 0;
  let samplesNotTracked = 0;
  for (let s = 0; s < table.count; s++) {
    const r = rowOf[s] as number;
    if (r < 0) {
      samplesWithoutRow.push(s);
      continue;
    }
    if (table.auStatus[s] !== AuStatus.coded) {
      samplesNotCoded++;
      continue;
    }
    const row = read.rows[r] as OpenFaceRead['rows'][number];
    if (!row.tracked) {
      samplesNotTracked++;
      continue;
    }
    samplesCompared++;
    const labelOnly: number[] = [];
    const openFaceOnly: number[] = [];
    for (const au of measured[row.file] ?? []) {
      const label = maskHas(table.auMask, s, au);
      const openFace = hasBit(row.lo, row.hi, au);
      const cell = 4 * (at.get(au) as number) + (label ? (openFace ? 0 : 1) : openFace ? 2 : 3);
      cells[cell] = (cells[cell] as number) + 1;
      if (label && !openFace) labelOnly.push(au);
      else if (openFace && !label) openFaceOnly.push(au);
    }
    if (labelOnly.length + openFaceOnly.length > 0)
      disagreements.push({
        sample: s,
        image: textAt(table.names, s),
        labelOnly: labelOnly.sort((a, b) => a - b),
        openFaceOnly: openFaceOnly.sort((a, b) => a - b),
      });
  }
  return {
    presenceThreshold: read.presenceThreshold,
    aus: aus.map((au, k) =>
      agreementOf(
        au,
        cells[4 * k] as number,
        cells[4 * k + 1] as number,
        cells[4 * k + 2] as number,
        cells[4 * k + 3] as number,
      ),
    ),
    disagreements,
    samplesCompared,
    samplesNotCoded,
    samplesNotTracked,
    matchedBy,
    rowsWithoutSample,
    rowsOfMatchedSample,
    samplesWithoutRow,
    problems: read.problems,
  };
}

import { z } from 'zod';
import { imageKey } from '../labels/images';
import { makeProblem } from '../labels/records';
import { decodeText, splitLines } from '../labels/text';
import { columnLength, textAt, type TextColumn } from '../labels/text-column';
import type { BasicEmotion, InputFile, Problem } from '../labels/types';

/**
 * RAF-ML `distribution.txt`: per image, the share of about 40 annotators who chose each
 * basic emotion, `0001.jpg 0.05 0.00 0.10 0.70 0.15 0.00`. It is read beside a dataset
 * that is already stored, so it is aligned to that dataset's samples on reading: one
 * row of six shares per sample, not one record per line of the file.
 */

/** The file's columns, in its order, as the label layer names the emotions. */
export const CROWD_EMOTIONS = [
  'surprise',
  'fear',
  'disgust',
  'happy',
  'sad',
  'anger',
] as const satisfies readonly BasicEmotion[];
export type CrowdEmotion = (typeof CROWD_EMOTIONS)[number];
export const CROWD_EMOTION_COUNT = CROWD_EMOTIONS.length;

/** How RAF-ML names its columns; problems name the field as the file's documentation does. */
const FILE_COLUMN_NAMES: Readonly<Record<CrowdEmotion, string>> = {
  surprise: 'p_surprise',
  fear: 'p_fear',
  disgust: 'p_disgust',
  happy: 'p_happiness',
  sad: 'p_sadness',
  anger: 'p_anger',
};

export const CROWD_DISTRIBUTION_VERSION = 1;

/** A row's shares may miss 1 by this much (the file rounds each to two decimals). */
export const CROWD_SUM_TOLERANCE = 0.02;

export const CrowdEmotionsSchema = z
  .tuple([
    z.literal('surprise'),
    z.literal('fear'),
    z.literal('disgust'),
    z.literal('happy'),
    z.literal('sad'),
    z.literal('anger'),
  ])
  .readonly();

/** Everything but the per-sample columns (which are typed arrays, checked by CrowdDistributionSchema). */
export const CrowdDistributionMetaSchema = z.object({
  version: z.literal(CROWD_DISTRIBUTION_VERSION),
  /** The file's name as given (a path in a folder or archive). */
  fileName: z.string(),
  emotions: CrowdEmotionsSchema,
  /** Samples that have a row. */
  matched: z.number().int().min(0),
});
export type CrowdDistributionMeta = z.infer<typeof CrowdDistributionMetaSchema>;

/**
 * The crowd's votes aligned to a dataset: sample i's shares are
 * shares[6i .. 6i+6) in the order of `emotions`, summing to 1, when has[i] is 1; NaN
 * otherwise.
 */
export interface CrowdDistribution extends CrowdDistributionMeta {
  shares: Float32Array;
  has: Uint8Array;
}

/**
 * Checks shapes and, since a stored record may be anything, each row too: a million
 * samples is six million floats, a few milliseconds.
 */
export const CrowdDistributionSchema = CrowdDistributionMetaSchema.extend({
  // z.custom, not z.instanceof: instanceof infers Float32Array<ArrayBuffer>, which a
  // view of any buffer (the interface's Float32Array) is not assignable to.
  shares: z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array'),
  has: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array'),
}).superRefine((crowd, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  const n = crowd.has.length;
  if (crowd.shares.length !== n * CROWD_EMOTION_COUNT) {
    issue('shares', `has ${crowd.shares.length} values, expected ${n * CROWD_EMOTION_COUNT}`);
    return;
  }
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const has = crowd.has[i] as number;
    if (has > 1) {
      issue('has', `entry ${i} is ${has}, expected 0 or 1`);
      return;
    }
    if (has === 0) continue;
    matched++;
    let sum = 0;
    for (let e = 0; e < CROWD_EMOTION_COUNT; e++) {
      const share = crowd.shares[i * CROWD_EMOTION_COUNT + e] as number;
      // NaN fails both comparisons' negation, so it is caught here too.
      if (!(share >= 0 && share <= 1)) {
        issue('shares', `sample ${i} has share ${share}`);
        return;
      }
      sum += share;
    }
    // Renormalised on reading; float32 rounding stays far below this.
    if (Math.abs(sum - 1) > 1e-4) {
      issue('shares', `sample ${i}'s shares sum to ${sum}`);
      return;
    }
  }
  if (matched !== crowd.matched)
    issue('matched', `is ${crowd.matched}, but ${matched} samples have a row`);
}) satisfies z.ZodType<CrowdDistribution>;

export interface CrowdRowCounts {
  /** Rows of shares (blank lines and a header line not counted). */
  read: number;
  /** Rows rejected with an error. */
  rejected: number;
  /** Well-formed rows naming no sample of the dataset. */
  skipped: number;
  /** Rows that gave samples their votes. */
  accepted: number;
}

export interface CrowdReadResult {
  /** null when the file could not be read or none of its rows names a sample. */
  crowd: CrowdDistribution | null;
  problems: Problem[];
  rows: CrowdRowCounts;
}

/** Sample i's six shares (NaN when it has no row): a view, not a copy. */
export function crowdSharesOf(crowd: CrowdDistribution, i: number): Float32Array {
  return crowd.shares.subarray(i * CROWD_EMOTION_COUNT, (i + 1) * CROWD_EMOTION_COUNT);
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Which emotion a header field names (`p_surprise`, `Happiness`, `sad`), or null. */
function headerEmotion(field: string): CrowdEmotion | null {
  const name = field.toLowerCase();
  if (name.includes('surpris')) return 'surprise';
  if (name.includes('fear')) return 'fear';
  if (name.includes('disgust')) return 'disgust';
  if (name.includes('happ')) return 'happy';
  if (name.includes('sad')) return 'sad';
  if (name.includes('ang')) return 'anger';
  return null;
}

/**
 * The column order a header line gives, or null when the line is not a header: six
 * fields (after an optional image column's name) that each name a different emotion.
 * A header that orders the emotions otherwise than RAF-ML is read in its own order;
 * reading it in RAF-ML's would silently swap emotions.
 */
function headerOrder(fields: readonly string[]): CrowdEmotion[] | null {
  if (fields.length !== CROWD_EMOTION_COUNT && fields.length !== CROWD_EMOTION_COUNT + 1)
    return null;
  const names = fields.slice(fields.length - CROWD_EMOTION_COUNT);
  const order: CrowdEmotion[] = [];
  for (const name of names) {
    const emotion = headerEmotion(name);
    if (emotion === null || order.includes(emotion)) return null;
    order.push(emotion);
  }
  return order;
}

function formatSum(sum: number): string {
  return String(Number(sum.toFixed(4)));
}

/** An accepted row of the file, waiting to be given to the samples it names. */
interface CrowdRow {
  line: number;
  image: string;
  /** Six shares in CROWD_EMOTIONS order, summing to 1. */
  shares: Float64Array;
  used: boolean;
}

/**
 * Reads `distribution.txt` against the dataset's image names (sample i is named
 * textAt(names, i)), matching by imageKey so that `0001.jpg` finds `0001_aligned.jpg`.
 * Bad rows are rejected with a problem each; rows naming no sample are skipped with a
 * warning. When several samples share an image key, each gets the image's row.
 */
export function readCrowdDistribution(file: InputFile, names: TextColumn): CrowdReadResult {
  const decoded = decodeText(file);
  if ('problem' in decoded)
    return {
      crowd: null,
      problems: [decoded.problem],
      rows: { read: 0, rejected: 0, skipped: 0, accepted: 0 },
    };

  const problems: Problem[] = [];
  // Keyed by the file's rows, not the dataset's samples: the file has a few thousand,
  // a dataset up to a million, and a Map of a million keys took seconds to fill.
  const rowOfKey = new Map<string, CrowdRow>();
  let order: readonly CrowdEmotion[] = CROWD_EMOTIONS;
  const columnOf = (at: number): string => FILE_COLUMN_NAMES[order[at] as CrowdEmotion];
  const values = new Float64Array(CROWD_EMOTION_COUNT);
  let firstRow = true;
  let rowsRead = 0;
  let rowsRejected = 0;

  const reject = (
    line: number,
    kind: Problem['kind'],
    field: string,
    raw: string,
    message: string,
  ) => {
    rowsRejected++;
    problems.push(makeProblem(file.name, line, kind, 'error', field, raw, message));
  };

  for (const { line, text } of splitLines(decoded.text)) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const fields = trimmed.split(/\s+/);
    if (firstRow) {
      firstRow = false;
      const header = headerOrder(fields);
      if (header) {
        order = header;
        continue;
      }
    }
    rowsRead++;
    if (fields.length !== CROWD_EMOTION_COUNT + 1) {
      reject(
        line,
        'column-count',
        'line',
        text,
        `expected 7 fields 'image p_surprise p_fear p_disgust p_happiness p_sadness p_anger', found ${fields.length}; row rejected`,
      );
      continue;
    }
    const image = fields[0] as string;
    let bad = false;
    let sum = 0;
    for (let at = 0; at < CROWD_EMOTION_COUNT; at++) {
      const raw = fields[at + 1] as string;
      const value = NUMBER.test(raw) ? Number(raw) : NaN;
      let message: string | null = null;
      if (Number.isNaN(value)) message = `'${raw}' is not a number`;
      else if (value < 0) message = `share ${raw} is negative`;
      else if (value > 1) message = `share ${raw} is above 1`;
      if (message !== null) {
        reject(line, 'missing-value', columnOf(at), raw, `${message}; row rejected`);
        bad = true;
        break;
      }
      values[at] = value;
      sum += value;
    }
    if (bad) continue;
    // In binary 0.52 + 0.5 - 1 is 0.020000000000000018: a row off by exactly the
    // tolerance in decimal stays in.
    if (Math.abs(sum - 1) > CROWD_SUM_TOLERANCE + 1e-9) {
      reject(
        line,
        'missing-value',
        'line',
        text,
        `shares sum to ${formatSum(sum)}, not 1 (tolerance ${CROWD_SUM_TOLERANCE}); row rejected`,
      );
      continue;
    }
    const key = imageKey(image);
    const first = rowOfKey.get(key);
    if (first !== undefined) {
      const same =
        first.image === image
          ? `image '${image}' already given on line ${first.line}`
          : `image '${image}' is the same image as '${first.image}' on line ${first.line}`;
      reject(line, 'duplicate-image', 'image', image, `${same}; this row is rejected`);
      continue;
    }
    const shares = new Float64Array(CROWD_EMOTION_COUNT);
    for (let at = 0; at < CROWD_EMOTION_COUNT; at++)
      shares[CROWD_EMOTIONS.indexOf(order[at] as CrowdEmotion)] = (values[at] as number) / sum;
    rowOfKey.set(key, { line, image, shares, used: false });
  }

  const n = columnLength(names);
  const shares = new Float32Array(n * CROWD_EMOTION_COUNT).fill(NaN);
  const has = new Uint8Array(n);
  let matched = 0;
  if (rowOfKey.size > 0) {
    for (let i = 0; i < n; i++) {
      const row = rowOfKey.get(imageKey(textAt(names, i)));
      if (row === undefined) continue;
      shares.set(row.shares, i * CROWD_EMOTION_COUNT);
      has[i] = 1;
      row.used = true;
      matched++;
    }
  }
  let rowsSkipped = 0;
  for (const row of rowOfKey.values()) {
    if (row.used) continue;
    rowsSkipped++;
    problems.push(
      makeProblem(
        file.name,
        row.line,
        'unmatched',
        'warning',
        'image',
        row.image,
        `image '${row.image}' is not in the dataset; row skipped`,
      ),
    );
  }
  problems.sort((a, b) => a.line - b.line);
  const rows: CrowdRowCounts = {
    read: rowsRead,
    rejected: rowsRejected,
    skipped: rowsSkipped,
    accepted: rowOfKey.size - rowsSkipped,
  };

  if (matched === 0) {
    problems.push(
      makeProblem(
        file.name,
        0,
        'unmatched',
        'error',
        'file',
        '',
        rowsRead === 0
          ? 'the file holds no rows of shares; nothing imported'
          : `none of the file's ${rowsRead.toLocaleString('en')} rows names an image of the dataset; nothing imported`,
      ),
    );
    return { crowd: null, problems, rows };
  }
  return {
    rows,
    crowd: {
      version: CROWD_DISTRIBUTION_VERSION,
      fileName: file.name,
      emotions: CROWD_EMOTIONS,
      shares,
      has,
      matched,
    },
    problems,
  };
}

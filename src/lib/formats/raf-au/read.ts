import {
  CROWD_EMOTIONS,
  CROWD_EMOTION_COUNT,
  crowdSharesOf,
  readCrowdDistribution,
} from '../../label-evidence/crowd-file';
import { imageKey } from '../../labels/images';
import {
  baseName,
  makeProblem,
  sourceFileOf,
  type LabelColumns,
  type ReadResult,
} from '../../labels/records';
import { decodeText, splitLines } from '../../labels/text';
import { textAt } from '../../labels/text-column';
import type { InputFile, Problem } from '../../labels/types';
import { looksLikeImageName } from '../sniff';

/**
 * RAF-AU: `RAFAU_label.txt`, one `image AU-string` pair a line (`0007.jpg 1+2+25`,
 * `0007.jpg null`), the file RAF-CE took its AU strings from; read by RAF-CE's AU
 * reader. Its images have no emotion label of their own: RAF-ML's `distribution.txt`
 * (the share of about 40 annotators per basic emotion), given in the same import,
 * lends each image its leading emotion.
 */

export const RAFAU_FILE_NAME = 'RAFAU_label.txt';
export const RAFML_FILE_NAME = 'distribution.txt';

export function isRafAuFileName(path: string): boolean {
  return baseName(path).toLowerCase() === RAFAU_FILE_NAME.toLowerCase();
}

export function isRafMlFileName(path: string): boolean {
  return baseName(path).toLowerCase() === RAFML_FILE_NAME;
}

const SHARE = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether the lines read as RAF-ML's: an image and six shares from 0 to 1 each, after
 * at most one header line.
 */
export function looksLikeRafMl(lines: readonly string[]): boolean {
  const rows = lines.map((line) => line.trim().split(/\s+/));
  const body = rows.length > 1 && !looksLikeImageName(rows[0]?.[0] ?? '') ? rows.slice(1) : rows;
  if (body.length === 0) return false;
  return body.every(
    (fields) =>
      fields.length === CROWD_EMOTION_COUNT + 1 &&
      looksLikeImageName(fields[0] as string) &&
      fields.slice(1).every((share) => SHARE.test(share) && Number(share) <= 1),
  );
}

/**
 * The column of the largest share, or -1 when two or more columns share it (the crowd
 * did not settle on one emotion, and no class is better than a coin toss).
 */
export function leadingEmotion(shares: ArrayLike<number>): number {
  let best = -1;
  let top = -Infinity;
  let tied = false;
  for (let e = 0; e < shares.length; e++) {
    const share = shares[e] as number;
    if (share > top) {
      top = share;
      best = e;
      tied = false;
    } else if (share === top) {
      tied = true;
    }
  }
  return tied ? -1 : best;
}

export interface RafMlEmotions {
  /** null when the file could not be decoded (problems says why). */
  read: ReadResult | null;
  /** The decoding problem, when read is null. */
  problems: Problem[];
  /** Samples given a class. */
  given: number;
}

/**
 * The leading emotion of each sample of the AU file, from RAF-ML's shares, as a read
 * that names the same images in the same order (the AU read's own names column): the
 * join then lines the two up without a lookup, and the samples keep the AU file's
 * order, which its writer gives back byte for byte. A sample without a row, or whose
 * row is tied, has no class (-1).
 */
export function readRafMlEmotions(file: InputFile, au: ReadResult): RafMlEmotions {
  const decoded = decodeText(file);
  if ('problem' in decoded) return { read: null, problems: [decoded.problem], given: 0 };
  const { crowd, problems, rows } = readCrowdDistribution(file, au.rows.names);
  const count = au.rows.count;
  const classIds = new Int16Array(count).fill(-1);
  const lines = new Int32Array(count);
  let given = 0;
  if (crowd) {
    // The crowd reader aligns shares to samples and keeps no lines; they are found
    // again by image key, the first row of a key being the one it kept.
    const rowOfKey = new Map<string, { line: number; text: string }>();
    for (const { line, text } of splitLines(decoded.text)) {
      const image = text.trim().split(/\s+/)[0] ?? '';
      const key = imageKey(image);
      if (image !== '' && !rowOfKey.has(key)) rowOfKey.set(key, { line, text });
    }
    for (let i = 0; i < count; i++) {
      if (crowd.has[i] !== 1) continue;
      const row = rowOfKey.get(imageKey(textAt(au.rows.names, i)));
      lines[i] = row?.line ?? 0;
      const shares = crowdSharesOf(crowd, i);
      const leading = leadingEmotion(shares);
      if (leading >= 0) {
        classIds[i] = leading;
        given++;
        continue;
      }
      const top = Math.max(...shares);
      const tied = CROWD_EMOTIONS.filter((_, e) => shares[e] === top);
      problems.push(
        makeProblem(
          file.name,
          row?.line ?? 0,
          'missing-value',
          'warning',
          'emotion',
          row?.text ?? textAt(au.rows.names, i),
          `the largest share (${Number(top.toFixed(3))}) is tied between ${tied.join(' and ')}; ` +
            `'${textAt(au.rows.names, i)}' kept without an emotion label`,
        ),
      );
    }
    problems.sort((a, b) => a.line - b.line);
  }
  const columns: LabelColumns = {
    count,
    lines,
    names: au.rows.names,
    classIds,
    splits: new Int8Array(count).fill(-1),
    auIds: new Int32Array(count).fill(-1),
    auValues: [],
  };
  return {
    read: {
      rows: columns,
      problems,
      rowsRead: rows.read,
      source: sourceFileOf(file.name, 'emotion', decoded),
    },
    problems: [],
    given,
  };
}

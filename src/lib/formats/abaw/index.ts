import type { Detection, FileHead, LabelFormat } from '../format';
import { headLines } from '../sniff';
import { parseAbawHeader, readAbaw } from './read';
import { ABAW_AUS } from './scheme';
import { writeAbaw } from './write';

/**
 * Aff-Wild2 / ABAW (Kollias et al.): one `.txt` per video and set, told by its header
 * line: AU columns (`AU1,AU2,...,AU26`) or the eight expression names. See read.ts.
 */

const AU_VALUE = /^(?:0|1|-1)$/;
/**
 * Bytes of the head looked at: the header and a hundred frames or more. An import of
 * 550 videos asks every format about every file: decoding all of each head costs.
 */
const DETECT_BYTES = 4096;

function detect(file: FileHead): Detection | null {
  const [first, ...rows] = headLines({ ...file, head: file.head.subarray(0, DETECT_BYTES) }, 50);
  if (first === undefined) return null;
  const header = parseAbawHeader(first);
  if ('refused' in header) return null;
  if (header.set === 'emotion')
    return {
      format: 'abaw',
      role: 'emotion',
      confidence: header.exact ? 'certain' : 'likely',
      why: header.exact
        ? 'the ABAW expression header (Neutral,Anger,...,Other), one class index per line'
        : 'the ABAW expression class names as a header (spelled differently)',
    };
  if (header.exact)
    return {
      format: 'abaw',
      role: 'au',
      confidence: 'certain',
      why: 'the ABAW AU header (AU1,AU2,...,AU26), one 0/1/-1 line per frame',
    };
  const fits =
    rows.length > 0 &&
    rows.every((row) => {
      const values = row.split(',');
      return values.length === header.aus.length && values.every((v) => AU_VALUE.test(v));
    });
  return {
    format: 'abaw',
    role: 'au',
    confidence: fits ? 'likely' : 'possible',
    why: fits
      ? `a header of AU columns (${first.slice(0, 40)}) and 0/1/-1 lines, as in ABAW's AU set`
      : `a header of AU columns (${first.slice(0, 40)}), as in ABAW's AU set`,
  };
}

/**
 * The subject of an Aff-Wild2 video: its name without a trailing `_left`/`_right`.
 * Those mark two people filmed in one video (`118-30-640x480_left`, `..._right`);
 * they count as one subject here, so that a split by subject never puts one video's
 * frames on both sides (grouping two people is the safe mistake, leaking one is not).
 * Other names (`1-30-1280x720`, `video10-1`) are their own subject.
 */
export function abawSubject(video: string): string | null {
  const subject = video.replace(/_(?:left|right)$/i, '');
  return subject === '' ? null : subject;
}

export const ABAW_FORMAT: LabelFormat = {
  id: 'abaw',
  name: 'Aff-Wild2 / ABAW',
  files:
    'one .txt per video: an AU1,AU2,...,AU26 header (AU set) or Neutral,Anger,...,Other (EXPR set), then a line per frame',
  sourceFormats: ['abaw'],
  roles: ['au', 'emotion'],
  detect,
  read: readAbaw,
  write: writeAbaw,
  readmeName: () =>
    'Aff-Wild2 / ABAW (AU_Set and EXPR_Set: one .txt per video, a header then one line per frame, -1 = not annotated)',
  subjectOf: abawSubject,
  auVocabulary: ABAW_AUS,
};

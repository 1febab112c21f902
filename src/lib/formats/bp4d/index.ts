import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { headLines } from '../sniff';
import {
  BP4D_AUS,
  bp4dSubjectOf,
  isBp4dFileName,
  parseBp4dHeader,
  readBp4dFiles,
  readFrameRow,
} from './read';
import { writeBp4d } from './write';

/**
 * BP4D-Spontaneous AU occurrence: a CSV per video (`F001_T1.csv`), a header of the
 * frame column and AU numbers, then 0/1/9 per AU and frame. Frames are samples
 * `<video>/<frame:05d>.jpg`; all videos are read into one read.
 */

/** What the start of a file shows: a BP4D header with frame rows, a header alone, or neither. */
function contentOf(lines: readonly string[]): 'frames' | 'header' | null {
  const [first, ...rows] = lines;
  if (first === undefined) return null;
  const header = parseBp4dHeader(first);
  // Two AUs at least: `0,1` alone could be a line of another format's frame file.
  if ('problem' in header || header.aus.length < 2) return null;
  const cells = new Uint8Array(header.aus.length);
  for (const row of rows) if (readFrameRow(row, header.aus.length, cells) < 0) return null;
  return rows.length > 0 ? 'frames' : 'header';
}

function detect(file: FileHead): Detection | null {
  const named = isBp4dFileName(file.name);
  const content = contentOf(headLines(file));
  const base = { format: 'bp4d', role: 'au' } as const;
  if (named && content)
    return {
      ...base,
      confidence: 'certain',
      why: 'named <subject>_<task>.csv, a header of frame and AU numbers, then 0/1/9 per frame',
    };
  // A BP4D name whose content does not fit is still read as one: its problems say why.
  if (named) return { ...base, confidence: 'likely', why: 'named <subject>_<task>.csv, as BP4D' };
  if (content === 'frames')
    return {
      ...base,
      confidence: 'likely',
      why: 'a header of frame and AU numbers, then 0/1/9 (9: not coded) per frame, as in BP4D',
    };
  if (content === 'header')
    return {
      ...base,
      confidence: 'possible',
      why: 'a header of frame and AU numbers, as in BP4D, without frames',
    };
  return null;
}

function read(input: FormatReadInput): FormatRead {
  const joined = readBp4dFiles(input.files.map(({ file }) => file));
  return {
    format: 'bp4d',
    scheme: input.scheme ?? null,
    splitNames: {},
    reads: [{ file: joined.file, role: 'au', read: joined.read }],
    problems: joined.problems,
    sourceFiles: joined.sourceFiles,
    reportFiles: joined.reportFiles,
  };
}

export const BP4D_FORMAT: LabelFormat = {
  id: 'bp4d',
  name: 'BP4D',
  files: 'F001_T1.csv per video: a header of frame and AU numbers, then 0/1/9 per frame',
  sourceFormats: ['bp4d'],
  detect,
  read,
  write: writeBp4d,
  readmeName: () => 'BP4D AU occurrence (a <subject>_<task>.csv per video, 9 = not coded)',
  subjectOf: bp4dSubjectOf,
  auVocabulary: BP4D_AUS,
};

import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { headLines } from '../sniff';
import {
  DISFA_AUS,
  disfaFileOf,
  isDisfaFileName,
  presenceThresholdOf,
  readDisfaFiles,
} from './read';
import { writeDisfa } from './write';

/**
 * DISFA AU intensities: a `frame,intensity` file per subject and AU (`SN001_au12.txt`),
 * joined by frame into samples `<subject>/<frame:05d>.jpg`; an AU is present at or
 * above the presence threshold (FormatSettings.presenceThreshold, 2 by default).
 */

/** `frame,intensity` lines, intensities 0-5, frames rising: what DISFA's files hold. */
function holdsIntensities(lines: readonly string[]): boolean {
  if (lines.length === 0) return false;
  let last = -1;
  for (const line of lines) {
    const match = /^(\d{1,9}),([0-5])$/.exec(line);
    if (!match) return false;
    const frame = Number(match[1]);
    if (frame <= last) return false;
    last = frame;
  }
  return true;
}

function detect(file: FileHead): Detection | null {
  const fits = holdsIntensities(headLines(file));
  const base = { format: 'disfa', role: 'au' } as const;
  if (isDisfaFileName(file.name))
    return fits
      ? {
          ...base,
          confidence: 'certain',
          why: 'named <subject>_au<AU>.txt, frame,intensity lines (0-5)',
        }
      : // A DISFA name whose content does not fit is still read as one: its problems say why.
        { ...base, confidence: 'likely', why: 'named <subject>_au<AU>.txt, as DISFA' };
  if (!fits) return null;
  return {
    ...base,
    // Another subject naming (`P01_au12.txt`) still says which AU the file holds.
    confidence: disfaFileOf(file.name) ? 'certain' : 'likely',
    why: 'frame,intensity lines (intensities 0-5, frames rising), as in DISFA',
  };
}

function read(input: FormatReadInput): FormatRead {
  const threshold = presenceThresholdOf(input.settings.presenceThreshold);
  const joined = readDisfaFiles(
    input.files.map(({ file }) => file),
    threshold,
  );
  return {
    format: 'disfa',
    scheme: input.scheme ?? null,
    splitNames: {},
    reads: [{ file: joined.file, role: 'au', read: joined.read }],
    problems: joined.problems,
    sourceFiles: joined.sourceFiles,
    reportFiles: joined.reportFiles,
  };
}

export const DISFA_FORMAT: LabelFormat = {
  id: 'disfa',
  name: 'DISFA',
  files: 'SN001_au12.txt per subject and AU: frame,intensity lines (0-5)',
  sourceFormats: ['disfa'],
  detect,
  read,
  write: writeDisfa,
  readmeName: () =>
    'DISFA AU intensities (a <subject>_au<AU>.txt per subject and AU, frame,intensity lines)',
  subjectOf: (video) => video,
  auVocabulary: DISFA_AUS,
};

import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { headLines } from '../sniff';
import { ckContent, ckRoleOfName, readCkPlus, type CkRole } from './read';
import { CK_PLUS_SCHEME } from './scheme';
import { writeCkPlus } from './write';

/**
 * CK+ (the extended Cohn-Kanade dataset): a `_facs.txt` file per coded sequence, an
 * `_emotion.txt` file per sequence with an emotion, both named after the peak frame.
 * Samples are those peak frames (`S005/001/S005_001_00000011.png`), one per sequence:
 * stills, not the frames of a video, so the format has no subjectOf.
 */

const ROLE_WORDS: Readonly<Record<CkRole, string>> = {
  au: 'AU number and intensity lines',
  emotion: 'one emotion code',
};

const ROLE_ENDINGS: Readonly<Record<CkRole, string>> = {
  au: '_facs.txt',
  emotion: '_emotion.txt',
};

function detect(file: FileHead): Detection | null {
  const named = ckRoleOfName(file.name);
  const content = ckContent(headLines(file));
  if (named) {
    const fits = content?.role === named;
    return {
      format: 'ck-plus',
      role: named,
      // A CK+ name whose content does not fit is still read as one: its problems say why.
      confidence: fits ? 'certain' : 'likely',
      why: fits
        ? `named *${ROLE_ENDINGS[named]}, ${ROLE_WORDS[named]} as in CK+`
        : `named *${ROLE_ENDINGS[named]}, as CK+'s files are`,
    };
  }
  if (!content) return null;
  // Numbers spelled `   1.0000000e+00` (MATLAB's save -ascii) are CK+'s own mark;
  // plain small numbers could be anything's.
  return {
    format: 'ck-plus',
    role: content.role,
    confidence: content.ckFormat ? 'likely' : 'possible',
    why: content.ckFormat
      ? `${ROLE_WORDS[content.role]}, spelled as CK+ writes them`
      : `${ROLE_WORDS[content.role]}, as in CK+'s ${ROLE_ENDINGS[content.role]} files`,
  };
}

function read(input: FormatReadInput): FormatRead {
  const scheme = input.scheme ?? CK_PLUS_SCHEME;
  const ck = readCkPlus(input.files, scheme);
  const first = input.files[0];
  return {
    format: 'ck-plus',
    // Without an emotion file the dataset has AUs only.
    scheme: ck.hasEmotion ? scheme : (input.scheme ?? null),
    splitNames: {},
    // All files in one read: the join sees one source and needs no lookup by name.
    reads: first ? [{ file: first.file, role: 'combined', read: ck.read }] : [],
    problems: [],
    sourceFiles: ck.sourceFiles,
    reportFiles: ck.reportFiles,
  };
}

export const CK_PLUS_FORMAT: LabelFormat = {
  id: 'ck-plus',
  name: 'CK+',
  files:
    'FACS/…/S005_001_00000011_facs.txt (AU, intensity lines) and Emotion/…/S005_001_00000011_emotion.txt',
  sourceFormats: ['ck-plus'],
  detect,
  read,
  write: writeCkPlus,
  readmeName: () =>
    "CK+ (FACS/<subject>/<sequence>/*_facs.txt and Emotion/<subject>/<sequence>/*_emotion.txt, one per sample, in CK+'s number spelling)",
};

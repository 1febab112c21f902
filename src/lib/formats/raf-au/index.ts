import { makeProblem, type ReadResult } from '../../labels/records';
import type { InputFile, LabelScheme, Problem } from '../../labels/types';
import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { RafCeReader, rafCeRole, readRafCe } from '../raf-ce/read';
import { headLines, imageValuePairs, looksLikeAuStrings } from '../sniff';
import {
  RAFAU_FILE_NAME,
  RAFML_FILE_NAME,
  isRafAuFileName,
  isRafMlFileName,
  looksLikeRafMl,
  readRafMlEmotions,
} from './read';
import { RAFML_BASIC_SCHEME } from './scheme';
import { writeRafAu } from './write';

/**
 * RAF-AU (Yan et al.): `RAFAU_label.txt`, AU strings after image names, no emotion.
 * With RAF-ML's `distribution.txt` in the same import, each image gets the leading
 * emotion of the crowd's shares. The AU file is RAF-CE's AU file in shape (RAF-CE took
 * its AU strings from it), so by content alone either fits: only its name says RAF-AU.
 */

function detect(file: FileHead): Detection | null {
  // RAF-CE's own file names are RAF-CE's.
  if (rafCeRole(file.name)) return null;
  const lines = headLines(file);
  const pairs = imageValuePairs(lines);
  // RAF-DB's names carry their split; RAF-AU's are numbers.
  const rafDbNames = pairs?.some(([image]) => /^(train|test)_/i.test(image)) ?? false;
  const auStrings =
    pairs !== null && !rafDbNames && looksLikeAuStrings(pairs.map(([, value]) => value));
  if (isRafAuFileName(file.name))
    return {
      format: 'raf-au',
      role: 'au',
      // A RAF-AU name whose content does not fit is still read as one: its problems say why.
      confidence: auStrings ? 'certain' : 'likely',
      why: auStrings
        ? `named ${RAFAU_FILE_NAME}, AU strings after image names`
        : `named ${RAFAU_FILE_NAME}`,
    };
  if (auStrings)
    return {
      format: 'raf-au',
      role: 'au',
      confidence: 'possible',
      why: "AU strings after image names, as in RAF-AU's RAFAU_label.txt (and RAF-CE's AU file)",
    };
  const sharesNamed = isRafMlFileName(file.name);
  if (sharesNamed || looksLikeRafMl(lines))
    // Only an aid to an AU file: by itself it is no RAF-AU dataset, hence never surer.
    // Named so, it is read even when its content does not fit: its problems say why.
    return {
      format: 'raf-au',
      role: 'emotion',
      confidence: 'possible',
      why: sharesNamed
        ? `named ${RAFML_FILE_NAME}, as RAF-ML's emotion shares (the emotion of ${RAFAU_FILE_NAME}'s images)`
        : `six emotion shares after image names, as in RAF-ML's ${RAFML_FILE_NAME} (the emotion of ${RAFAU_FILE_NAME}'s images)`,
    };
  return null;
}

function secondFile(file: InputFile, what: string, first: InputFile): Problem {
  return makeProblem(
    file.name,
    0,
    'unknown-file',
    'error',
    'file',
    file.name,
    `a second ${what}; only ${first.name} is read`,
  );
}

function read(input: FormatReadInput): FormatRead {
  const problems: Problem[] = [];
  let auFile: InputFile | null = null;
  let sharesFile: InputFile | null = null;
  for (const { file, role } of input.files) {
    if (role === 'emotion') {
      if (sharesFile) problems.push(secondFile(file, 'RAF-ML shares file', sharesFile));
      else sharesFile = file;
    } else if (auFile) {
      problems.push(secondFile(file, 'RAF-AU label file', auFile));
    } else {
      auFile = file;
    }
  }
  const reads: FormatRead['reads'] = [];
  const reportFiles: NonNullable<FormatRead['reportFiles']> = [];
  let au: ReadResult | null = null;
  if (auFile) {
    au = input.alreadyRead?.get(auFile.name) ?? readRafCe(auFile, 'au');
    reads.push({ file: auFile, role: 'au', read: au });
    reportFiles.push({
      name: auFile.name,
      role: 'au',
      lines: au.rowsRead,
      accepted: au.rows.count,
    });
  }
  let scheme: LabelScheme | null = null;
  if (sharesFile && (!au || au.source === null)) {
    problems.push(
      makeProblem(
        sharesFile.name,
        0,
        'unknown-file',
        'error',
        'file',
        sharesFile.name,
        `RAF-ML's shares give emotions to the images of ${RAFAU_FILE_NAME}, and ${
          auFile ? `${auFile.name} could not be read` : 'none is in the import'
        }; not read`,
      ),
    );
  } else if (sharesFile && au) {
    const emotions = readRafMlEmotions(sharesFile, au);
    for (const problem of emotions.problems) problems.push(problem);
    if (emotions.read) {
      reads.push({ file: sharesFile, role: 'emotion', read: emotions.read });
      reportFiles.push({
        name: sharesFile.name,
        role: 'emotion',
        lines: emotions.read.rowsRead,
        accepted: emotions.given,
      });
      scheme = input.scheme ?? RAFML_BASIC_SCHEME;
    }
  }
  return { format: 'raf-au', scheme, splitNames: {}, reads, problems, reportFiles };
}

export const RAF_AU_FORMAT: LabelFormat = {
  id: 'raf-au',
  name: 'RAF-AU',
  files: `${RAFAU_FILE_NAME}: "image AU-string" lines; optionally RAF-ML's ${RAFML_FILE_NAME} for the emotion`,
  sourceFormats: ['raf-au'],
  detect,
  read,
  // The AU file streams as RAF-CE's does; RAF-ML's few thousand rows are read whole.
  streamingReader: (name, role, options) =>
    role === 'emotion'
      ? null
      : new RafCeReader(name, 'au', {
          ...(options.alignWith ? { alignWith: options.alignWith } : {}),
          sizeHint: options.sizeHint,
        }),
  write: writeRafAu,
  readmeName: () =>
    `RAF-AU (${RAFAU_FILE_NAME}: image and AU string lines; RAF-ML's ${RAFML_FILE_NAME}, which lent the emotions, is not rewritten)`,
};

import { makeProblem } from '../../labels/records';
import { RAFDB_BASIC_SCHEME, RAFDB_COMPOUND_SCHEME, defaultSplitNames } from '../../labels/schemes';
import type { LabelScheme, SourceFormat } from '../../labels/types';
import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { allIntegersIn, headLines, imageValuePairs } from '../sniff';
import { RAFDB_FILE_NAME, isRafDbFileName, readRafDb } from './read';
import { writeRafDb } from './write';

/**
 * RAF-DB (Li & Deng): `EmoLabel/list_patition_label.txt` (sic), `train_00001.jpg 5`
 * lines, the split in the image name; the basic set's 7 classes or the compound
 * set's 11 (1-based), the compound one told by its folder or its ids.
 */

function detect(file: FileHead): Detection | null {
  const named = isRafDbFileName(file.name);
  const pairs = imageValuePairs(headLines(file));
  const fits =
    pairs !== null &&
    pairs.every(([image]) => /^(train|test)_/i.test(image)) &&
    allIntegersIn(
      pairs.map(([, v]) => v),
      1,
      11,
    );
  if (named)
    return {
      format: 'raf-db',
      role: 'combined',
      confidence: fits ? 'certain' : 'likely',
      why: fits
        ? `named ${RAFDB_FILE_NAME}, train_/test_ images with class ids`
        : `named ${RAFDB_FILE_NAME}`,
    };
  if (!fits) return null;
  return {
    format: 'raf-db',
    role: 'combined',
    confidence: 'likely',
    why: 'train_/test_ image names with class ids 1-11, as in RAF-DB',
  };
}

function read(input: FormatReadInput): FormatRead {
  const problems = [];
  const [first, ...others] = input.files;
  for (const { file } of others)
    problems.push(
      makeProblem(
        file.name,
        0,
        'unknown-file',
        'error',
        'file',
        file.name,
        `only one RAF-DB file is read (${first?.file.name}); ignored`,
      ),
    );
  let scheme: LabelScheme | null = input.scheme ?? null;
  const reads: FormatRead['reads'] = [];
  if (first) {
    const result = readRafDb(first.file, input.scheme);
    scheme = result.scheme;
    reads.push({ file: first.file, role: 'combined', read: result });
  }
  scheme ??= RAFDB_BASIC_SCHEME;
  const format: SourceFormat =
    scheme.id === RAFDB_COMPOUND_SCHEME.id ? 'raf-db-compound' : 'raf-db-basic';
  return { format, scheme, splitNames: defaultSplitNames(format), reads, problems };
}

export const RAF_DB_FORMAT: LabelFormat = {
  id: 'raf-db',
  name: 'RAF-DB',
  files: `${RAFDB_FILE_NAME} of the basic or the compound set`,
  sourceFormats: ['raf-db-basic', 'raf-db-compound'],
  detect,
  read,
  write: writeRafDb,
  readmeName: (format) =>
    format === 'raf-db-compound'
      ? `RAF-DB compound (${RAFDB_FILE_NAME})`
      : `RAF-DB basic (${RAFDB_FILE_NAME})`,
};

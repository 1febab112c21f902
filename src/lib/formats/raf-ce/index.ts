import { makeProblem, type ReadResult } from '../../labels/records';
import { RAFCE_SCHEME, defaultSplitNames } from '../../labels/schemes';
import type { TextColumn } from '../../labels/text-column';
import type { InputFile, SourceFile } from '../../labels/types';
import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { allIntegersIn, headLines, imageValuePairs, looksLikeAuStrings } from '../sniff';
import { RAFCE_FILE_NAMES, RafCeReader, rafCeRole, readRafCe, type RafCeRole } from './read';
import { writeRafCe } from './write';

/**
 * RAF-CE (Li et al., CVPR-W 2023): three whitespace-separated `image value` files, no
 * header: class ids, AU strings and split ids. Files of a million lines stream.
 */

const ROLE_WORDS: Readonly<Record<RafCeRole, string>> = {
  emotion: 'class ids after image names',
  au: 'AU strings after image names',
  split: 'split ids after image names',
};

/** What the lines' values are, by content alone. */
function roleByContent(values: readonly string[]): RafCeRole | null {
  if (allIntegersIn(values, 0, 2)) return 'split';
  if (allIntegersIn(values, 0, 13)) return 'emotion';
  if (looksLikeAuStrings(values)) return 'au';
  return null;
}

function detect(file: FileHead): Detection | null {
  const named = rafCeRole(file.name);
  const pairs = imageValuePairs(headLines(file));
  // RAF-DB's names carry their split; RAF-CE's are numbers.
  const rafDbNames = pairs?.some(([image]) => /^(train|test)_/i.test(image)) ?? false;
  const byContent = pairs && !rafDbNames ? roleByContent(pairs.map(([, v]) => v)) : null;
  if (named) {
    const fits =
      byContent === named ||
      (named === 'emotion' && byContent === 'split') ||
      (named === 'au' && pairs !== null && !rafDbNames);
    return {
      format: 'raf-ce',
      role: named,
      // A RAF-CE name whose content does not fit is still read as one: its problems say why.
      confidence: fits ? 'certain' : 'likely',
      why: fits
        ? `named ${RAFCE_FILE_NAMES[named]}, ${ROLE_WORDS[named]}`
        : `named ${RAFCE_FILE_NAMES[named]}`,
    };
  }
  if (!byContent) return null;
  return {
    format: 'raf-ce',
    role: byContent,
    confidence: 'possible',
    why: `${ROLE_WORDS[byContent]}, as in RAF-CE's files`,
  };
}

const READ_ORDER: readonly RafCeRole[] = ['emotion', 'au', 'split'];

function asRole(role: SourceFile['role']): RafCeRole {
  return role === 'combined' ? 'au' : role;
}

function read(input: FormatReadInput): FormatRead {
  const scheme = input.scheme ?? RAFCE_SCHEME;
  const problems = [];
  const taken = new Map<RafCeRole, InputFile>();
  for (const { file, role } of input.files) {
    const rafRole = asRole(role);
    const first = taken.get(rafRole);
    if (first)
      problems.push(
        makeProblem(
          file.name,
          0,
          'unknown-file',
          'error',
          'file',
          file.name,
          `a second RAF-CE ${rafRole} file; only ${first.name} is read`,
        ),
      );
    else taken.set(rafRole, file);
  }
  // Read in the join's order, so that later files can reuse the first one's names.
  const byRole = new Map<RafCeRole, ReadResult>();
  let alignWith: TextColumn | undefined;
  for (const role of READ_ORDER) {
    const file = taken.get(role);
    if (!file) continue;
    const result = input.alreadyRead?.get(file.name) ?? readRafCe(file, role, scheme, alignWith);
    alignWith ??= result.source ? result.rows.names : undefined;
    byRole.set(role, result);
  }
  const reads = [...taken].map(([role, file]) => ({
    file,
    role,
    read: byRole.get(role) as ReadResult,
  }));
  return { format: 'raf-ce', scheme, splitNames: defaultSplitNames('raf-ce'), reads, problems };
}

export const RAF_CE_FORMAT: LabelFormat = {
  id: 'raf-ce',
  name: 'RAF-CE',
  files: `${RAFCE_FILE_NAMES.emotion}, ${RAFCE_FILE_NAMES.au}, ${RAFCE_FILE_NAMES.split}: "image value" lines`,
  sourceFormats: ['raf-ce'],
  roles: READ_ORDER,
  detect,
  read,
  streamingReader: (name, role, options) =>
    new RafCeReader(name, asRole(role), {
      scheme: options.scheme ?? RAFCE_SCHEME,
      alignWith: options.alignWith,
      sizeHint: options.sizeHint,
    }),
  write: writeRafCe,
  readmeName: () => 'RAF-CE (image value lines: emotion, AU and partition files)',
};

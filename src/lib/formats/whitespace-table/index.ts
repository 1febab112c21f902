import { makeProblem } from '../../labels/records';
import type { LabelScheme, Problem } from '../../labels/types';
import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { headLines, looksLikeImageName } from '../sniff';
import { describeLayout, fieldsOf, guessLayout, readWhitespaceTable } from './read';
import { writeWhitespaceTable } from './write';

/**
 * A table of `image value value ...` lines split by spaces or tabs, without a header:
 * what many training scripts write. Three fields or more: two-field files are RAF-CE's
 * and RAF-AU's. The columns' roles are guessed from their values (see read.ts kindOf),
 * which is never sure without a header: detection says 'possible', so the import
 * screen asks, and it shows the guessed columns to change.
 */

function detect(file: FileHead): Detection | null {
  const lines = headLines(file);
  if (lines.length === 0) return null;
  const { layout, fitting } = guessLayout(lines);
  // Most lines, not all: a file with a few broken rows is still one (its problems say which).
  if (layout.fieldCount < 3 || fitting * 2 <= lines.length) return null;
  const images = lines
    .map(fieldsOf)
    .filter((fields) => fields.length === layout.fieldCount)
    .every((fields) => looksLikeImageName(fields[0] as string));
  const { mapping } = layout;
  if (!images || (mapping.emotion === null && mapping.au === null && mapping.split === null))
    return null;
  return {
    format: 'whitespace-table',
    role: 'combined',
    confidence: 'possible',
    why: `${layout.fieldCount} columns split by spaces or tabs, no header: ${describeLayout(mapping)}`,
  };
}

function read(input: FormatReadInput): FormatRead {
  const problems: Problem[] = [];
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
        `only one whitespace table is read (${first?.file.name}); ignored`,
      ),
    );
  let scheme: LabelScheme | null = null;
  let csv: FormatRead['csv'] = null;
  const reads: FormatRead['reads'] = [];
  if (first) {
    const result = readWhitespaceTable(first.file, {
      ...(input.settings.csvMapping ? { mapping: input.settings.csvMapping } : {}),
      ...(input.scheme ? { scheme: input.scheme } : {}),
    });
    scheme = result.scheme;
    if (result.source)
      csv = { file: first.file.name, columns: result.columns, mapping: result.mapping };
    reads.push({ file: first.file, role: 'combined', read: result });
  }
  return { format: 'whitespace-table', scheme, splitNames: {}, reads, problems, csv };
}

export const WHITESPACE_TABLE_FORMAT: LabelFormat = {
  id: 'whitespace-table',
  name: 'Table without a header (spaces or tabs)',
  files: 'a text file of "image value value ..." lines, three fields or more, no header',
  sourceFormats: ['whitespace-table'],
  detect,
  read,
  write: writeWhitespaceTable,
  readmeName: () =>
    'a table without a header (image, then the label columns in their original order, split by the original spaces or tabs)',
};

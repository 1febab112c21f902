import { emptyLabelColumns, makeProblem, type ReadResult } from '../../labels/records';
import type { LabelScheme, SplitNames } from '../../labels/types';
import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { DETECT_LINES, upToLine } from '../sniff';
import { readCsvHeader, readGenericCsv } from './csv';
import { writeGenericCsv } from './write';

/**
 * Any table with a header row (CSV, TSV, semicolons): the user maps its columns to
 * image, emotion, AUs and split; the mapping is guessed from the header.
 */

const TABLE_EXTENSION = /\.(csv|tsv|txt)$/i;
/** A name that says "table" by itself (a .txt could be any of the formats). */
const TABLE_NAME = /\.(csv|tsv)$/i;

const possibleTable = (file: FileHead, why: string): Detection | null =>
  TABLE_NAME.test(file.name)
    ? { format: 'generic-table', role: 'combined', confidence: 'possible', why }
    : null;

function detect(file: FileHead): Detection | null {
  // The header and a few rows tell a table: its first 16 KiB, not the whole head (an
  // import of hundreds of video files asks this of each).
  const header = readCsvHeader({
    name: file.name,
    bytes: upToLine(file.head.subarray(0, 16 * 1024), 2 * DETECT_LINES),
  });
  // A file refused as a table (too many columns, lone CR line ends) is one: its
  // problem says why it is not read.
  if ('refused' in header)
    return TABLE_EXTENSION.test(file.name)
      ? { format: 'generic-table', role: 'combined', confidence: 'possible', why: 'a table file' }
      : null;
  if (!('mapping' in header) || header.columns.length < 2)
    return possibleTable(file, 'named as a table, with no header this app can read');
  if (header.mapping.image === null)
    return possibleTable(
      file,
      `a table whose header (${header.columns.slice(0, 4).join(', ')} ...) names no image column`,
    );
  const mapped = (['emotion', 'au', 'split'] as const).filter((r) => header.mapping[r] !== null);
  return {
    format: 'generic-table',
    role: 'combined',
    confidence: mapped.length > 0 ? 'likely' : 'possible',
    why: `a table with a header: image column '${header.mapping.image}'${mapped.length ? `, ${mapped.map((r) => `${r} '${header.mapping[r]}'`).join(', ')}` : ''}`,
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
        `only one table file is read (${first?.file.name}); ignored`,
      ),
    );
  let scheme: LabelScheme | null = null;
  let splitNames: SplitNames = {};
  let csv: FormatRead['csv'] = null;
  const reads: FormatRead['reads'] = [];
  if (first) {
    const { file } = first;
    const header = readCsvHeader(file);
    const mapping = input.settings.csvMapping ?? ('mapping' in header ? header.mapping : null);
    if ('mapping' in header)
      csv = { file: file.name, columns: header.columns, mapping: mapping ?? header.mapping };
    if (!mapping) {
      const nothing: ReadResult = {
        rows: emptyLabelColumns(),
        problems: header.problems,
        rowsRead: 0,
        source: null,
      };
      reads.push({ file, role: 'combined', read: nothing });
    } else {
      const result = readGenericCsv(file, mapping, input.scheme, input.onRowsChecked);
      scheme = result.scheme;
      splitNames = result.splitNames;
      reads.push({ file, role: 'combined', read: result });
    }
  }
  return { format: 'generic-csv', scheme, splitNames, reads, problems, csv };
}

export const GENERIC_TABLE_FORMAT: LabelFormat = {
  id: 'generic-table',
  name: 'Table with a header (CSV/TSV)',
  files: 'a CSV or TSV whose header names an image column, with emotion, AU and split columns',
  sourceFormats: ['generic-csv'],
  detect,
  read,
  write: writeGenericCsv,
  readmeName: () => 'CSV/TSV with a header',
};

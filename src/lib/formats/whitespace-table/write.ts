import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, auValueText, encodeLike } from '../../labels/text-out';
import { AuStatus, type SourceFile } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import type { CsvRole } from '../generic-table/csv';

/**
 * The table back as it came: its columns in their order (from the mapping the import
 * used, kept as a generic table's is), its separator, end-of-line, final newline, BOM
 * and encoding, so an untouched export with nothing dropped is byte-identical to the
 * input. What cannot come back: columns read as nothing (the import warned of each),
 * a line's leading spaces, trailing spaces after a last column that is not the AU
 * strings, and separators other than the file's most common one.
 *
 * Every row has every column: a sample without a class or split (none can come from a
 * table with that column) is written -1, without AUs `null`.
 */
export function writeWhitespaceTable(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, csv } = input;
  const source: SourceFile = input.sourceFiles.find((f) => f.role === 'combined') ?? {
    ...DEFAULT_SOURCE,
    name: 'labels.txt',
    role: 'combined',
  };
  const separator = source.separator ?? ' ';
  let roles: CsvRole[];
  if (csv) {
    const roleOf = new Map<string, CsvRole>();
    for (const role of ['image', 'emotion', 'au', 'split'] as const) {
      const column = csv.mapping[role];
      if (column !== null && !roleOf.has(column)) roleOf.set(column, role);
    }
    roles = csv.columns.flatMap((name) => {
      const role = roleOf.get(name);
      return role === undefined ? [] : [role];
    });
  } else {
    // Without the import's mapping: the image, then each kind of label the table has.
    roles = ['image'];
    if (labels.classIds.some((id) => id >= 0)) roles.push('emotion');
    if (labels.auStatus.some((status) => status !== AuStatus.absent)) roles.push('au');
    if (table.splits.some((split) => split >= 0)) roles.push('split');
  }
  const sink = new LineSink(source.eol);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    let line = '';
    for (let r = 0; r < roles.length; r++) {
      if (r > 0) line += separator;
      const role = roles[r];
      if (role === 'image') line += textAt(table.names, i);
      else if (role === 'emotion') line += String(labels.classIds[i]);
      else if (role === 'split') line += String(table.splits[i]);
      else line += auValueText(labels, i) ?? 'null';
    }
    sink.push(line);
  }
  return [
    { path: baseName(source.name), bytes: encodeLike(sink.finish(source.finalNewline), source) },
  ];
}

import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, auValueText, csvRow, encodeLike } from '../../labels/text-out';
import type { LabelScheme, SplitNames } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import type { CsvMapping } from './csv';

type CsvRole = keyof CsvMapping;

/** Class names built by the CSV reader for id-coded files (`class 3`) are written back as ids. */
const PLACEHOLDER_CLASS = /^class -?\d+$/;
const PLACEHOLDER_SPLIT = /^split -?\d+$/;

function emotionTextOf(scheme: LabelScheme): (classId: number) => string {
  const names = new Map(scheme.classes.map((c) => [c.id, c.name]));
  const byIds = scheme.classes.every((c) => PLACEHOLDER_CLASS.test(c.name));
  return (classId) => {
    if (classId < 0) return '';
    const name = names.get(classId);
    return byIds || name === undefined ? String(classId) : name;
  };
}

function splitTextOf(splitNames: SplitNames): (split: number) => string {
  return (split) => {
    if (split < 0) return '';
    const name = splitNames[String(split)];
    return name === undefined || PLACEHOLDER_SPLIT.test(name) ? String(split) : name;
  };
}

/**
 * One CSV/TSV with a header. With the original header and mapping, the mapped
 * columns are written under their original names and in their original order;
 * columns mapped to no role are left out (the app does not keep their values).
 * Without them: `image, emotion, aus, split`. Emotion and split are written as
 * names, or as ids when the names are the placeholders the reader made for an
 * id-coded file. An absent AU value is an empty cell; `null` stays `null`.
 *
 * Cells are quoted as the user's file quoted them (csvField), never neutralised for
 * spreadsheets: this file goes back to the user's training script in the user's own
 * format, where a leading `'` would change an image name so that it no longer matches
 * its file, and an untouched export must stay byte-identical to the input. The files
 * made for people to open (au_matrix.csv, changelog.csv) are neutralised instead.
 */
export function writeGenericCsv(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, csv } = input;
  const source = input.sourceFiles.find((f) => f.role === 'combined') ?? {
    ...DEFAULT_SOURCE,
    name: 'labels.csv',
    role: 'combined' as const,
  };
  const delimiter = source.delimiter ?? ',';
  let columns: { name: string; role: CsvRole }[];
  if (csv) {
    const roleOf = new Map<string, CsvRole>();
    for (const role of ['image', 'emotion', 'au', 'split'] as const) {
      const column = csv.mapping[role];
      if (column !== null && !roleOf.has(column)) roleOf.set(column, role);
    }
    columns = csv.columns.flatMap((name) => {
      const role = roleOf.get(name);
      if (role === undefined) return [];
      roleOf.delete(name);
      return [{ name, role }];
    });
  } else {
    columns = [
      { name: 'image', role: 'image' },
      { name: 'emotion', role: 'emotion' },
      { name: 'aus', role: 'au' },
      { name: 'split', role: 'split' },
    ];
  }
  const emotionText = emotionTextOf(input.scheme);
  const splitText = splitTextOf(input.splitNames);
  const sink = new LineSink(source.eol);
  sink.push(
    csvRow(
      columns.map((c) => c.name),
      delimiter,
    ),
  );
  const cells = new Array<string>(columns.length);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    for (let c = 0; c < columns.length; c++) {
      const role = (columns[c] as { role: CsvRole }).role;
      cells[c] =
        role === 'image'
          ? textAt(table.names, i)
          : role === 'emotion'
            ? emotionText(labels.classIds[i] as number)
            : role === 'split'
              ? splitText(table.splits[i] as number)
              : (auValueText(labels, i) ?? '');
    }
    sink.push(csvRow(cells, delimiter));
  }
  return [
    { path: baseName(source.name), bytes: encodeLike(sink.finish(source.finalNewline), source) },
  ];
}

import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, auValueText, encodeLike } from '../../labels/text-out';
import type { ExportFile, LabelWriterInput } from '../format';

/**
 * RAF-CE's drop-in files: one `image value` file per role the source had (emotion,
 * AU, partition). Each reproduces its source's end-of-line, final newline, BOM and
 * encoding, and the whitespace between name and value (SourceFile.separator: one
 * space unless the source's lines all had another); an AU value is written as its raw
 * text, so an untouched export with nothing dropped is byte-identical to the imported
 * files. Samples in table order.
 */

const RAFCE_ROLES = ['emotion', 'au', 'split'] as const;
const RAFCE_DEFAULT_NAMES = {
  emotion: 'RAFCE_emolabel.txt',
  au: 'RAFCE_AUlabel.txt',
  split: 'RAFCE_partition.txt',
} as const;

/** `image value` files, one per role the source had (emotion, AU, partition). */
export function writeRafCe(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, sourceFiles } = input;
  const files: ExportFile[] = [];
  for (const role of RAFCE_ROLES) {
    let source = sourceFiles.find((f) => f.role === role);
    if (!source && sourceFiles.length === 0) {
      source = { ...DEFAULT_SOURCE, name: RAFCE_DEFAULT_NAMES[role], role };
    }
    if (!source) continue;
    const sink = new LineSink(source.eol);
    // Whitespace only: anything else would join name and value into one field.
    const separator = source.separator && /^\s+$/.test(source.separator) ? source.separator : ' ';
    const names = table.names;
    for (let k = 0; k < kept.length; k++) {
      const i = kept[k] as number;
      let value: string | null = null;
      if (role === 'emotion') {
        const classId = labels.classIds[i] as number;
        if (classId >= 0) value = String(classId);
      } else if (role === 'split') {
        const split = table.splits[i] as number;
        if (split >= 0) value = String(split);
      } else {
        value = auValueText(labels, i);
      }
      if (value !== null) sink.push(`${textAt(names, i)}${separator}${value}`);
    }
    files.push({
      path: baseName(source.name),
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    });
  }
  return files;
}

import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, encodeLike } from '../../labels/text-out';
import type { ExportFile, LabelWriterInput } from '../format';

/**
 * `list_patition_label.txt`: `image classId` lines, the split in the image name.
 * Written under `basic/EmoLabel/` or `compound/EmoLabel/` as the dataset ships it
 * (the importer tells the compound subset by its path).
 */
export function writeRafDb(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, format } = input;
  const source = input.sourceFiles.find((f) => f.role === 'combined') ?? {
    ...DEFAULT_SOURCE,
    name: 'list_patition_label.txt',
    role: 'combined' as const,
  };
  const sink = new LineSink(source.eol);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const classId = labels.classIds[i] as number;
    // The reader rejects a line without a class: such a sample cannot be written.
    if (classId >= 0) sink.push(`${textAt(table.names, i)} ${classId}`);
  }
  const folder = format === 'raf-db-compound' ? 'compound' : 'basic';
  return [
    {
      path: `${folder}/EmoLabel/${baseName(source.name)}`,
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    },
  ];
}

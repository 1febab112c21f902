import { parseAuString } from '../../labels/au';
import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, auValueText, encodeLike } from '../../labels/text-out';
import { AuStatus, type SourceFile } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import { ckFilePath, ckNumber, ckSampleOf, intensityNumber, type CkRole } from './read';

/**
 * CK+'s drop-in files: per kept sample, its `_facs.txt` (one `AU intensity` line per
 * AU, in the AU string's order) and, where it has an emotion, its `_emotion.txt`, in
 * CK+'s folders (`FACS/S005/001/`, `Emotion/S005/001/`) and CK+'s number spelling.
 * Each file keeps its source's end-of-line, final newline, BOM and encoding, so an
 * untouched export is byte-identical to files written as CK+ writes them. A sample
 * whose AUs are not coded gets no FACS file (CK+ has no "not coded" line). CK+ has
 * no sides: a corrected `L12` is written as AU 12.
 */

function sourceKey(role: CkRole, image: string): string {
  return `${role}\n${image}`;
}

export function writeCkPlus(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, sourceFiles } = input;
  const sourceOf = new Map<string, SourceFile>();
  for (const source of sourceFiles)
    if (source.role === 'au' || source.role === 'emotion')
      sourceOf.set(sourceKey(source.role, ckSampleOf(source.name).image), source);
  const like = sourceFiles[0] ?? { ...DEFAULT_SOURCE, name: '', role: 'au' as const };
  const files: ExportFile[] = [];
  const write = (role: CkRole, image: string, lines: string[]) => {
    const stem = baseName(image).replace(/\.[^.]*$/, '');
    const source = sourceOf.get(sourceKey(role, image)) ?? {
      // Written as the sample's other file was, or else as the dataset's first.
      ...(sourceOf.get(sourceKey(role === 'au' ? 'emotion' : 'au', image)) ?? like),
      name: `${image.slice(0, image.length - baseName(image).length)}${stem}_${role === 'au' ? 'facs' : 'emotion'}.txt`,
      role,
    };
    const sink = new LineSink(source.eol);
    for (const line of lines) sink.push(line);
    files.push({
      path: ckFilePath(source.name, role),
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    });
  };
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const image = textAt(table.names, i);
    if (labels.auStatus[i] === AuStatus.coded) {
      const { tokens } = parseAuString(auValueText(labels, i) ?? '');
      if (tokens.length > 0)
        write(
          'au',
          image,
          tokens.map((token) => ckNumber(token.au) + ckNumber(intensityNumber(token.intensity))),
        );
    }
    const classId = labels.classIds[i] as number;
    if (classId >= 0) write('emotion', image, [ckNumber(classId)]);
  }
  return files;
}

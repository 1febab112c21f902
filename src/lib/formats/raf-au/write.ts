import { DEFAULT_SOURCE } from '../../labels/text-out';
import type { SourceFile } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import { writeRafCe } from '../raf-ce/write';
import { RAFAU_FILE_NAME } from './read';

/**
 * RAF-AU's drop-in file: `RAFAU_label.txt` alone, written as RAF-CE's AU file is (the
 * same shape; RAF-CE took its AU strings from it), so an untouched export is
 * byte-identical to it. RAF-ML's `distribution.txt` is never rewritten: it holds the
 * crowd's shares, and a corrected emotion has no shares to write; the emotions it lent
 * are in the export's other files.
 */
export function writeRafAu(input: LabelWriterInput): ExportFile[] {
  const source: SourceFile = input.sourceFiles.find((f) => f.role === 'au') ?? {
    ...DEFAULT_SOURCE,
    name: RAFAU_FILE_NAME,
    role: 'au',
  };
  return writeRafCe({ ...input, sourceFiles: [source] });
}

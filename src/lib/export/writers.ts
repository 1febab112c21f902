import { formatOf } from '../formats/registry';
import type { ExportFile, LabelWriterInput } from '../formats/format';

export type { ExportFile, LabelWriterInput } from '../formats/format';

/**
 * The drop-in label files for the dataset's format: its format's writer (see
 * formats/registry.ts). Each writer reproduces its source files' end-of-line, final
 * newline, BOM and encoding, so an untouched export is byte-identical to the import.
 */
export function writeLabelFiles(input: LabelWriterInput): ExportFile[] {
  return formatOf(input.format).write(input);
}

/** Folder of the label files inside the export zip. */
export const LABELS_FOLDER = 'labels';

import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SourceFormatSchema, type Problem } from '../../lib/labels/types';
import {
  suggestDatasetName,
  type ImportOptions,
  type ImportResult,
} from '../../lib/formats/import';
import { EXIT } from '../errors';
import { progressOn } from '../progress';
import { readLabelFiles } from '../read-labels';
import { startSecondThread, type SecondThread } from '../second-thread';

export type Io = { out: NodeJS.WriteStream; err: NodeJS.WriteStream };
export type SetCode = (code: number) => void;

/** The options every command reading label files takes. */
export function withLabelOptions(command: Command): Command {
  return command
    .argument(
      '<label-files...>',
      'label files (RAF-CE, RAF-DB, ABAW, BP4D, DISFA, CK+, OpenFace, CSV/TSV, ...)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'read the files as this format instead of telling it from their content',
      ).choices(SourceFormatSchema.options),
    )
    .option(
      '--name <name>',
      'the dataset name written into the files (default: from the file names)',
    )
    .option('--quiet', 'no progress line');
}

function importOptions(options: { format?: string }): ImportOptions {
  return options.format ? { format: SourceFormatSchema.parse(options.format) } : {};
}

/** Label files this big (about 150,000 RAF-CE rows) make the evidence worth a second thread. */
const SECOND_THREAD_BYTES = 4 << 20;

/**
 * The second thread when the files are big enough for it to pay (see second-thread.ts), started
 * now so that it loads while the files are read; null otherwise.
 */
export function secondThreadFor(files: readonly string[]): SecondThread | null {
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += statSync(file).size;
    } catch {
      // readDataset says what is wrong with the file.
    }
  }
  return bytes >= SECOND_THREAD_BYTES ? startSecondThread() : null;
}

/** The name the app gives a dataset of these files when the user gives none. */
export function datasetName(files: readonly string[], given?: string): string {
  return given ?? suggestDatasetName(files);
}

/**
 * Reads the label files a command was given, with a progress line on a terminal; the
 * exit code instead when nothing could be read (each file's reason said on stderr).
 */
export async function readDataset(
  files: readonly string[],
  options: { format?: string; quiet?: boolean },
  io: Io,
): Promise<ImportResult | number> {
  const imported = await readLabelFiles(
    files,
    importOptions(options),
    progressOn(io.err, options.quiet),
  );
  return unreadable(imported, io) ?? imported;
}

/**
 * When nothing could be read (no file of a known format, or every row rejected), says
 * why with each file's reason, and returns the exit code; null when there is a dataset.
 */
function unreadable(imported: ImportResult, io: Io): number | null {
  if (imported.table.count > 0) return null;
  io.err.write('au-review: no sample could be read from the files given:\n');
  for (const problem of imported.problems.filter((p) => p.severity === 'error').slice(0, 20))
    io.err.write(`  ${where(problem)}: ${printable(problem.message)}\n`);
  return EXIT.unreadable;
}

/** file:line (field) of a problem, as an editor jumps to it. */
export function where(problem: { file: string; line: number; field: string }): string {
  return printable(
    `${problem.file}${problem.line > 0 ? `:${problem.line}` : ''}${problem.field ? ` (${problem.field})` : ''}`,
  );
}

/**
 * Text from a file, made safe to print on a terminal: control characters (an escape
 * sequence in an image name would recolour or rewrite the user's terminal) are shown as
 * \u escapes instead.
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A problem as one line: its severity, where it is and what is wrong. */
export function problemLine(problem: Problem): string {
  return `${problem.severity} ${where(problem)}: ${printable(problem.message)}`;
}

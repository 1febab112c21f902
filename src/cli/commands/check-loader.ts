import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { checkLoaderTargets } from '../../lib/loader-check/check';
import {
  parseAuList,
  readTargetDump,
  type TargetDumpOptions,
} from '../../lib/loader-check/target-file';
import type { InputFile } from '../../lib/labels/types';
import { EXIT, UsageError } from '../errors';
import { readDataset, problemLine, withLabelOptions, type Io, type SetCode } from './shared';

function readInput(path: string, what: string): InputFile {
  try {
    return { name: path, bytes: new Uint8Array(readFileSync(path)) };
  } catch (error) {
    throw new UsageError(
      `${what} ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

interface CheckLoaderOptions {
  format?: string;
  quiet?: boolean;
  targets: string;
  aus?: string;
  images?: string;
  imageColumn?: string;
  split?: string;
  json?: boolean;
}

/** The dump's reading options the flags say (the Models page asks the same). */
export function dumpOptions(options: CheckLoaderOptions): TargetDumpOptions {
  const read: TargetDumpOptions = {};
  if (options.aus !== undefined) {
    const parsed = parseAuList(options.aus);
    if ('message' in parsed) throw new UsageError(`--aus '${options.aus}': ${parsed.message}`);
    read.aus = parsed.aus;
  }
  if (options.images !== undefined) read.imageList = readInput(options.images, '--images');
  if (options.imageColumn !== undefined) read.imageColumn = options.imageColumn;
  return read;
}

export function checkLoaderCommand(io: Io, setCode: SetCode): Command {
  return withLabelOptions(new Command('check-loader'))
    .description(
      'Compare the AU targets a training script used (a dump: .npy or CSV) with the labels: all-zero targets, null read as 0, shifted columns, rows out of order. Exit 1 when the targets do not match.',
    )
    .requiredOption(
      '--targets <file>',
      'the target dump: an .npy (rows x AUs) or a CSV/TSV with AU columns',
    )
    .option('--aus <list>', ".npy: the AU of each column, in order (e.g. '1,2,4,6,12')")
    .option(
      '--images <file>',
      '.npy: the image of each row, one per line (default: the dataset order)',
    )
    .option('--image-column <name>', 'CSV: the image column (default: guessed from the header)')
    .option(
      '--split <id>',
      "rows follow this split's samples in the dataset order (a loader dumping its training split)",
    )
    .option('--json', 'the check as JSON')
    .action(async (files: string[], options: CheckLoaderOptions) => {
      const split = options.split === undefined ? null : Number(options.split);
      if (split !== null && !Number.isInteger(split))
        throw new UsageError(`--split '${options.split}': a split id`);
      const read = readTargetDump(readInput(options.targets, '--targets'), dumpOptions(options));
      for (const problem of read.problems) io.err.write(`${problemLine(problem)}\n`);
      if (!read.dump) {
        io.err.write(`au-review: no target could be read from ${options.targets}\n`);
        return setCode(EXIT.unreadable);
      }
      const imported = await readDataset(files, options, io);
      if (typeof imported === 'number') return setCode(imported);
      const check = checkLoaderTargets(imported.table, read.dump, { split });
      if (options.json) io.out.write(`${JSON.stringify(check, null, 2)}\n`);
      else {
        const out = (line = '') => io.out.write(`${line}\n`);
        out(check.verdict);
        out(
          `  ${check.join.matched.toLocaleString('en')} of ${check.join.rows.toLocaleString('en')} rows joined by ${check.join.by}; ${check.columns} AU columns; ${check.codedRows.toLocaleString('en')} rows of coded samples`,
        );
        for (const finding of check.findings) {
          out();
          out(
            `${finding.severity}: ${finding.title} (${finding.count.toLocaleString('en')} of ${finding.of.toLocaleString('en')})`,
          );
          out(`  ${finding.sentence}`);
          for (const example of finding.examples.slice(0, 3))
            out(`  e.g. ${JSON.stringify(example)}`);
        }
      }
      setCode(check.clean ? EXIT.ok : EXIT.failOn);
    });
}

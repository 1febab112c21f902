import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import type { ImportResult } from '../lib/formats/import';
import type { CrowdDistribution } from '../lib/label-evidence/crowd-file';
import { readCrowdDistribution } from '../lib/label-evidence/crowd-file';
import { crowdOpinions } from '../lib/label-evidence/crowd-source';
import type { ClassOpinions } from '../lib/label-evidence/opinion';
import { heldOutOpinions } from '../lib/predictions/held-out';
import { readPredictionCsv } from '../lib/predictions/prediction-file';
import type { Problem } from '../lib/labels/types';
import { EXIT, UsageError } from './errors';
import { printable, problemLine, type Io } from './commands/shared';

/**
 * The evidence a dataset's labels do not carry themselves, as the app adds it: crowd
 * votes (RAF-ML's distribution.txt) and a trained model's predictions (the Models page's
 * CSV), each read against the dataset's image names and joining the label evidence as a
 * source. A model's predictions count only on the splits it was not trained on.
 */

export interface ExtraEvidenceOptions {
  distribution?: string;
  predictions: string[];
}

export interface ExtraEvidence {
  sources: ClassOpinions[];
  crowd: CrowdDistribution | null;
}

export function withExtraEvidenceOptions(command: Command): Command {
  return command
    .option(
      '--distribution <file>',
      "crowd votes (RAF-ML's distribution.txt: image and six emotion shares a line) as evidence",
    )
    .addOption(
      new Option(
        '--predictions <file>',
        "a trained model's predictions (CSV: image, class probabilities, as the Models page reads them) as evidence on its held-out splits; repeat for more runs",
      )
        .argParser((value: string, previous: string[] = []) => [...previous, value])
        .default([]),
    );
}

function bytesOf(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `${what} ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

function say(io: Io, problems: readonly Problem[], limit = 10): void {
  for (const problem of problems.slice(0, limit))
    io.err.write(`au-review: ${problemLine(problem)}\n`);
  if (problems.length > limit)
    io.err.write(`au-review: ... and ${problems.length - limit} more problems\n`);
}

/**
 * Reads the extra evidence the options name. Bad rows are reported on stderr (file, line,
 * field) and left out; a file from which nothing can be used ends the command (exit 3),
 * since the evidence the user asked for would silently be missing.
 */
export function readExtraEvidence(
  imported: ImportResult,
  options: ExtraEvidenceOptions,
  io: Io,
): ExtraEvidence | number {
  const { table, scheme, splitNames } = imported;
  const sources: ClassOpinions[] = [];
  let crowd: CrowdDistribution | null = null;
  if (options.distribution) {
    const path = options.distribution;
    const read = readCrowdDistribution(
      { name: basename(path), bytes: bytesOf(path, '--distribution') },
      table.names,
    );
    say(io, read.problems);
    if (!read.crowd) {
      io.err.write(`au-review: ${printable(path)}: no crowd votes for any sample of the dataset\n`);
      return EXIT.unreadable;
    }
    crowd = read.crowd;
    sources.push(crowdOpinions(crowd, scheme, table.classIds));
    io.err.write(
      `au-review: ${printable(path)}: crowd votes for ${read.rows.accepted.toLocaleString('en')} sample${read.rows.accepted === 1 ? '' : 's'}\n`,
    );
  }
  for (const [at, path] of options.predictions.entries()) {
    const read = readPredictionCsv(
      { name: basename(path), bytes: bytesOf(path, '--predictions') },
      { names: table.names, scheme },
      { id: `cli-${at}`, datasetId: 'cli', name: basename(path), createdAt: 0 },
    );
    say(io, read.problems);
    if (!read.run) {
      io.err.write(`au-review: ${printable(path)}: no prediction could be used\n`);
      return EXIT.unreadable;
    }
    const opinions = heldOutOpinions(read.run, table, scheme, splitNames);
    if (!opinions) {
      io.err.write(
        `au-review: ${printable(path)}: no prediction on a held-out split (a model's predictions on its own training split are not evidence); left out\n`,
      );
      continue;
    }
    sources.push(opinions);
  }
  return { sources, crowd };
}

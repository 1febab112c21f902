import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { unpackBackup } from '../lib/backup/format';
import type { SampleTable } from '../lib/labels/types';
import { DecisionSchema, type Decision } from '../lib/review/decision';
import { staleDecisions } from '../lib/review/decisions';
import { EXIT, UsageError } from './errors';
import { printable, type Io } from './commands/shared';

/**
 * The review decisions of a dataset, from the app's backup file of it (Datasets, "Back
 * up"): the lead's final word, team bundles merged and adjudicated in the app included.
 * Each decision names its sample by index and image; one whose image is not the label
 * files' sample at that index is left out and said, and a backup none of whose decisions
 * fit these files ends the command (exit 3): it is another dataset's.
 */
export function readDecisionsBackup(path: string, table: SampleTable, io: Io): Decision[] | number {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `--decisions ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const file = basename(path);
  const unpacked = unpackBackup(bytes, file);
  if (!unpacked.ok) {
    io.err.write(`au-review: ${printable(path)}: ${printable(unpacked.reason)}\n`);
    return EXIT.unreadable;
  }
  const decisions: Decision[] = [];
  for (const [at, record] of unpacked.tables.decisions.entries()) {
    const parsed = DecisionSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      io.err.write(
        `au-review: ${printable(path)}: decision ${at + 1} is not one this app reads (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}); nothing was exported\n`,
      );
      return EXIT.unreadable;
    }
    decisions.push(parsed.data);
  }
  const stale = staleDecisions(table, decisions);
  if (decisions.length > 0 && stale.length === decisions.length) {
    io.err.write(
      `au-review: ${printable(path)}: none of its ${decisions.length} decisions fits these label files (${printable(stale[0]?.reason ?? '')}): it is the backup of another dataset (${printable(unpacked.manifest.datasetName)})\n`,
    );
    return EXIT.unreadable;
  }
  for (const { reason } of stale.slice(0, 10))
    io.err.write(`au-review: ${printable(path)}: a decision left out: ${printable(reason)}\n`);
  if (stale.length > 10) io.err.write(`au-review: ... and ${stale.length - 10} more left out\n`);
  io.err.write(
    `au-review: ${printable(path)}: ${(decisions.length - stale.length).toLocaleString('en')} decisions of ${printable(unpacked.manifest.datasetName)}\n`,
  );
  return decisions;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { ExportPolicySchema, type ExportPolicy } from '../../lib/export/policy';
import { assembleZip, deflateEntry, type ZipEntry } from '../../lib/export/zip';
import type { SecondThread } from '../second-thread';
import { analyse, exportFiles } from '../analyse';
import { readDecisionsBackup } from '../decisions-file';
import {
  readExtraEvidence,
  withExtraEvidenceOptions,
  type ExtraEvidenceOptions,
} from '../extra-evidence';
import { EXIT, UsageError } from '../errors';
import {
  readDataset,
  datasetName,
  secondThreadFor,
  withLabelOptions,
  type Io,
  type SetCode,
} from './shared';

interface ExportOptions extends ExtraEvidenceOptions {
  decisions?: string;
  format?: string;
  name?: string;
  quiet?: boolean;
  out: string;
  nullAu: 'keep-uncoded' | 'drop';
  minScore?: string;
  dropLikelyMislabelled?: boolean;
  beta: string;
}

/** The export policy the options say (the app's default otherwise). */
export function policyOf(
  options: Pick<ExportOptions, 'nullAu' | 'minScore' | 'dropLikelyMislabelled' | 'beta'>,
): ExportPolicy {
  const minScore = options.minScore === undefined ? null : Number(options.minScore);
  if (minScore !== null && !Number.isFinite(minScore))
    throw new UsageError(`--min-score '${options.minScore}': not a number`);
  const parsed = ExportPolicySchema.safeParse({
    nullAu: options.nullAu,
    minScore,
    dropLikelyMislabelled: options.dropLikelyMislabelled === true,
    beta: Number(options.beta),
  });
  if (!parsed.success)
    throw new UsageError(`--beta '${options.beta}': one of 0.9, 0.99, 0.999, 0.9999`);
  return parsed.data;
}

/**
 * The zip, its largest file deflated on the second thread while this one deflates the
 * rest (as the app's export worker does with a second worker); the same bytes either way.
 */
export async function zipOnTwoThreads(
  files: readonly ZipEntry[],
  thread: SecondThread | null,
): Promise<Uint8Array> {
  const largest = files.reduce<ZipEntry | null>(
    (big, file) => (big && big.bytes.length >= file.bytes.length ? big : file),
    null,
  );
  const away = thread && largest ? thread.deflate(largest) : null;
  const deflated = new Map(
    files.filter((file) => !away || file !== largest).map((f) => [f.path, deflateEntry(f)]),
  );
  if (away && largest) deflated.set(largest.path, await away);
  return assembleZip(files, deflated);
}

export function exportCommand(io: Io, setCode: SetCode): Command {
  return withExtraEvidenceOptions(withLabelOptions(new Command('export')))
    .description(
      "Exactly the files the app's export writes for these labels (drop-in label files, au_matrix.csv, training_stats.json, README, provenance, changelog), as a zip or a folder.",
    )
    .requiredOption('--out <zip-or-dir>', 'a .zip file, or a folder to write the files into')
    .option(
      '--decisions <backup.zip>',
      "the review decisions of the app's backup of this dataset (Datasets, Back up): the final labels to export",
    )
    .addOption(
      new Option(
        '--null-au <how>',
        "'keep-uncoded': a null AU label is -1 in the matrix; 'drop': the sample is left out",
      )
        .choices(['keep-uncoded', 'drop'])
        .default('keep-uncoded'),
    )
    .option('--min-score <score>', 'drop samples whose check score is below this')
    .option(
      '--drop-likely-mislabelled',
      'drop the samples the label evidence calls likely mislabelled',
    )
    .addOption(
      new Option('--beta <beta>', 'class weights beta')
        .choices(['0.9', '0.99', '0.999', '0.9999'])
        .default('0.999'),
    )
    .action(async (files: string[], options: ExportOptions) => {
      const policy = policyOf(options);
      const thread = secondThreadFor(files);
      const imported = await readDataset(files, options, io);
      if (typeof imported === 'number') return setCode(imported);
      const extra = readExtraEvidence(imported, options, io);
      if (typeof extra === 'number') return setCode(extra);
      const decisions = options.decisions
        ? readDecisionsBackup(options.decisions, imported.table, io)
        : [];
      if (typeof decisions === 'number') return setCode(decisions);
      const name = datasetName(files, options.name);
      // What the app's export reads beside the labels: the check's scores and the evidence's flags.
      const { check, evidence } = await analyse(imported, name, undefined, thread, extra);
      const { files: written, selection } = exportFiles(imported, name, {
        policy,
        check,
        flagged: evidence.flagged,
        decisions,
      });
      if (options.out.toLowerCase().endsWith('.zip')) {
        mkdirSync(dirname(options.out), { recursive: true });
        writeFileSync(options.out, await zipOnTwoThreads(written, thread));
      } else {
        for (const file of written) {
          const path = join(options.out, file.path);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, file.bytes);
        }
      }
      await thread?.close();
      io.err.write(
        `au-review: ${selection.kept.length.toLocaleString('en')} of ${imported.table.count.toLocaleString('en')} samples exported to ${options.out}\n`,
      );
      setCode(EXIT.ok);
    });
}

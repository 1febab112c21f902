import type { CsvMapping } from '../formats/generic-table/csv';
import type {
  LabelScheme,
  SampleTable,
  SourceFile,
  SourceFormat,
  SplitNames,
} from '../labels/types';
import type { FinalLabels } from '../review/decision';
import { writeChangelog } from './changelog';
import {
  auMatrixNotes,
  auVocabularyOf,
  exportAuColumns,
  writeAuMatrixBytes,
  type AuMatrixNotes,
} from './matrix';
import { exportLabels, selectForExport, type ExportPolicy, type ExportSelection } from './policy';
import { writeProvenance } from './provenance';
import {
  AU_MATRIX_FILE,
  CHANGELOG_FILE,
  PROVENANCE_FILE,
  README_FILE,
  STATS_FILE,
  writeReadme,
} from './readme';
import { computeTrainingStats, type TrainingStats } from './stats';
import { utf8 } from '../labels/text-out';
import { assembleZip } from './zip';
import { LABELS_FOLDER, writeLabelFiles, type ExportFile } from './writers';

/**
 * The export as one zip. Deterministic: the same data and options give the same
 * bytes (fixed entry order, fixed modification time, no export time unless given).
 */

export interface ExportInput {
  /** Dataset name, written into the README and JSON files. */
  dataset: string;
  format: SourceFormat;
  scheme: LabelScheme;
  splitNames: SplitNames;
  table: SampleTable;
  sourceFiles: readonly SourceFile[];
  /** For a generic CSV: its header and column mapping (ImportResult.csv). */
  csv?: { columns: readonly string[]; mapping: CsvMapping } | null;
  /** Final labels; null when nobody reviewed anything. */
  final: FinalLabels | null;
  /** Check score per sample (NaN = not scored); null when not computed. */
  checkScore: ArrayLike<number> | null;
  policy: ExportPolicy;
  /** LabelEvidence.flagged (LabelFlag codes) for the policy's dropLikelyMislabelled; null or absent when not computed. */
  flagged?: ArrayLike<number> | null;
  /**
   * A selection already computed with the same inputs (saves a pass). Used only when it
   * was made with the check of what is written (labelsChecked); otherwise made again.
   */
  selection?: ExportSelection;
  /**
   * The AU columns of the matrix and statistics (a model's AU head); default the
   * format's AU list, or every AU coded in the dataset (export/matrix.ts exportAuColumns).
   */
  aus?: readonly number[];
  /** Milliseconds since the epoch, recorded in provenance.json; leave out for reproducible bytes. */
  exportedAt?: number;
}

export interface ExportBundle {
  selection: ExportSelection;
  stats: TrainingStats;
  auColumns: number[];
  /** What the matrix met beyond its columns (unreadable tokens, action descriptors), as the README says. */
  auNotes: AuMatrixNotes;
  /** In zip order. */
  files: ExportFile[];
}

/** What an export keeps, the labels it writes and its AU columns (before any file is written). */
interface ExportPlan {
  selection: ExportSelection;
  labels: ReturnType<typeof exportLabels>;
  auColumns: ReturnType<typeof exportAuColumns>['aus'];
  auColumnsRule: ReturnType<typeof exportAuColumns>['rule'];
}

function planExport(input: ExportInput): ExportPlan {
  const { table, final, policy, scheme } = input;
  // Whatever the store held, only labels that pass the check are written (validate.ts).
  const selection = input.selection?.labelsChecked
    ? input.selection
    : selectForExport(table, final, input.checkScore, policy, input.flagged ?? null, {
        scheme,
        format: input.format,
      });
  const labels = exportLabels(table, final, policy);
  // The same columns for every export of the dataset, whatever it keeps.
  const { aus: auColumns, rule: auColumnsRule } = exportAuColumns({
    vocabulary: auVocabularyOf(input.format),
    table,
    final,
    given: input.aus,
  });
  return { selection, labels, auColumns, auColumnsRule };
}

function statsOf(input: ExportInput, plan: ExportPlan): TrainingStats {
  return computeTrainingStats({
    dataset: input.dataset,
    table: input.table,
    labels: plan.labels,
    kept: plan.selection.kept,
    scheme: input.scheme,
    splitNames: input.splitNames,
    beta: input.policy.beta,
    aus: plan.auColumns,
  });
}

/** The bytes of training_stats.json as the export writes it. */
function statsBytes(stats: TrainingStats): Uint8Array {
  return utf8(JSON.stringify(stats, null, 2) + '\n');
}

/**
 * The export's training_stats.json alone, byte for byte the file buildExportFiles
 * writes, without writing the others: the command line's `stats` needs no AU matrix.
 */
export function buildTrainingStatsFile(input: ExportInput): ExportFile {
  return { path: STATS_FILE, bytes: statsBytes(statsOf(input, planExport(input))) };
}

/**
 * Every file of the export, in their zip order: README.txt, labels/..., au_matrix.csv,
 * training_stats.json, provenance.json, changelog.csv.
 */
export function buildExportFiles(
  input: ExportInput,
  /**
   * Told of the AU matrix's bytes as they are written (bytes[0, length); copy what is
   * kept, the array may be replaced), the first of the files: the export worker hands
   * its pieces to a second core to compress while the rest is written.
   */
  onMatrixBytes?: (bytes: Uint8Array, length: number) => void,
): ExportBundle {
  const { table, final, policy, scheme, splitNames } = input;
  const plan = planExport(input);
  const { selection, labels, auColumns, auColumnsRule } = plan;
  const kept = selection.kept;
  const auNotes = auMatrixNotes(labels, kept, auColumns);
  const matrixFile: ExportFile = {
    path: AU_MATRIX_FILE,
    bytes: writeAuMatrixBytes(
      { table, labels, kept, scheme, splitNames, aus: auColumns },
      onMatrixBytes,
    ),
  };

  const labelFiles = writeLabelFiles({
    format: input.format,
    table,
    labels,
    kept,
    scheme,
    splitNames,
    sourceFiles: input.sourceFiles,
    csv: input.csv ?? null,
  }).map((file) => ({ ...file, path: `${LABELS_FOLDER}/${file.path}` }));
  const stats = statsOf(input, plan);
  const log = {
    dataset: input.dataset,
    format: input.format,
    scheme,
    splitNames,
    table,
    final,
    selection,
    policy,
    ...(input.exportedAt === undefined ? {} : { exportedAt: input.exportedAt }),
  };
  const readme = writeReadme({
    dataset: input.dataset,
    format: input.format,
    policy,
    selection,
    stats,
    labelFiles: labelFiles.map((f) => f.path),
    auColumns,
    auColumnsRule,
    auNotes,
  });
  const files: ExportFile[] = [
    { path: README_FILE, bytes: utf8(readme) },
    ...labelFiles,
    matrixFile,
    { path: STATS_FILE, bytes: statsBytes(stats) },
    { path: PROVENANCE_FILE, bytes: utf8(writeProvenance(log)) },
    { path: CHANGELOG_FILE, bytes: utf8(writeChangelog(log)) },
  ];
  return { selection, stats, auColumns, auNotes, files };
}

/** Zip files in the given order, deterministically (each file at its own level: see zip.ts). */
export function zipFiles(files: readonly ExportFile[]): Uint8Array {
  return assembleZip(files);
}

export function buildExportZip(input: ExportInput): Uint8Array {
  return zipFiles(buildExportFiles(input).files);
}

import { formatOf } from '../formats/registry';
import type { SourceFormat } from '../labels/types';
import type { ExportPolicy, ExportSelection } from './policy';
import { describePolicy, REMOVAL_REASON_LABELS, RemovalReasonNameSchema } from './policy';
import type { AuColumnsRule, AuMatrixNotes, TokenCount } from './matrix';
import type { TrainingStats } from './stats';

/** README.txt of the export: what each file is and how to use it in a training run. */

export const AU_MATRIX_FILE = 'au_matrix.csv';
export const STATS_FILE = 'training_stats.json';
export const PROVENANCE_FILE = 'provenance.json';
export const CHANGELOG_FILE = 'changelog.csv';
export const README_FILE = 'README.txt';

export interface ReadmeInput {
  dataset: string;
  format: SourceFormat;
  policy: ExportPolicy;
  selection: ExportSelection;
  stats: TrainingStats;
  /** Paths of the drop-in label files inside the zip. */
  labelFiles: readonly string[];
  auColumns: readonly number[];
  /** Where the AU columns come from (exportAuColumns). */
  auColumnsRule: AuColumnsRule;
  /** What the matrix of this export met beyond its columns (auMatrixNotes). */
  auNotes: AuMatrixNotes;
}

/** Tokens listed in the README at most; the rest are counted. */
const MAX_LISTED_TOKENS = 12;

function tokenList(tokens: readonly (TokenCount & { au?: number })[]): string {
  const listed = tokens
    .slice(0, MAX_LISTED_TOKENS)
    .map(({ token, count, au }) => `${token}${au === undefined ? '' : ` (AU${au})`} x${count}`);
  const more = tokens.length - listed.length;
  return listed.join(', ') + (more > 0 ? `, and ${more} more` : '');
}

/** Where the columns come from, as README lines. */
const COLUMN_RULES: Readonly<Record<AuColumnsRule, (format: string) => string[]>> = {
  format: (format) => [
    `  They are the AUs the format codes (${format}: its own AU list);`,
    '  an AU outside that list has no column.',
  ],
  dataset: () => [
    '  They are every AU coded anywhere in the dataset: all its samples, exported or',
    '  not, with their original and their corrected labels (corrections applied or',
    '  not). A correction can add a column (an AU no label had), never take one away.',
  ],
  given: () => ["  They are the AU list given for this export (a model's AU head)."],
};

/** What the matrix of this export met beyond its columns, as README lines (none when nothing). */
function auNoteLines(notes: AuMatrixNotes, auColumns: readonly number[]): string[] {
  const lines: string[] = [];
  const inColumns = new Set(auColumns);
  if (notes.unreadableSamples > 0) {
    lines.push(
      `  In this export, ${notes.unreadableSamples} sample(s) have AU tokens outside the AU grammar:`,
    );
    const written = notes.unreadableWithAu.filter((t) => inColumns.has(t.au));
    const noColumn = notes.unreadableWithAu.filter((t) => !inColumns.has(t.au));
    if (written.length > 0) lines.push(`    -1 in the AU's column: ${tokenList(written)}`);
    if (noColumn.length > 0)
      lines.push(`    naming an AU without a column: ${tokenList(noColumn)}`);
    if (notes.unreadableWithoutAu.length > 0)
      lines.push(
        `    naming no AU (left out, the row's other AUs as they are): ${tokenList(notes.unreadableWithoutAu.map((t) => ({ ...t, token: t.token === '' ? '(empty)' : t.token })))}`,
      );
  }
  if (notes.descriptors.length > 0)
    lines.push(`  Action descriptors in this export: ${tokenList(notes.descriptors)}.`);
  if (notes.outsideColumns.samples > 0)
    lines.push(
      `  ${notes.outsideColumns.samples} exported sample(s) code an AU without a column (${notes.outsideColumns.aus.map((au) => `AU${au}`).join(', ')}): not in the matrix.`,
    );
  return lines;
}

export function writeReadme(input: ReadmeInput): string {
  const { selection, stats, auColumns } = input;
  const removedLines = RemovalReasonNameSchema.options
    .filter((name) => selection.byReason[name] > 0)
    .map((name) => `    ${selection.byReason[name]} ${REMOVAL_REASON_LABELS[name]}`);
  const auList = auColumns.length > 0 ? auColumns.map((au) => `AU${au}`).join(', ') : '(none)';
  const formatName = formatOf(input.format).readmeName(input.format);
  const lines = [
    `AU Review export: ${input.dataset}`,
    '',
    `${selection.keptCount} of ${selection.total} samples exported; ${selection.removedCount} removed.`,
    ...(removedLines.length > 0 ? ['Removed:', ...removedLines] : []),
    `Exported samples whose AU label is null (not coded): ${selection.keptNullAu}.`,
    `Exported samples that carry a flag: ${selection.keptFlagged}.`,
    '',
    'Export policy:',
    ...describePolicy(input.policy).map((line) => `  - ${line}`),
    '',
    'FILES',
    '',
    `labels/  Drop-in label files in the original format: ${formatName}.`,
    ...input.labelFiles.map((path) => `    ${path}`),
    '  Point your existing data loader at them instead of the original files.',
    '  Corrected labels are applied and removed samples left out; untouched samples',
    '  keep their original text, line endings and byte-order mark.',
    '',
    `${AU_MATRIX_FILE}  One row per exported sample: image, class_id (-1 = no class),`,
    `  class_name, split (its name), then one column per AU (${auList}):`,
    '     1 = present, 0 = absent, -1 = NOT CODED (unknown).',
    '  The AU columns are the same for every export of this dataset, whatever samples',
    `  it keeps, and ${STATS_FILE} lists the same AUs in the same order.`,
    ...COLUMN_RULES[input.auColumnsRule](formatOf(input.format).name),
    '  A sample whose AU label is null has -1 in every AU column. A token outside the',
    "  AU grammar that still names an AU (L12L, BL18: AU12, AU18) has -1 in that AU's",
    "  column, never 0; one that names no AU is left out, the row's other AUs as they",
    '  are. Action descriptors (AD19) have no column of their own and never set an AU;',
    '  as FACS gives a descriptor the number of the AU it was (AD19 Tongue Show was',
    '  AU19), the AU of that number has -1 unless an AU token codes it.',
    ...auNoteLines(input.auNotes, auColumns),
    '  Never read -1 as 0: "not coded" is not "no AU active". Mask it out of the AU loss:',
    '',
    '    import json, pandas as pd, torch',
    `    stats = json.load(open("${STATS_FILE}"))`,
    `    m = pd.read_csv("${AU_MATRIX_FILE}")`,
    '    au_cols = [c for c in m.columns if c.startswith("AU")]',
    '    y = torch.tensor(m[au_cols].values, dtype=torch.float32)   # N x A',
    '    mask = (y >= 0).float()                                      # 0 where not coded',
    '    pos_weight = torch.tensor([a["posWeight"] or 1.0 for a in stats["au"]["aus"]])',
    '    bce = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=pos_weight)',
    '    loss = (bce(logits, y.clamp(min=0)) * mask).sum() / mask.sum().clamp(min=1)',
    '',
    `${STATS_FILE}  Training statistics (version ${stats.version}), over all exported`,
    "  samples and per split (use the training split's block for weights):",
    '  - classes: count per class and weight for the chosen beta',
    `    (beta = ${stats.beta}); classWeights: weights for beta 0.9, 0.99, 0.999, 0.9999.`,
    `    ${stats.formula}.`,
    '    A class without samples has weight null. Classes are listed in the label',
    "    scheme's order with their class_id (1-based for RAF-DB), e.g.",
    '      train = next(s for s in stats["splits"] if s["name"] == "train")',
    '      w = torch.tensor([c["weight"] or 0.0 for c in train["classes"]])',
    '      ce = torch.nn.CrossEntropyLoss(weight=w)',
    '  - au: per AU, positives and negatives among CODED samples (1 and 0 in its',
    `    ${AU_MATRIX_FILE} column; a -1 cell counts as neither), rate = positives /`,
    '    (positives + negatives), posWeight = negatives / positives (null when no',
    '    positive), for BCEWithLogitsLoss(pos_weight=...). uncodedExcluded counts the samples',
    `    left out of these statistics (null AU labels and samples without an AU value: ${stats.au.uncodedExcluded} overall).`,
    '',
    `${PROVENANCE_FILE}  Provenance (version 2): dataset, policy, counts, and for every`,
    '  sample a reviewer touched (exported or not): original and final labels, the',
    '  decision (kind, reviewer, time, flag reason, note) and the reasons.',
    '',
    `${CHANGELOG_FILE}  Change log, one row per change: sample, image, change (removed,`,
    '  class changed, AU changed, flagged, ...), from, to, reason, reviewer, time (UTC).',
    '  Every sample not exported has a "removed" row with its reason.',
    '',
    'CHECKS AND SPREADSHEETS',
    '',
    '  Every label written is checked first: class ids in the label scheme, AU text in',
    '  the AU grammar without line breaks or control characters, image names that keep',
    '  their line whole. A sample that fails is left out of every label file together',
    '  (the label files keep the same images in the same order) and has a "removed"',
    `  row in ${CHANGELOG_FILE} saying why (${selection.byReason['invalid-label']} in this export).`,
    `  In ${AU_MATRIX_FILE} and ${CHANGELOG_FILE}, a text cell a spreadsheet would run as a`,
    "  formula (starting with =, +, -, @, tab or carriage return) starts with ' and is",
    '  quoted, as OWASP recommends; numbers such as -1 are written as they are. Strip',
    "  that ' from image names before matching them to files. The label files are",
    '  written exactly as the source format has them.',
    '',
    `${README_FILE}  This file.`,
    '',
  ];
  return lines.join('\n');
}

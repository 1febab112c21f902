import { formatOf } from '../formats/registry';
import type { SourceFormat } from '../labels/types';
import type { ExportPolicy, ExportSelection } from './policy';
import { describePolicy, REMOVAL_REASON_LABELS, RemovalReasonNameSchema } from './policy';
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
}

export function writeReadme(input: ReadmeInput): string {
  const { selection, stats, auColumns } = input;
  const removedLines = RemovalReasonNameSchema.options
    .filter((name) => selection.byReason[name] > 0)
    .map((name) => `    ${selection.byReason[name]} ${REMOVAL_REASON_LABELS[name]}`);
  const auList = auColumns.length > 0 ? auColumns.map((au) => `AU${au}`).join(', ') : '(none)';
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
    `labels/  Drop-in label files in the original format: ${formatOf(input.format).readmeName(input.format)}.`,
    ...input.labelFiles.map((path) => `    ${path}`),
    '  Point your existing data loader at them instead of the original files.',
    '  Corrected labels are applied and removed samples left out; untouched samples',
    '  keep their original text, line endings and byte-order mark.',
    '',
    `${AU_MATRIX_FILE}  One row per exported sample: image, class_id (-1 = no class),`,
    '  class_name, split (its name), then one column per AU present in the exported',
    `  samples (${auList}):`,
    '     1 = present, 0 = absent, -1 = NOT CODED (unknown).',
    '  A sample whose AU label is null has -1 in every AU column. Never read -1 as',
    '  0: "not coded" is not "no AU active". Mask it out of the AU loss:',
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
    '  - au: per AU, positives and negatives among CODED samples, rate =',
    '    positives / coded, posWeight = negatives / positives (null when no positive),',
    '    for BCEWithLogitsLoss(pos_weight=...). uncodedExcluded counts the samples',
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

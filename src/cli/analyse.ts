import { diagnose, type Diagnosis } from '../lib/diagnosis/diagnose';
import {
  buildExportFiles,
  buildTrainingStatsFile,
  type ExportBundle,
  type ExportInput,
} from '../lib/export/bundle';
import type { ExportFile } from '../lib/export/writers';
import { defaultExportPolicy, type ExportPolicy } from '../lib/export/policy';
import type { ImportResult } from '../lib/formats/import';
import {
  assessLabels,
  DEFAULT_EVIDENCE_OPTIONS,
  fitPlan,
  planEvidence,
  type EvidenceFits,
  type LabelEvidence,
} from '../lib/label-evidence/assess';
import { evidenceColumns } from '../lib/label-evidence/au-design';
import { fitAuModelOutOfFold } from '../lib/label-evidence/au-model';
import { defaultRuleSet } from '../lib/rules/builtin';
import { checkTable, type CheckColumns } from '../lib/rules/check';
import { buildOverview, type Overview } from '../lib/rules/overview';
import type { RuleSet } from '../lib/rules/schema';
import type { Decision } from '../lib/review/decision';
import { resolveFinalLabels } from '../lib/review/decisions';
import type { ExtraEvidence } from './extra-evidence';
import type { SecondThread } from './second-thread';

export interface Analysis {
  ruleSet: RuleSet;
  check: CheckColumns;
  evidence: LabelEvidence;
  overview: Overview;
  diagnosis: Diagnosis;
}

/**
 * What the app computes when a dataset opens (the analysis worker), and its diagnosis
 * page. With a second thread, the AU model's two fits (the labels, the calibration copy)
 * run side by side; the results are the same either way.
 */
export async function analyse(
  imported: ImportResult,
  name: string,
  ruleSet?: RuleSet,
  thread?: SecondThread | null,
  extra: ExtraEvidence = { sources: [], crowd: null },
): Promise<Analysis> {
  const { table, scheme, splitNames } = imported;
  const rules = ruleSet ?? defaultRuleSet(scheme);
  const input = {
    columns: evidenceColumns(table, imported.auValues),
    scheme,
    ruleSet: rules,
    extraSources: extra.sources,
  };
  const options = { ...DEFAULT_EVIDENCE_OPTIONS, minClassSamples: rules.settings.minClassSamples };
  const plan = planEvidence(input, options);
  const copyJob = plan.calibration;
  const onThread =
    thread && copyJob
      ? thread.fit({
          columns: copyJob.columns,
          classIds: plan.classIds,
          labels: copyJob.labels,
          options: options.auModel,
        })
      : null;
  const check = checkTable(table, rules);
  let fits: EvidenceFits;
  if (onThread) {
    const labels = plan.labels
      ? fitAuModelOutOfFold(plan.labels.columns, plan.classIds, options.auModel, plan.labels.labels)
      : null;
    fits = { labels, calibration: await onThread };
  } else fits = fitPlan(plan, options);
  const evidence = assessLabels(input, options, { plan, fits });
  const overview = buildOverview(table, scheme, splitNames, rules, check, evidence);
  const diagnosis = diagnose({
    datasetName: name,
    table,
    scheme,
    splitNames,
    ruleSet: rules,
    overview,
    evidence,
    crowd: extra.crowd,
  });
  return { ruleSet: rules, check, evidence, overview, diagnosis };
}

/** What the app's export is given for these labels, under a policy, with the review decisions given. */
function exportInput(imported: ImportResult, name: string, options: ExportOptions): ExportInput {
  return {
    dataset: name,
    format: imported.format,
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    table: imported.table,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
    final:
      options.decisions && options.decisions.length > 0
        ? resolveFinalLabels(imported.table, options.decisions)
        : null,
    checkScore: options.check?.score ?? null,
    policy: options.policy ?? defaultExportPolicy(),
    flagged: options.flagged ?? null,
  };
}

interface ExportOptions {
  policy?: ExportPolicy;
  check?: CheckColumns | null;
  flagged?: ArrayLike<number> | null;
  /** Review decisions (a backup's): the final labels the export writes. */
  decisions?: readonly Decision[];
}

/**
 * The export's files exactly as the app's export writes them, under a policy, for an
 * unreviewed dataset or with the review decisions given: the same function, the same
 * inputs.
 */
export function exportFiles(
  imported: ImportResult,
  name: string,
  options: ExportOptions = {},
): ExportBundle {
  return buildExportFiles(exportInput(imported, name, options));
}

/** The export's training_stats.json alone, the same bytes, without writing the other files. */
export function trainingStatsFile(
  imported: ImportResult,
  name: string,
  options: ExportOptions = {},
): ExportFile {
  return buildTrainingStatsFile(exportInput(imported, name, options));
}

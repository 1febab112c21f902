import { diagnose, type Diagnosis } from '../lib/diagnosis/diagnose';
import { buildExportFiles, type ExportBundle } from '../lib/export/bundle';
import { defaultExportPolicy, type ExportPolicy } from '../lib/export/policy';
import type { ImportResult } from '../lib/formats/import';
import {
  assessLabels,
  DEFAULT_EVIDENCE_OPTIONS,
  type LabelEvidence,
} from '../lib/label-evidence/assess';
import { defaultRuleSet } from '../lib/rules/builtin';
import { checkTable, type CheckColumns } from '../lib/rules/check';
import { buildOverview, type Overview } from '../lib/rules/overview';
import type { RuleSet } from '../lib/rules/schema';

export interface Analysis {
  ruleSet: RuleSet;
  check: CheckColumns;
  evidence: LabelEvidence;
  overview: Overview;
  diagnosis: Diagnosis;
}

/** What the app computes when a dataset opens (the analysis worker), and its diagnosis page. */
export function analyse(imported: ImportResult, name: string, ruleSet?: RuleSet): Analysis {
  const { table, scheme, splitNames } = imported;
  const rules = ruleSet ?? defaultRuleSet(scheme);
  const check = checkTable(table, rules);
  const evidence = assessLabels(
    { columns: table, scheme, ruleSet: rules },
    { ...DEFAULT_EVIDENCE_OPTIONS, minClassSamples: rules.settings.minClassSamples },
  );
  const overview = buildOverview(table, scheme, splitNames, rules, check, evidence);
  const diagnosis = diagnose({
    datasetName: name,
    table,
    scheme,
    splitNames,
    ruleSet: rules,
    overview,
    evidence,
    crowd: null,
  });
  return { ruleSet: rules, check, evidence, overview, diagnosis };
}

/**
 * The export's files exactly as the app's export writes them for an unreviewed
 * dataset (no decisions), under a policy: the same function, the same inputs.
 */
export function exportFiles(
  imported: ImportResult,
  name: string,
  options: {
    policy?: ExportPolicy;
    check?: CheckColumns | null;
    flagged?: ArrayLike<number> | null;
  } = {},
): ExportBundle {
  return buildExportFiles({
    dataset: name,
    format: imported.format,
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    table: imported.table,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
    final: null,
    checkScore: options.check?.score ?? null,
    policy: options.policy ?? defaultExportPolicy(),
    flagged: options.flagged ?? null,
  });
}

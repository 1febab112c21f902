import type { LabelScheme, SampleTable, SplitNames } from '../labels/types';
import type { CheckColumns } from '../rules/check';
import type { LabelIssueColumns } from '../rules/label-issues';
import type { Overview } from '../rules/overview';
import type { RuleSet } from '../rules/schema';

/** The columns the analysis reads: no names or AU texts, so nothing costly to copy. */
export type AnalysisColumns = Omit<SampleTable, 'names' | 'auRaw'>;

export interface AnalysisRequest {
  id: number;
  columns: AnalysisColumns;
  ruleSet: RuleSet;
  scheme: LabelScheme;
  splitNames: SplitNames;
}

export type AnalysisResponse =
  | { id: number; ok: true; check: CheckColumns; issues: LabelIssueColumns; overview: Overview }
  | { id: number; ok: false; error: string };

import type { LabelScheme, SampleTable, SplitNames } from '../labels/types';
import type { CrowdDistribution } from '../label-evidence/crowd-file';
import type { FaceColumns } from '../face-reading/face-columns';
import type { LabelEvidence } from '../label-evidence/assess';
import type { CheckColumns } from '../rules/check';
import type { Overview } from '../rules/overview';
import type { RuleSet } from '../rules/schema';

/**
 * The columns the analysis reads: no names or AU texts, so nothing costly to copy; the AUs
 * coded on one side only come as a column of their own (tableOneSided).
 */
export type AnalysisColumns = Omit<SampleTable, 'names' | 'auRaw'> & { auOneSided?: Uint32Array };

export interface AnalysisRequest {
  id: number;
  columns: AnalysisColumns;
  ruleSet: RuleSet;
  scheme: LabelScheme;
  splitNames: SplitNames;
  /** Crowd votes stored beside the dataset, aligned to its samples. */
  crowd: CrowdDistribution | null;
  /** The face model's readings per sample; null when none were read or the user switched them off. */
  faces: FaceColumns | null;
  /**
   * The stored dataset, whose prediction runs the worker reads itself (a million rows
   * of class probabilities per run are better not copied from the page); null: none.
   */
  datasetId: string | null;
}

/**
 * Two answers per request: the check and an overview first (a single pass, fast), then
 * the label evidence (model fits, seconds at a million samples) with the overview again.
 */
export type AnalysisResponse =
  | { id: number; ok: true; phase: 'check'; check: CheckColumns; overview: Overview }
  | { id: number; ok: true; phase: 'evidence'; evidence: LabelEvidence; overview: Overview }
  | { id: number; ok: false; error: string };

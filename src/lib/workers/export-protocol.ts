import type { Decision } from '../review/decision';
import type { ExportInput } from '../export/bundle';

/**
 * The export input with the final labels replaced by the decisions in effect, and
 * the sample table by the stored dataset's id: the worker reads the table from
 * IndexedDB itself, because copying a million samples to it held the page for most
 * of a second. The worker makes the selection itself, with the evidence flags and the
 * check of what is written.
 */
export type ExportRequest = Omit<ExportInput, 'final' | 'selection' | 'table' | 'flagged'> & {
  id: number;
  datasetId: string;
  decisions: Decision[];
  /**
   * LabelEvidence.flagged (LabelFlag codes) for the policy's dropLikelyMislabelled;
   * null when the evidence is not computed yet. The client sends a copy.
   */
  flagged: Uint8Array | null;
};

export type ExportResponse =
  { id: number; ok: true; zip: Uint8Array } | { id: number; ok: false; error: string };

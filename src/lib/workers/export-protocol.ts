import type { Decision } from '../review/decision';
import type { ExportInput } from '../export/bundle';

/** The export input with the final labels replaced by the decisions in effect (closures do not cross to a worker). */
export type ExportRequest = Omit<ExportInput, 'final' | 'selection'> & {
  id: number;
  decisions: Decision[];
};

export type ExportResponse =
  { id: number; ok: true; zip: Uint8Array } | { id: number; ok: false; error: string };

import type { ImportOptions, ImportResult } from '../labels/import';
import type { InputFile } from '../labels/types';

export interface ImportRequest {
  id: number;
  files: InputFile[];
  options: ImportOptions;
}

export type ImportResponse =
  { id: number; ok: true; result: ImportResult } | { id: number; ok: false; error: string };

import type { ImportOptions, ImportResult } from '../labels/import';
import type { InputFile } from '../labels/types';
import type { DatasetMeta } from '../store/records';

/** What the screen needs of a parse; the sample table itself stays in the worker. */
export type ParseSummary = Pick<
  ImportResult,
  'format' | 'scheme' | 'splitNames' | 'sourceFiles' | 'report' | 'csv'
> & { count: number };

export interface ImageToSave {
  key: string;
  name: string;
  blob: Blob;
}

export type ImportRequest =
  | { type: 'parse'; id: number; files: InputFile[]; options: ImportOptions }
  | { type: 'save'; id: number; parseId: number; name: string; images: ImageToSave[] }
  | { type: 'cancel'; id: number };

export type ImportResponse =
  | { type: 'parsed'; id: number; summary: ParseSummary }
  | { type: 'progress'; id: number; rowsDone: number; rowsTotal: number }
  | { type: 'saved'; id: number; meta: DatasetMeta }
  | { type: 'failed'; id: number; error: string; cancelled: boolean };

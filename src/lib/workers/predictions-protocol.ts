import type { LabelScheme, Problem } from '../labels/types';
import type { LoaderCheck } from '../loader-check/check';
import type { PredictionRunMeta } from '../predictions/run';
import type {
  PredictionCsvMapping,
  PredictionOutputChoice,
  PredictionRowCounts,
} from '../predictions/prediction-file';
import type { AuMetrics, EmotionMetrics, RunComparison } from '../predictions/metrics';

export type { AuMetrics, EmotionMetrics, RunComparison };

/** A picked file: the worker reads its bytes. */
export interface FileToRead {
  name: string;
  blob: Blob;
}

/** How the picked files of a run are read: a CSV/TSV with a header, or .npy arrays. */
export type RunFiles =
  | {
      kind: 'csv';
      file: FileToRead;
      /** null: the mapping the header suggests. */
      mapping: PredictionCsvMapping | null;
      output: PredictionOutputChoice;
    }
  | {
      kind: 'npy';
      /** N x C class probabilities or logits (or N predicted classes), columns in scheme order unless classIds says. */
      emotion: {
        file: FileToRead;
        output: PredictionOutputChoice['emotion'];
        classIds?: number[];
      } | null;
      /** N x K AU probabilities or logits, one column per AU of `aus`. */
      au: { file: FileToRead; output: PredictionOutputChoice['au']; aus: number[] } | null;
      /** One image name per line, in the arrays' row order; null: the dataset's own order. */
      imageList: FileToRead | null;
    };

/** How a loader's target dump is read (see loader-check/target-file.ts). */
export interface DumpFiles {
  file: FileToRead;
  /** .npy: the AU number of each column. */
  aus: number[];
  /** .npy: one image name per row; null: the dataset's order. */
  imageList: FileToRead | null;
  /** Joined by row order, the rows are this split's samples; null: all. */
  split: number | null;
}

/** The figures of the Models screen for one choice of runs, split and threshold. */
export interface ModelFigures {
  /** Per chosen run, in order: its emotion metrics (null without emotion columns). */
  emotion: (EmotionMetrics | null)[];
  /** The first run against the second, when two runs with emotion columns are chosen. */
  comparison: RunComparison | null;
  /** Per chosen run: its AU metrics (null without AU columns). */
  au: (AuMetrics | null)[];
}

export interface FiguresRequest {
  datasetId: string;
  scheme: LabelScheme;
  runIds: string[];
  /** null: every split. */
  split: number | null;
  threshold: number;
}

export type PredictionsRequest =
  | {
      type: 'read-run';
      id: number;
      datasetId: string;
      scheme: LabelScheme;
      name: string;
      files: RunFiles;
    }
  /** Stores the run read by the request `readId` (kept in the worker until then). */
  | { type: 'store-run'; id: number; readId: number }
  | ({ type: 'figures'; id: number } & FiguresRequest)
  | { type: 'forget-run'; id: number; runId: string }
  | { type: 'check-loader'; id: number; datasetId: string; files: DumpFiles };

/** A predictions file read against the dataset: what would be stored, and what is wrong with it. */
export interface RunPreview {
  /** null when nothing usable is left (the problems say why): nothing can be stored. */
  meta: PredictionRunMeta | null;
  problems: Problem[];
  problemCounts: Record<string, number>;
  rows: PredictionRowCounts;
  /** CSV: the header's columns and the mapping used (the guess unless one was given). */
  columns: string[] | null;
  mapping: PredictionCsvMapping | null;
}

export interface LoaderCheckAnswer {
  /** null when the dump could not be read: nothing is stored. */
  report: LoaderCheck | null;
  problems: Problem[];
  fileNames: string[];
  checkedAt: number;
}

export type PredictionsResponse =
  | { type: 'progress'; id: number; stage: 'reading' | 'checking' | 'saving' | 'scoring' }
  | { type: 'run-read'; id: number; preview: RunPreview }
  | { type: 'run-stored'; id: number; meta: PredictionRunMeta }
  | { type: 'figures'; id: number; figures: ModelFigures }
  | { type: 'forgotten'; id: number }
  | { type: 'loader-checked'; id: number; answer: LoaderCheckAnswer }
  | { type: 'failed'; id: number; error: string };

/// <reference lib="webworker" />
import '../zod-setup';
import type { InputFile, LabelScheme, SampleTable } from '../labels/types';
import { checkLoaderTargets } from '../loader-check/check';
import { readTargetDump } from '../loader-check/target-file';
import {
  readPredictionCsv,
  readPredictionCsvHeader,
  readPredictionNpy,
  type PredictionReadResult,
  type PredictionRunInfo,
} from '../predictions/prediction-file';
import type { PredictionRun } from '../predictions/run';
import { loadSampleTable } from '../store/datasets';
import { getPredictionRun, saveLoaderCheck, savePredictionRun } from '../store/predictions';
import { auMetrics, compareRuns, emotionMetrics, samplesOfSplit } from '../predictions/metrics';
import type {
  FileToRead,
  ModelFigures,
  PredictionsRequest,
  PredictionsResponse,
  RunFiles,
  RunPreview,
} from './predictions-protocol';

/**
 * Reads prediction files and loader dumps against a stored dataset, stores them, and
 * scores the runs, off the main thread: a million rows of two runs take seconds. The
 * worker reads the sample table and the runs from IndexedDB itself and keeps them
 * while the same dataset is asked about.
 */

const post = (response: PredictionsResponse, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(response, transfer);

/** Problems kept with a stored loader check (the rest are counted on reading). */
const STORED_PROBLEMS = 200;

let tableOf: { datasetId: string; table: Promise<SampleTable> } | null = null;
const runs = new Map<string, PredictionRun>();
/** Runs read and not stored yet, by the id of the request that read them; the last few only. */
const readRuns = new Map<number, PredictionRun>();

function table(datasetId: string): Promise<SampleTable> {
  if (tableOf?.datasetId !== datasetId) {
    runs.clear();
    const loading = loadSampleTable(datasetId);
    tableOf = { datasetId, table: loading };
    // A failed load must not stay cached: the next request tries again.
    loading.catch(() => {
      if (tableOf?.table === loading) tableOf = null;
    });
  }
  return tableOf.table;
}

async function bytesOf(file: FileToRead): Promise<InputFile> {
  return { name: file.name, bytes: new Uint8Array(await file.blob.arrayBuffer()) };
}

/** Bytes read for the header and its guessed mapping: the whole file is read once, after. */
const HEAD_BYTES = 256 * 1024;

/**
 * The file's first lines, cut at a line end (a newline byte never falls inside a
 * UTF-8 character), so that the header is found without decoding a million rows twice.
 */
function headOf(file: InputFile): InputFile {
  const [first, second] = file.bytes;
  // A UTF-16 file (its byte order mark) is read whole: its newline is two bytes.
  const utf16 = (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
  if (utf16 || file.bytes.length <= HEAD_BYTES) return file;
  const cut = file.bytes.lastIndexOf(0x0a, HEAD_BYTES);
  return cut <= 0 ? file : { name: file.name, bytes: file.bytes.subarray(0, cut + 1) };
}

async function readRun(
  files: RunFiles,
  target: { names: SampleTable['names']; scheme: LabelScheme },
  info: PredictionRunInfo,
): Promise<{
  read: PredictionReadResult;
  columns: string[] | null;
  mapping: RunPreview['mapping'];
}> {
  if (files.kind === 'csv') {
    const file = await bytesOf(files.file);
    const header = readPredictionCsvHeader(headOf(file), target.scheme);
    const mapping = files.mapping ?? ('problems' in header ? null : header.mapping);
    const read = readPredictionCsv(file, target, info, mapping ?? undefined, files.output);
    return { read, columns: 'problems' in header ? null : header.columns, mapping };
  }
  const read = readPredictionNpy(
    {
      emotion: files.emotion
        ? {
            file: await bytesOf(files.emotion.file),
            output: files.emotion.output,
            classIds: files.emotion.classIds,
          }
        : undefined,
      au: files.au
        ? { file: await bytesOf(files.au.file), output: files.au.output, aus: files.au.aus }
        : undefined,
      imageList: files.imageList ? await bytesOf(files.imageList) : null,
    },
    target,
    info,
  );
  return { read, columns: null, mapping: null };
}

async function run(datasetId: string, runId: string): Promise<PredictionRun | null> {
  const cached = runs.get(runId);
  if (cached) return cached;
  const stored = await getPredictionRun(runId);
  if (!stored || stored.meta.datasetId !== datasetId) return null;
  runs.set(runId, stored);
  return stored;
}

async function answer(request: PredictionsRequest): Promise<void> {
  const { id } = request;
  switch (request.type) {
    case 'read-run': {
      post({ type: 'progress', id, stage: 'reading' });
      const samples = await table(request.datasetId);
      const info: PredictionRunInfo = {
        id: crypto.randomUUID(),
        datasetId: request.datasetId,
        name: request.name,
        createdAt: Date.now(),
      };
      const { read, columns, mapping } = await readRun(
        request.files,
        { names: samples.names, scheme: request.scheme },
        info,
      );
      if (read.run) {
        readRuns.set(id, read.run);
        // Only the latest reads can be stored; older ones are dropped with their arrays.
        for (const key of readRuns.keys()) if (readRuns.size > 2) readRuns.delete(key);
      }
      post({
        type: 'run-read',
        id,
        preview: {
          meta: read.run?.meta ?? null,
          problems: read.problems,
          problemCounts: { ...read.problemCounts },
          rows: read.rows,
          columns,
          mapping,
        },
      });
      return;
    }
    case 'store-run': {
      const read = readRuns.get(request.readId);
      if (!read) throw new Error('the file read is gone; read it again');
      post({ type: 'progress', id, stage: 'saving' });
      await savePredictionRun(read);
      readRuns.delete(request.readId);
      runs.set(read.meta.id, read);
      post({ type: 'run-stored', id, meta: read.meta });
      return;
    }
    case 'forget-run':
      runs.delete(request.runId);
      post({ type: 'forgotten', id });
      return;
    case 'figures': {
      post({ type: 'progress', id, stage: 'scoring' });
      const samples = await table(request.datasetId);
      const chosen: PredictionRun[] = [];
      for (const runId of request.runIds) {
        const found = await run(request.datasetId, runId);
        if (!found) throw new Error(`the run ${runId} is not stored`);
        chosen.push(found);
      }
      const subset = request.split === null ? null : samplesOfSplit(samples, request.split);
      const [a, b] = chosen;
      const figures: ModelFigures = {
        emotion: chosen.map((r) =>
          r.meta.emotion ? emotionMetrics(samples, r, request.scheme, subset) : null,
        ),
        comparison:
          a?.meta.emotion && b?.meta.emotion
            ? compareRuns(samples, a, b, request.scheme, subset)
            : null,
        au: chosen.map((r) =>
          r.meta.au ? auMetrics(samples, r, request.threshold, subset) : null,
        ),
      };
      post({ type: 'figures', id, figures });
      return;
    }
    case 'check-loader': {
      post({ type: 'progress', id, stage: 'reading' });
      const samples = await table(request.datasetId);
      const { files } = request;
      const file = await bytesOf(files.file);
      const imageList = files.imageList ? await bytesOf(files.imageList) : null;
      const read = readTargetDump(file, { aus: files.aus, imageList });
      const fileNames = [files.file.name, ...(files.imageList ? [files.imageList.name] : [])];
      const checkedAt = Date.now();
      if (!read.dump) {
        post({
          type: 'loader-checked',
          id,
          answer: { report: null, problems: read.problems, fileNames, checkedAt },
        });
        return;
      }
      post({ type: 'progress', id, stage: 'checking' });
      const report = checkLoaderTargets(samples, read.dump, { split: files.split });
      post({ type: 'progress', id, stage: 'saving' });
      await saveLoaderCheck({
        datasetId: request.datasetId,
        checkedAt,
        fileNames,
        report,
        problems: read.problems.slice(0, STORED_PROBLEMS),
      });
      post({
        type: 'loader-checked',
        id,
        answer: { report, problems: read.problems, fileNames, checkedAt },
      });
      return;
    }
  }
}

self.onmessage = async (event: MessageEvent<PredictionsRequest>) => {
  const request = event.data;
  try {
    await answer(request);
  } catch (error) {
    post({
      type: 'failed',
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};

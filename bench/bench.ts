/// <reference types="vite/client" />
/**
 * The benchmark harness page. scripts/bench.mjs serves it beside the built app (same
 * origin, so the app's own store writes into the app's IndexedDB) and calls the
 * functions on `window.bench` one at a time. Every measure runs the app's own modules;
 * each floor runs the least work that produces the same output, without app logic.
 */
import { zipSync, type Zippable } from 'fflate';
import { ImportSession } from '../src/lib/state/importer.svelte';
import { importLabelStreams } from '../src/lib/labels/import';
import { sliceStream } from '../src/lib/workers/slice-stream';
import type { SampleTable } from '../src/lib/labels/types';
import { deleteDataset, loadSampleTable, getDataset } from '../src/lib/store/datasets';
import { tableToPages } from '../src/lib/store/columns';
import { SamplePageSchema, type DatasetMeta, type SamplePage } from '../src/lib/store/records';
import { putSetting } from '../src/lib/store/annotations';
import { saveReviewSet } from '../src/lib/store/review';
import { builtinRuleSetFor } from '../src/lib/rules/builtin';
import { checkTable, type CheckColumns } from '../src/lib/rules/check';
import {
  ALL_SAMPLES_FILTER,
  SampleFilterSchema,
  applyFilter,
  type SampleFilterInput,
} from '../src/lib/rules/filter';
import { scoreLabelIssues, type LabelIssueColumns } from '../src/lib/rules/label-issues';
import { buildOverview } from '../src/lib/rules/overview';
import type { RuleSet } from '../src/lib/rules/schema';
import { ANY_SAMPLE, refineSamples, type SampleQuery } from '../src/lib/query/sample-query';
import { resolveFinalLabels } from '../src/lib/review/decisions';
import type { Decision, FinalLabels } from '../src/lib/review/decision';
import { newReviewSet, randomStratifiedSample } from '../src/lib/review/review-set';
import { buildExportFiles, buildExportZip, type ExportInput } from '../src/lib/export/bundle';
import { defaultExportPolicy } from '../src/lib/export/policy';
import type { FloorRequest, FloorResponse } from './floor.worker';
import { textAt } from '../src/lib/labels/text-column';

// ---------------------------------------------------------------------------
// Helpers

const now = () => performance.now();

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
}

/**
 * Lets the page settle before a timed run. After a forced full gc() the collector
 * still sweeps concurrently for a while: measured here, a 1M-sample filter run 30 ms
 * after gc() took 2-3 times as long as one run 300 ms after it.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 250));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Timing {
  median: number;
  runs: number[];
}

/**
 * `reps` timed runs, garbage collected before each, after one untimed warm-up run
 * unless `warm` is false (the large size skips it: the smaller sizes ran the same code).
 */
async function timeIt<T>(
  reps: number,
  run: () => T | Promise<T>,
  warm = true,
): Promise<Timing & { value: T }> {
  let value: T | undefined = warm ? await run() : undefined;
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    gc();
    await settle();
    const t0 = now();
    value = await run();
    runs.push(now() - t0);
  }
  return { median: median(runs), runs, value: value as T };
}

function log(line: string): void {
  const el = document.getElementById('log');
  if (el) el.textContent += `${line}\n`;
}

function labelFiles(): File[] {
  const input = document.getElementById('label-files') as HTMLInputElement | null;
  const files = [...(input?.files ?? [])];
  if (files.length === 0) throw new Error('no label files given to the harness');
  return files;
}

function fileByRole(files: File[], role: 'emo' | 'AU' | 'partition'): File {
  const file = files.find((f) => f.name.includes(role));
  if (!file) throw new Error(`no RAFCE ${role} file among ${files.map((f) => f.name).join(', ')}`);
  return file;
}

// ---------------------------------------------------------------------------
// Import: the app's ImportSession (read, parse in the worker, save) against the floor

/** The dataset the last app import stored, read back (untimed) for the floor's page records. */
let lastImport: { meta: DatasetMeta; table: SampleTable } | null = null;

/**
 * One import as the import screen runs it: `addFiles` (read the files, parse in the
 * import worker) and `save`. The session starts its own worker when it is made, as
 * the screen makes one when it opens; it is made before the clock starts.
 */
async function importApp(): Promise<{
  total: number;
  readAndParse: number;
  save: number;
  open: number;
  longestTask: number;
  longTasks: number;
  id: string;
  count: number;
}> {
  const files = labelFiles();
  lastImport = null;
  // The import screen makes its session, which starts its worker, when it opens,
  // before any file is dropped: the worker starts before the clock.
  const session = new ImportSession();
  gc();
  await settle();
  // Main-thread tasks over 50 ms (the Long Tasks API's threshold) from the drop of
  // the files to the stored dataset opened, as the import screen opens it.
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  try {
    const t0 = now();
    await session.addFiles(files.map((file) => ({ path: file.name, file })));
    const t1 = now();
    if (session.status !== 'ready')
      throw new Error(`import did not parse: ${session.status} ${session.error ?? ''}`);
    session.name = 'Bench';
    const meta = await session.save();
    const t2 = now();
    if (!meta) throw new Error(`import did not save: ${session.status} ${session.error ?? ''}`);
    const table = await loadSampleTable(meta.id);
    const t3 = now();
    lastImport = { meta, table };
    await settle();
    for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
    return {
      total: t2 - t0,
      readAndParse: t1 - t0,
      save: t2 - t1,
      open: t3 - t2,
      longestTask: Math.max(0, ...longTasks),
      longTasks: longTasks.length,
      id: meta.id,
      count: meta.sampleCount,
    };
  } finally {
    observer.disconnect();
    (session as { dispose?: () => void }).dispose?.();
  }
}

let floorWorker: Worker | null = null;

function floorSplit(request: FloorRequest): Promise<FloorResponse> {
  floorWorker ??= new Worker(new URL('./floor.worker.ts', import.meta.url), { type: 'module' });
  const worker = floorWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FloorResponse>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request, [request.emotion, request.au, request.split]);
  });
}

const FLOOR_DB = 'au-review-bench-floor';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let floorDb: IDBDatabase | null = null;

/** The same store shape as the app's pages table: key [datasetId, index], index on datasetId. */
async function openFloorDb(): Promise<IDBDatabase> {
  if (floorDb) return floorDb;
  const open = indexedDB.open(FLOOR_DB, 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('pages', { keyPath: ['datasetId', 'index'] });
    store.createIndex('datasetId', 'datasetId');
  };
  floorDb = await request(open);
  return floorDb;
}

/** One readwrite transaction, one put per page record, resolved when it commits. */
async function rawWritePages(pages: readonly SamplePage[]): Promise<void> {
  const db = await openFloorDb();
  const tx = db.transaction('pages', 'readwrite');
  const store = tx.objectStore('pages');
  for (const page of pages) store.put(page);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('aborted'));
  });
}

async function clearFloor(): Promise<void> {
  const db = await openFloorDb();
  const tx = db.transaction('pages', 'readwrite');
  tx.objectStore('pages').clear();
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

async function importFloor(): Promise<{
  total: number;
  read: number;
  split: number;
  write: number;
  lines: number;
}> {
  if (!lastImport) throw new Error('importFloor needs an app import first (for its page records)');
  const files = labelFiles();
  // The same records the app stored, built before the clock starts: building them is app logic.
  const pages = tableToPages(crypto.randomUUID(), lastImport.table);
  const expected = lastImport.table.count;
  await clearFloor();
  // The floor's worker is started beforehand: the floor is the least work, not a cold start.
  await floorSplit({
    emotion: new ArrayBuffer(0),
    au: new ArrayBuffer(0),
    split: new ArrayBuffer(0),
  });
  gc();
  await settle();
  const t0 = now();
  const [emotion, au, split] = await Promise.all(
    (['emo', 'AU', 'partition'] as const).map((role) => fileByRole(files, role).arrayBuffer()),
  );
  const t1 = now();
  const columns = await floorSplit({ emotion: emotion!, au: au!, split: split! });
  const t2 = now();
  await rawWritePages(pages);
  const t3 = now();
  if (columns.names.length !== expected)
    throw new Error(`floor split ${columns.names.length} samples, the app ${expected}`);
  return { total: t3 - t0, read: t1 - t0, split: t2 - t1, write: t3 - t2, lines: columns.lines };
}

/** Where the app's import time goes, measured piece by piece (not the user's path). */
async function importBreakdown(reps: number, warm: boolean): Promise<Record<string, Timing>> {
  if (!lastImport) throw new Error('importBreakdown needs an app import first');
  const files = labelFiles();
  const sources = files.map((file) => ({
    name: file.name,
    size: file.size,
    stream: () => sliceStream(file),
  }));
  const table = lastImport.table;
  const parse = await timeIt(
    reps,
    async () => (await importLabelStreams(sources, {}))?.table.count,
    warm,
  );
  const pages = await timeIt(reps, () => tableToPages('x', table), warm);
  const validate = await timeIt(
    reps,
    () => {
      for (const page of pages.value)
        if (!SamplePageSchema.safeParse(page).success) throw new Error('bad page');
    },
    warm,
  );
  const strip = (t: Timing): Timing => ({ median: t.median, runs: t.runs });
  return {
    "importLabelStreams alone (the worker's read, parse, join and report), on the page":
      strip(parse),
    'tableToPages (slice and join 10k-sample pages)': strip(pages),
    'zod SamplePageSchema over every page (before the transaction)': strip(validate),
  };
}

// ---------------------------------------------------------------------------
// Filters and counts on the loaded table

let loaded: {
  id: string;
  meta: DatasetMeta;
  table: SampleTable;
  ruleSet: RuleSet;
  check: CheckColumns;
  issues: LabelIssueColumns;
} | null = null;

async function load(id: string, reps: number, warm: boolean): Promise<Record<string, Timing>> {
  loaded = null;
  const meta = await getDataset(id);
  if (!meta) throw new Error(`no dataset ${id}`);
  const open = await timeIt(reps, () => loadSampleTable(id), warm);
  const table = open.value;
  const ruleSet = builtinRuleSetFor(meta.scheme.id);
  if (!ruleSet) throw new Error(`no built-in rule set for ${meta.scheme.id}`);
  // A rule set is compiled once and cached per object: a rule edit makes a new object.
  const check = await timeIt(reps, () => checkTable(table, { ...ruleSet }), warm);
  const issues = await timeIt(reps, () => scoreLabelIssues(table, ruleSet), warm);
  loaded = { id, meta, table, ruleSet, check: check.value, issues: issues.value };
  return {
    'open: loadSampleTable (IndexedDB pages to columns)': { median: open.median, runs: open.runs },
    'recount after a rule edit: checkTable': { median: check.median, runs: check.runs },
    'recount after a rule edit: scoreLabelIssues': { median: issues.median, runs: issues.runs },
  };
}

interface FilterCase {
  name: string;
  kind: 'filter' | 'count';
  filter?: Omit<SampleFilterInput, 'version'>;
  query?: Partial<SampleQuery>;
}

const FILTER_CASES: FilterCase[] = [
  { name: 'all samples, dataset order', kind: 'filter', filter: {} },
  { name: 'verdict fails', kind: 'filter', filter: { verdicts: ['fails'] } },
  { name: 'class 3 in split 0', kind: 'filter', filter: { classIds: [3], splits: [0] } },
  { name: 'AU12 present, AU4 absent', kind: 'filter', filter: { auPresent: [12], auAbsent: [4] } },
  { name: 'AU label null', kind: 'filter', filter: { nullOnly: true } },
  {
    name: 'flagged by label-issue score, lowest posterior first',
    kind: 'filter',
    filter: { flaggedOnly: true, sort: 'posterior-asc' },
  },
  {
    name: 'suspect or fails, lowest score first',
    kind: 'filter',
    filter: { verdicts: ['suspect', 'fails'], sort: 'score-asc' },
  },
  { name: 'every sample, lowest score first', kind: 'filter', filter: { sort: 'score-asc' } },
  {
    name: "image name contains '4242'",
    kind: 'filter',
    filter: {},
    query: { nameContains: '4242' },
  },
  { name: 'overview: every count of the Overview page', kind: 'count' },
];

async function filters(
  reps: number,
  warm: boolean,
): Promise<{ name: string; kind: string; matched: number; median: number; runs: number[] }[]> {
  if (!loaded) throw new Error('filters need a loaded dataset');
  const { table, check, issues, meta, ruleSet } = loaded;
  const rows = [];
  for (const c of FILTER_CASES) {
    let run: () => number;
    if (c.kind === 'count') {
      run = () =>
        buildOverview(table, meta.scheme, meta.splitNames, ruleSet, check, issues).samples;
    } else {
      // The UI holds parsed filters; parsing is not part of the timed refresh.
      const filter = SampleFilterSchema.parse({ ...ALL_SAMPLES_FILTER, ...c.filter });
      const query: SampleQuery = { ...ANY_SAMPLE, ...c.query };
      // As SampleBrowser.indices computes the grid's samples.
      run = () => refineSamples(table, applyFilter(table, check, issues, filter), query).length;
    }
    const t = await timeIt(reps, run, warm);
    rows.push({ name: c.name, kind: c.kind, matched: t.value, median: t.median, runs: t.runs });
    log(`${c.name}: ${t.median.toFixed(1)} ms`);
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Export: buildExportZip (and the app's export worker, when there is one) against
// writing the same files' bytes into a zip

/** Decisions on 1% of the samples: 60% accept, 20% correct, 10% flag, 10% discard. */
function makeDecisions(table: SampleTable, datasetId: string): Decision[] {
  const decisions: Decision[] = [];
  const step = 100;
  for (let i = 7, k = 0; i < table.count; i += step, k++) {
    const base = {
      version: 1 as const,
      id: `bench-${k}`,
      datasetId,
      sample: i,
      sampleName: textAt(table.names, i),
      reviewer: 'Bench',
      at: Date.UTC(2025, 0, 1) + k * 1000,
    };
    const r = k % 10;
    if (r < 6) decisions.push({ ...base, kind: 'accept' });
    else if (r === 6) decisions.push({ ...base, kind: 'correct', correction: { classId: k % 14 } });
    else if (r === 7)
      decisions.push({
        ...base,
        kind: 'correct',
        correction: { au: { status: 'coded', raw: '4+7+23' } },
      });
    else if (r === 8) decisions.push({ ...base, kind: 'flag', flagReason: 'au-wrong' });
    else decisions.push({ ...base, kind: 'discard' });
  }
  return decisions;
}

const ZIP_MTIME = () => new Date(1980, 0, 1, 12, 0, 0);

function zipBlob(files: readonly { path: string; bytes: Uint8Array }[], level: 0 | 6): Blob {
  const entries: Zippable = {};
  for (const file of files) entries[file.path] = file.bytes;
  const zip = zipSync(entries, { level, mtime: ZIP_MTIME() });
  return new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}

type ExportWorkerClient = {
  buildExportZipInWorker: (
    request: Omit<ExportInput, 'final' | 'selection' | 'table'> & {
      datasetId: string;
      decisions: Decision[];
    },
  ) => Promise<Uint8Array>;
};
// Optional: the export worker is new in the app; the harness builds with or without it.
const exportClients = import.meta.glob<ExportWorkerClient>('../src/lib/workers/export-client.ts');

async function exportBench(
  reps: number,
  warm: boolean,
): Promise<Record<string, Timing & { bytes?: number }>> {
  if (!loaded) throw new Error('export needs a loaded dataset');
  const { table, meta, check, id } = loaded;
  const decisions = makeDecisions(table, id);
  const final = await timeIt(reps, () => resolveFinalLabels(table, decisions), warm);
  // What one review key press recomputes: the final labels with a few decisions.
  const few = decisions.slice(0, 50);
  const finalFew = await timeIt(reps, () => resolveFinalLabels(table, few), warm);
  const input: ExportInput = {
    dataset: meta.name,
    format: meta.format,
    scheme: meta.scheme,
    splitNames: meta.splitNames,
    table,
    sourceFiles: meta.sourceFiles,
    csv: meta.csv ?? null,
    final: final.value as FinalLabels,
    checkScore: check.score,
    policy: defaultExportPolicy(),
  };
  const asBlob = (zip: Uint8Array) =>
    new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  const app = await timeIt(reps, () => asBlob(buildExportZip(input)), warm);
  const files = await timeIt(reps, () => buildExportFiles(input).files, warm);
  const rawBytes = files.value.reduce((sum, f) => sum + f.bytes.length, 0);
  const floor = await timeIt(reps, () => zipBlob(files.value, 6), warm);
  const stored = await timeIt(reps, () => zipBlob(files.value, 0), warm);
  const out: Record<string, Timing & { bytes?: number }> = {
    [EXPORT_KEYS.app]: { median: app.median, runs: app.runs, bytes: app.value.size },
    [EXPORT_KEYS.floor]: { median: floor.median, runs: floor.runs, bytes: floor.value.size },
    [EXPORT_KEYS.stored]: { median: stored.median, runs: stored.runs, bytes: stored.value.size },
    [EXPORT_KEYS.files]: { median: files.median, runs: files.runs, bytes: rawBytes },
    [EXPORT_KEYS.final]: { median: final.median, runs: final.runs },
    [EXPORT_KEYS.finalFew]: { median: finalFew.median, runs: finalFew.runs },
  };
  const loadClient = exportClients['../src/lib/workers/export-client.ts'];
  if (loadClient) {
    const client = await loadClient();
    // The worker reads the table from IndexedDB: the page sends the dataset's id.
    const { final: _final, table: _table, ...rest } = input;
    const request = { ...rest, datasetId: id, decisions };
    const clone = await timeIt(reps, () => structuredClone(request).decisions.length, warm);
    out[EXPORT_KEYS.clone] = { median: clone.median, runs: clone.runs };
    // The client starts a new worker per export: every run is a cold start, as for a user.
    const worker = await timeIt(
      reps,
      async () => asBlob(await client.buildExportZipInWorker(request)),
      warm,
    );
    out[EXPORT_KEYS.worker] = {
      median: worker.median,
      runs: worker.runs,
      bytes: worker.value.size,
    };
  }
  return out;
}

const EXPORT_KEYS = {
  app: 'app: buildExportZip + Blob (main thread)',
  worker: 'app: export worker (buildExportZipInWorker) + Blob',
  floor: 'floor: zipSync level 6 of the same files + Blob',
  stored: 'reference: zipSync level 0 (stored) of the same files + Blob',
  files: 'of the app: buildExportFiles (writing the file contents)',
  final: 'resolveFinalLabels (1% decided)',
  finalFew: 'resolveFinalLabels (50 decisions, as during a review)',
  clone: 'structuredClone of the export request (the copy to the worker, without the table)',
} as const;

// ---------------------------------------------------------------------------
// Review set for the key-press measure, heap

async function setupReview(size: number): Promise<{ setId: string; datasetId: string }> {
  if (!loaded) throw new Error('setupReview needs a loaded dataset');
  const { table, id } = loaded;
  const all = Int32Array.from({ length: table.count }, (_, i) => i);
  const samples = randomStratifiedSample(table, all, size, 1);
  const set = newReviewSet(
    {
      id: crypto.randomUUID(),
      datasetId: id,
      name: `Bench ${size} of ${table.count}`,
      createdAt: Date.now(),
      kind: 'random',
      seed: 1,
      stratified: true,
    },
    samples,
  );
  await saveReviewSet(set);
  await putSetting('reviewer', 'Bench');
  localStorage.setItem('au-review:last-open-dataset', id);
  return { setId: set.id, datasetId: id };
}

function heap(): number {
  gc();
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory?.usedJSHeapSize ?? NaN;
}

async function remove(id: string): Promise<void> {
  await deleteDataset(id);
}

const api = {
  importApp,
  importFloor,
  importBreakdown,
  clearFloor,
  load,
  filters,
  exportBench,
  setupReview,
  heap,
  remove,
  release: () => {
    loaded = null;
    lastImport = null;
  },
  hasGc: () => typeof (globalThis as { gc?: unknown }).gc === 'function',
};

export type BenchApi = typeof api;
(window as unknown as { bench: BenchApi }).bench = api;
document.body.dataset.ready = 'true';
log('harness ready');

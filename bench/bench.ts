/// <reference types="vite/client" />
/**
 * The benchmark harness page. scripts/bench.mjs serves it beside the built app (same
 * origin, so the app's own store writes into the app's IndexedDB) and calls the
 * functions on `window.bench` one at a time. Every measure runs the app's own modules;
 * each floor runs the least work that produces the same output, without app logic.
 */
import { zipSync, type Zippable } from 'fflate';
import { ImportSession } from '../src/lib/state/importer.svelte';
import { importLabelStreams } from '../src/lib/formats/import';
import { sliceStream } from '../src/lib/workers/slice-stream';
import { AuStatus, type LabelScheme, type SampleTable } from '../src/lib/labels/types';
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
  type SampleFilter,
  type SampleFilterInput,
} from '../src/lib/rules/filter';
import { buildOverview } from '../src/lib/rules/overview';
import type { RuleSet } from '../src/lib/rules/schema';
import { ANY_SAMPLE, refineSamples, type SampleQuery } from '../src/lib/query/sample-query';
import { resolveFinalLabels } from '../src/lib/review/decisions';
import type { Decision, FinalLabels } from '../src/lib/review/decision';
import { newReviewSet, randomStratifiedSample } from '../src/lib/review/review-set';
import { buildExportFiles, buildExportZip, type ExportInput } from '../src/lib/export/bundle';
import { defaultExportPolicy } from '../src/lib/export/policy';
import type { FloorRequest, FloorResponse } from './floor.worker';
import type { EvidenceFloorRequest, EvidenceFloorResponse } from './evidence-floor.worker';
import type { EvidencePiecesRequest, EvidencePiecesResponse } from './evidence-pieces.worker';
import { textAt } from '../src/lib/labels/text-column';
import { analyseInWorker } from '../src/lib/workers/analysis-client';
import type { AnalysisColumns } from '../src/lib/workers/analysis-protocol';
import { assessLabels, type LabelEvidence } from '../src/lib/label-evidence/assess';
import { evidenceColumns } from '../src/lib/label-evidence/au-design';
import { oneSidedMasks } from '../src/lib/labels/au';
import { oneSidedInSlices } from '../src/lib/state/one-sided';
import { injectSwaps, rankingQuality } from '../src/lib/label-evidence/swaps';
import { crowdAgreement, crowdOpinions } from '../src/lib/label-evidence/crowd-source';
import {
  CROWD_DISTRIBUTION_VERSION,
  CROWD_EMOTIONS,
  CROWD_EMOTION_COUNT,
  type CrowdDistribution,
} from '../src/lib/label-evidence/crowd-file';
import { importLabelFiles } from '../src/lib/formats/import';
import { RAFCE_SCHEME } from '../src/lib/labels/schemes';
import { RAFCE_RULE_SET } from '../src/lib/rules/builtin';
import { seededRandom } from '../src/lib/random/seeded-random';
import { PredictionsWorker, type ModelFigures } from '../src/lib/workers/predictions-client';
import { deletePredictionRun } from '../src/lib/store/predictions';
import type { PredictionsFloorRequest, PredictionsFloorResponse } from './predictions-floor.worker';
import type { VideoFloorRequest, VideoFloorResponse } from './video-floor.worker';
import { groupFrames } from '../src/lib/labels/groups';
import { formatOf } from '../src/lib/formats/registry';
import { defaultRuleSet } from '../src/lib/state/library.svelte';
import { FaceState } from '../src/lib/state/faces.svelte';
import { appFaceModelLocation, startFaceReaders } from '../src/lib/workers/faces-client';
import { getImage, saveImportedDataset } from '../src/lib/store/datasets';
import { deleteFaceReadings, listFaceReadings } from '../src/lib/store/face-readings';
import { imageKey, imageLookupKeys } from '../src/lib/labels/images';
import type { FacesFloorRequest, FacesFloorResponse } from './faces-floor.worker';
import { teamPrepare, teamResult, teamStop, teamWatch } from './team-live';
import alignedFaceUrl from '../tests/fixtures/faces/astronaut-aligned.jpg?url';
import flippedFaceUrl from '../tests/fixtures/faces/astronaut-flipped.jpg?url';
import rotatedFaceUrl from '../tests/fixtures/faces/astronaut-rotated.jpg?url';
import darkFaceUrl from '../tests/fixtures/faces/astronaut-dark.jpg?url';

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
  if (columns.count !== expected || columns.nameMismatches !== 0)
    throw new Error(
      `floor read ${columns.count} samples (${columns.nameMismatches} names differing), the app ${expected}`,
    );
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
  /** The label evidence from the analysis worker (evidenceSpeed); null until it has run. */
  issues: LabelEvidence | null;
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
  loaded = { id, meta, table, ruleSet, check: check.value, issues: null };
  return {
    'open: loadSampleTable (IndexedDB pages to columns)': { median: open.median, runs: open.runs },
    'recount after a rule edit: checkTable': { median: check.median, runs: check.runs },
  };
}

// ---------------------------------------------------------------------------
// Label evidence (issue 13): the analysis worker's run against the floor of any
// out-of-fold fit, and the main thread meanwhile

/** The columns the analysis gets, copied as the library copies them before posting. */
/** The one-sided AUs of each table, computed once and in slices, as the library does (it keeps them per open table). */
const oneSidedOfTable = new WeakMap<SampleTable, Promise<Uint32Array>>();

async function analysisColumns(table: SampleTable): Promise<AnalysisColumns> {
  let pending = oneSidedOfTable.get(table);
  if (!pending) {
    pending = oneSidedInSlices(table);
    oneSidedOfTable.set(table, pending);
  }
  const oneSided = await pending;
  return {
    count: table.count,
    classIds: table.classIds.slice(),
    splits: table.splits.slice(),
    auStatus: table.auStatus.slice(),
    auMask: table.auMask.slice(),
    flags: table.flags.slice(),
    auOneSided: oneSided.slice(),
  };
}

export interface EvidenceRun {
  /** From posting the request (columns copied first, as the library does) to the 'evidence' answer. */
  total: number;
  /** From posting to the 'check' answer (check and first overview). */
  check: number;
  /** Main-thread tasks over 50 ms during the run (Long Tasks API). */
  longestTask: number;
  longTasks: number;
}

/** One analysis as the library runs it when a dataset opens: check, overview, evidence. */
async function analyseOnce(): Promise<{ run: EvidenceRun; evidence: LabelEvidence }> {
  if (!loaded) throw new Error('the evidence needs a loaded dataset');
  const { table, meta, ruleSet } = loaded;
  gc();
  await settle();
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  try {
    const t0 = now();
    let tCheck = NaN;
    const answer = await analyseInWorker(
      {
        columns: await analysisColumns(table),
        ruleSet: structuredClone(ruleSet),
        scheme: meta.scheme,
        splitNames: meta.splitNames,
        crowd: null,
        faces: null,
        datasetId: null,
      },
      () => (tCheck = now()),
    );
    const t1 = now();
    if (!answer.ok) throw new Error(`the analysis worker failed: ${answer.error}`);
    await settle();
    for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
    return {
      run: {
        total: t1 - t0,
        check: tCheck - t0,
        longestTask: Math.max(0, ...longTasks),
        longTasks: longTasks.length,
      },
      evidence: answer.evidence,
    };
  } finally {
    observer.disconnect();
  }
}

let evidenceFloorWorker: Worker | null = null;

function evidenceFloor(request: EvidenceFloorRequest): Promise<EvidenceFloorResponse> {
  evidenceFloorWorker ??= new Worker(new URL('./evidence-floor.worker.ts', import.meta.url), {
    type: 'module',
  });
  const worker = evidenceFloorWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<EvidenceFloorResponse>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request);
  });
}

function evidencePieces(request: EvidencePiecesRequest): Promise<EvidencePiecesResponse> {
  // A worker of its own, ended after: it holds the fits of the largest dataset.
  const worker = new Worker(new URL('./evidence-pieces.worker.ts', import.meta.url), {
    type: 'module',
  });
  return new Promise<EvidencePiecesResponse>((resolve, reject) => {
    worker.onmessage = (
      event: MessageEvent<({ ok: true } & EvidencePiecesResponse) | { ok: false; error: string }>,
    ) => {
      const answer = event.data;
      if (answer.ok) resolve(answer);
      else reject(new Error(`evidence pieces: ${answer.error}`));
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

/**
 * The analysis worker's evidence at this size: the first run (a cold worker, as when the
 * user opens a dataset), then `reps` warm runs; the floor `reps` times after a warm-up;
 * and the pieces once. Keeps the last evidence for the filters.
 */
async function evidenceSpeed(
  reps: number,
  pieces: boolean,
  warmPieces: boolean,
): Promise<{
  cold: EvidenceRun;
  warm: EvidenceRun[];
  floor: { total: number; compute: number }[];
  floorPatterns: number;
  floorCounted: number;
  scored: number;
  likelyMislabelled: number;
  auAccuracy: number;
  calibration: LabelEvidence['calibration'];
  pieces: EvidencePiecesResponse | null;
}> {
  if (!loaded) throw new Error('the evidence needs a loaded dataset');
  const cold = await analyseOnce();
  log(`evidence (cold worker): ${cold.run.total.toFixed(0)} ms`);
  const warm: EvidenceRun[] = [];
  let evidence = cold.evidence;
  for (let r = 0; r < reps; r++) {
    const next = await analyseOnce();
    warm.push(next.run);
    evidence = next.evidence;
    log(`evidence (warm worker): ${next.run.total.toFixed(0)} ms`);
  }
  loaded.issues = evidence;

  const { table, meta } = loaded;
  const floorRequest = (): EvidenceFloorRequest => ({
    count: table.count,
    classIds: table.classIds.slice(),
    auStatus: table.auStatus.slice(),
    auMask: table.auMask.slice(),
    schemeClassIds: meta.scheme.classes.map((c) => c.id),
    folds: 5,
  });
  // The floor's worker is started and warmed beforehand: the floor is the least work, not a cold start.
  await evidenceFloor(floorRequest());
  const floor: { total: number; compute: number }[] = [];
  let last: EvidenceFloorResponse | null = null;
  for (let r = 0; r < Math.max(1, reps); r++) {
    gc();
    await settle();
    const t0 = now();
    // Copied on the clock, as the app copies its columns on the clock.
    last = await evidenceFloor(floorRequest());
    floor.push({ total: now() - t0, compute: last.computeMs });
  }

  let piecesResult: EvidencePiecesResponse | null = null;
  if (pieces) {
    gc();
    await settle();
    piecesResult = await evidencePieces({
      count: table.count,
      classIds: table.classIds.slice(),
      auStatus: table.auStatus.slice(),
      auMask: table.auMask.slice(),
      auOneSided: oneSidedMasks(table.auRaw, table.auStatus),
      splits: table.splits.slice(),
      flags: table.flags.slice(),
      splitNames: meta.splitNames,
      scheme: meta.scheme,
      ruleSet: structuredClone(loaded.ruleSet),
      warm: warmPieces,
    });
  }
  return {
    cold: cold.run,
    warm,
    floor,
    floorPatterns: last?.patterns ?? NaN,
    floorCounted: last?.counted ?? NaN,
    scored: evidence.scored,
    likelyMislabelled: evidence.likelyMislabelled,
    auAccuracy: evidence.auModel?.accuracy ?? NaN,
    calibration: evidence.calibration,
    pieces: piecesResult,
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
  { name: 'verdict breaks-facs', kind: 'filter', filter: { verdicts: ['breaks-facs'] } },
  { name: 'class 3 in split 0', kind: 'filter', filter: { classIds: [3], splits: [0] } },
  { name: 'AU12 present, AU4 absent', kind: 'filter', filter: { auPresent: [12], auAbsent: [4] } },
  { name: 'AU label null', kind: 'filter', filter: { nullOnly: true } },
  {
    name: 'likely mislabelled (label evidence), most suspicious first',
    kind: 'filter',
    filter: { flaggedOnly: true, sort: 'suspicion' },
  },
  {
    name: 'atypical, lowest score first',
    kind: 'filter',
    filter: { verdicts: ['atypical'], sort: 'score-asc' },
  },
  { name: 'every sample, lowest score first', kind: 'filter', filter: { sort: 'score-asc' } },
  { name: 'every sample, most suspicious first', kind: 'filter', filter: { sort: 'suspicion' } },
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
  if (!issues) throw new Error('filters need the label evidence (evidenceSpeed first)');
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
  const level6 = await timeIt(reps, () => zipBlob(files.value, 6), warm);
  const stored = await timeIt(reps, () => zipBlob(files.value, 0), warm);
  const out: Record<string, Timing & { bytes?: number }> = {
    [EXPORT_KEYS.app]: { median: app.median, runs: app.runs, bytes: app.value.size },
    [EXPORT_KEYS.level6]: { median: level6.median, runs: level6.runs, bytes: level6.value.size },
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
    // Two cores, pieces compressed while the matrix is written: still the same zip.
    const fromWorker = new Uint8Array(await worker.value.arrayBuffer());
    const fromPage = new Uint8Array(await app.value.arrayBuffer());
    if (
      fromWorker.length !== fromPage.length ||
      fromWorker.some((byte, at) => byte !== fromPage[at])
    )
      throw new Error('the export worker wrote another zip than buildExportZip');
  }
  return out;
}

const EXPORT_KEYS = {
  app: 'app: buildExportZip + Blob (main thread)',
  worker: 'app: export worker (buildExportZipInWorker) + Blob',
  level6: 'reference: zipSync level 6 of the same files + Blob',
  stored: 'reference: zipSync level 0 (stored) of the same files + Blob',
  files: 'of the app: buildExportFiles (writing the file contents)',
  final: 'resolveFinalLabels (1% decided)',
  finalFew: 'resolveFinalLabels (50 decisions, as during a review)',
  clone: 'structuredClone of the export request (the copy to the worker, without the table)',
} as const;

// ---------------------------------------------------------------------------
// Label evidence on the real RAF-CE files (issue 13): known swaps, ranked

export interface QualityMeasures {
  /** AUROC of evidence.suspicion for the swapped samples among the coded samples. */
  auroc: number;
  /** Share of swapped samples among the 20 most suspicious coded samples. */
  top20: number;
  /** Share of the coded samples in the likely-mislabelled set (flagged === 1). */
  setShare: number;
  /** Share of the swapped samples inside that set. */
  swapsInSet: number;
  flagged: number;
  ms: number;
  auAccuracy: number;
  weights: Record<string, number>;
  cut: number;
  capped: boolean;
}

export interface QualitySeed {
  seed: number;
  coded: number;
  swapped: number;
  plain: QualityMeasures;
  crowd: QualityMeasures & {
    /** Swapped samples whose crowd does not lead with the swapped-to class's components. */
    disagreeing: number;
    /** Share of the first `disagreeing` coded samples in the app's worst-first order that are such samples. */
    disagreeingFirst: number;
  };
}

/**
 * Synthetic crowd votes (RAF-ML's real distribution.txt is not among the fixtures): per
 * sample with a class, its ORIGINAL class's two components get 0.4 and 0.3 (which gets
 * which drawn per sample), the four other emotions 0.075 each, then every share gets
 * uniform noise in [0, 0.04) and the row is renormalised. Seeded.
 */
function syntheticCrowd(table: SampleTable, scheme: LabelScheme): CrowdDistribution {
  const n = table.count;
  const classById = new Map(scheme.classes.map((c) => [c.id, c]));
  const shares = new Float32Array(n * CROWD_EMOTION_COUNT).fill(NaN);
  const has = new Uint8Array(n);
  const random = seededRandom(13);
  const row = new Float64Array(CROWD_EMOTION_COUNT);
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const labelClass = classById.get(table.classIds[i] as number);
    if (!labelClass) continue;
    const at = labelClass.components.map((c) => (CROWD_EMOTIONS as readonly string[]).indexOf(c));
    if (at.length !== 2 || at.some((e) => e < 0)) continue;
    row.fill(0.3 / (CROWD_EMOTION_COUNT - 2));
    const first = random() < 0.5 ? 0 : 1;
    row[at[first] as number] = 0.4;
    row[at[1 - first] as number] = 0.3;
    let total = 0;
    for (let e = 0; e < CROWD_EMOTION_COUNT; e++) {
      row[e] = (row[e] as number) + random() * 0.04;
      total += row[e] as number;
    }
    for (let e = 0; e < CROWD_EMOTION_COUNT; e++)
      shares[i * CROWD_EMOTION_COUNT + e] = (row[e] as number) / total;
    has[i] = 1;
    matched++;
  }
  return {
    version: CROWD_DISTRIBUTION_VERSION,
    fileName: 'synthetic-crowd.txt',
    emotions: CROWD_EMOTIONS,
    shares,
    has,
    matched,
  };
}

function measureEvidence(
  evidence: LabelEvidence,
  ms: number,
  coded: Int32Array,
  isSwapped: Uint8Array,
  swapped: number,
): QualityMeasures {
  const quality = rankingQuality(evidence.suspicion, isSwapped, coded, 20);
  let flagged = 0;
  let hits = 0;
  for (const i of coded) {
    if (evidence.flagged[i] !== 1) continue;
    flagged++;
    if (isSwapped[i]) hits++;
  }
  const weights: Record<string, number> = {};
  for (const source of evidence.sources) weights[source.kind] = source.weight;
  return {
    auroc: quality.auroc,
    top20: quality.topPrecision,
    setShare: flagged / coded.length,
    swapsInSet: swapped > 0 ? hits / swapped : NaN,
    flagged,
    ms,
    auAccuracy: evidence.auModel?.accuracy ?? NaN,
    weights,
    cut: evidence.calibration?.cut ?? NaN,
    capped: evidence.calibration?.capped ?? false,
  };
}

/**
 * The protocol of issue 13 on the files given to #label-files (the real RAF-CE files):
 * import them with the app's importer; per seed, swap 5% of the AU-coded samples'
 * classes to another class at random, weigh the evidence on the swapped labels, and see
 * how it ranks the swaps; then again with synthetic crowd votes made from the original
 * classes.
 */
async function labelQuality(seeds: number[]): Promise<{
  samples: number;
  coded: number;
  format: string;
  problems: number;
  crowdMatched: number;
  seeds: QualitySeed[];
}> {
  const files = labelFiles();
  const inputs = await Promise.all(
    files.map(async (file) => ({
      name: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  const imported = importLabelFiles(inputs);
  if (imported.format !== 'raf-ce' || imported.scheme.id !== RAFCE_SCHEME.id)
    throw new Error(`the fixtures read as ${imported.format} / ${imported.scheme.id}, not RAF-CE`);
  const table = imported.table;
  const scheme = RAFCE_SCHEME;
  const k = scheme.classes.length;
  const columnOf = new Map(scheme.classes.map((c, column) => [c.id, column]));
  // Classes of the AU-coded samples (column = id for RAF-CE); -1 for the others.
  const labels = new Int16Array(table.count).fill(-1);
  const codedList: number[] = [];
  for (let i = 0; i < table.count; i++) {
    const column = columnOf.get(table.classIds[i] as number);
    if (table.auStatus[i] !== AuStatus.coded || column === undefined) continue;
    labels[i] = column;
    codedList.push(i);
  }
  const coded = Int32Array.from(codedList);
  const crowd = syntheticCrowd(table, scheme);
  const rows: QualitySeed[] = [];
  for (const seed of seeds) {
    const injected = injectSwaps(labels, k, 0.05, seed);
    const classIds = table.classIds.slice();
    for (const i of injected.swapped)
      classIds[i] = (scheme.classes[injected.labels[i] as number] as { id: number }).id;
    const columns = { ...evidenceColumns(table), classIds };
    const swapped = injected.swapped.length;

    let t0 = now();
    const plain = assessLabels({ columns, scheme, ruleSet: RAFCE_RULE_SET });
    const plainMs = now() - t0;

    t0 = now();
    const withCrowd = assessLabels({
      columns,
      scheme,
      ruleSet: RAFCE_RULE_SET,
      extraSources: [crowdOpinions(crowd, scheme, classIds)],
    });
    const crowdMs = now() - t0;

    // The swaps the crowd disagrees with: it does not lead with the swapped-to class's components.
    const disagrees = new Uint8Array(table.count);
    let disagreeing = 0;
    for (const i of injected.swapped) {
      if (crowd.has[i] !== 1) continue;
      const labelClass = scheme.classes[injected.labels[i] as number];
      if (!labelClass) continue;
      const shares = crowd.shares.subarray(i * CROWD_EMOTION_COUNT, (i + 1) * CROWD_EMOTION_COUNT);
      if (crowdAgreement(shares, labelClass.components).leads === 'no') {
        disagrees[i] = 1;
        disagreeing++;
      }
    }
    // The app's worst-first order (evidence.rank), coded samples only.
    const order = coded
      .filter((i) => !Number.isNaN(withCrowd.rank[i] as number))
      .sort((a, b) => (withCrowd.rank[a] as number) - (withCrowd.rank[b] as number));
    let first = 0;
    for (let r = 0; r < Math.min(disagreeing, order.length); r++)
      if (disagrees[order[r] as number]) first++;

    rows.push({
      seed,
      coded: coded.length,
      swapped,
      plain: measureEvidence(plain, plainMs, coded, injected.isSwapped, swapped),
      crowd: {
        ...measureEvidence(withCrowd, crowdMs, coded, injected.isSwapped, swapped),
        disagreeing,
        disagreeingFirst: disagreeing > 0 ? first / disagreeing : NaN,
      },
    });
    const last = rows[rows.length - 1] as QualitySeed;
    log(
      `quality seed ${seed}: AUROC ${last.plain.auroc.toFixed(3)}, top-20 ${last.plain.top20.toFixed(2)}, set ${(100 * last.plain.setShare).toFixed(1)}% holding ${(100 * last.plain.swapsInSet).toFixed(1)}% of swaps; with crowd AUROC ${last.crowd.auroc.toFixed(3)}, disagreeing first ${last.crowd.disagreeingFirst.toFixed(3)}`,
    );
  }
  return {
    samples: table.count,
    coded: coded.length,
    format: imported.format,
    problems: imported.problems.length,
    crowdMatched: crowd.matched,
    seeds: rows,
  };
}

// ---------------------------------------------------------------------------
// Predictions (issue 15): two runs read, stored and scored by the app's predictions
// worker against reading and scoring the same files with the least work

/** The AU columns of the generated prediction files (12 AUs, as a multi-task head has). */
const PREDICTION_AUS = [1, 2, 4, 5, 6, 7, 10, 12, 15, 17, 20, 25] as const;

/** Writes text one byte a character (the bench's image names are ASCII). */
class AsciiWriter {
  bytes: Uint8Array<ArrayBuffer>;
  at = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  text(value: string): void {
    for (let i = 0; i < value.length; i++) this.bytes[this.at++] = value.charCodeAt(i);
  }
  byte(value: number): void {
    this.bytes[this.at++] = value;
  }
  /** q / 10000 with four decimals (0 <= q <= 10000). */
  fixed4(q: number): void {
    const b = this.bytes;
    b[this.at++] = q >= 10000 ? 49 : 48;
    b[this.at++] = 46;
    const r = q >= 10000 ? 0 : q;
    b[this.at++] = 48 + Math.floor(r / 1000);
    b[this.at++] = 48 + (Math.floor(r / 100) % 10);
    b[this.at++] = 48 + (Math.floor(r / 10) % 10);
    b[this.at++] = 48 + (r % 10);
  }
}

/**
 * A run's predictions CSV for every sample, in the dataset's order: `image`, `p_<id>`
 * per class, `AU<n>` per AU. The predicted class is the label for a share `accuracy`
 * of labelled samples, another class at random otherwise; class probabilities are a
 * softmax in which it scores highest, written with 4 decimals that sum to exactly 1.
 * AU probabilities sit on the label's side of 0.5 for a share `auRecall` of present
 * AUs and most absent ones. Seeded. Also returns the predicted scheme position per sample.
 */
function predictionCsv(
  table: SampleTable,
  scheme: LabelScheme,
  options: { name: string; seed: number; accuracy: number; auRecall: number },
): { file: File; predicted: Int16Array } {
  const random = seededRandom(options.seed);
  const classIds = scheme.classes.map((c) => c.id);
  const k = classIds.length;
  const positionOf = new Map(classIds.map((id, c) => [id, c]));
  const header = [
    'image',
    ...classIds.map((id) => `p_${id}`),
    ...PREDICTION_AUS.map((au) => `AU${au}`),
  ].join(',');
  let nameChars = 0;
  for (let i = 0; i < table.count; i++) nameChars += textAt(table.names, i).length;
  const rowBytes = 1 + 7 * (k + PREDICTION_AUS.length) + 1;
  const out = new AsciiWriter(header.length + 1 + nameChars + table.count * rowBytes);
  out.text(header);
  out.byte(10);
  const predicted = new Int16Array(table.count);
  const exp = new Float64Array(k);
  const q = new Int32Array(k);
  for (let i = 0; i < table.count; i++) {
    const label = positionOf.get(table.classIds[i] as number) ?? -1;
    let guess: number;
    if (label >= 0 && random() < options.accuracy) guess = label;
    else {
      guess = Math.floor(random() * (k - 1));
      if (label >= 0 && guess >= label) guess++;
      else if (label < 0) guess = Math.floor(random() * k);
    }
    predicted[i] = guess;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      exp[c] = Math.exp(c === guess ? 2 + 2 * random() : 2 * random() - 1);
      sum += exp[c] as number;
    }
    let total = 0;
    for (let c = 0; c < k; c++) {
      q[c] = Math.round((10000 * (exp[c] as number)) / sum);
      total += q[c] as number;
    }
    // The predicted class takes the rounding, so that the row sums to exactly 1.0000.
    q[guess] = (q[guess] as number) + 10000 - total;
    out.text(textAt(table.names, i));
    for (let c = 0; c < k; c++) {
      out.byte(44);
      out.fixed4(q[c] as number);
    }
    const coded = table.auStatus[i] === AuStatus.coded;
    for (const au of PREDICTION_AUS) {
      let p: number;
      if (!coded) p = 0.3 * random();
      else {
        const word = table.auMask[au <= 32 ? 2 * i : 2 * i + 1] as number;
        const present = ((word >>> (au <= 32 ? au - 1 : au - 33)) & 1) === 1;
        const right = random() >= (present ? 1 - options.auRecall : (1 - options.auRecall) / 10);
        p = present === right ? 0.5 + 0.5 * random() : 0.5 * random() ** 2;
      }
      out.byte(44);
      out.fixed4(Math.min(9999, Math.floor(p * 10000)));
    }
    out.byte(10);
  }
  const bytes = out.bytes.subarray(0, out.at);
  return { file: new File([bytes], options.name, { type: 'text/csv' }), predicted };
}

let predictionsFloorWorker: Worker | null = null;

function predictionsFloor(request: PredictionsFloorRequest): Promise<PredictionsFloorResponse> {
  predictionsFloorWorker ??= new Worker(new URL('./predictions-floor.worker.ts', import.meta.url), {
    type: 'module',
  });
  const worker = predictionsFloorWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<PredictionsFloorResponse>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request);
  });
}

export interface PredictionsAppRun {
  /** From the first read to the figures (the sum of the steps, run one after the other). */
  total: number;
  readA: number;
  storeA: number;
  readB: number;
  storeB: number;
  /** The figures request: both runs' emotion metrics, A against B, both runs' AU metrics. */
  score: number;
  /** Before the clock: a new worker started and the dataset's table loaded in it. */
  tableLoad: number;
  longestTask: number;
  longTasks: number;
}

export interface PredictionsFloorRun {
  /** From posting to the answer. */
  total: number;
  read: number;
  parse: number;
  score: number;
}

/**
 * Two prediction runs of every sample, as the Models screen imports and compares them:
 * per repetition a new PredictionsWorker whose table is loaded before the clock (the
 * screen's worker holds it from the first question on), then read and store run A,
 * read and store run B, and the figures of A against B (every split, threshold 0.5),
 * with the main thread's long tasks watched throughout. The floor reads and scores the
 * same two files (bench/predictions-floor.worker.ts). Runs stored are deleted after.
 */
async function predictionsBench(
  datasetId: string,
  reps: number,
  warm: boolean,
): Promise<{
  samples: number;
  bytes: number[];
  app: PredictionsAppRun[];
  floor: PredictionsFloorRun[];
  accuracy: number[];
  comparisonN: number;
  macroF1: number[];
}> {
  const meta = loaded?.id === datasetId ? loaded.meta : await getDataset(datasetId);
  if (!meta) throw new Error(`no dataset ${datasetId}`);
  const table = loaded?.id === datasetId ? loaded.table : await loadSampleTable(datasetId);
  const scheme = meta.scheme;
  const a = predictionCsv(table, scheme, {
    name: 'baseline-predictions.csv',
    seed: 65,
    accuracy: 0.65,
    auRecall: 0.8,
  });
  const b = predictionCsv(table, scheme, {
    name: 'multi-task-predictions.csv',
    seed: 55,
    accuracy: 0.55,
    auRecall: 0.6,
  });
  const positionOf = new Map(scheme.classes.map((c, at) => [c.id, at]));
  const labels = new Int16Array(table.count);
  for (let i = 0; i < table.count; i++)
    labels[i] = positionOf.get(table.classIds[i] as number) ?? -1;
  // What both must find: the rows whose predicted class is the label.
  const expected = [a, b].map((run) => {
    let hits = 0;
    for (let i = 0; i < table.count; i++)
      if ((labels[i] as number) >= 0 && run.predicted[i] === labels[i]) hits++;
    return hits;
  });

  const appOnce = async (): Promise<{ run: PredictionsAppRun; figures: ModelFigures }> => {
    const worker = new PredictionsWorker();
    const created: string[] = [];
    try {
      const tLoad = now();
      // No runs: the worker only loads the dataset's table, as on the screen's first question.
      await worker.figures({ datasetId, scheme, runIds: [], split: null, threshold: 0.5 });
      const tableLoad = now() - tLoad;
      gc();
      await settle();
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask', buffered: false });
      try {
        const readStore = async (file: File, name: string) => {
          const t0 = now();
          const read = await worker.readRun(datasetId, {
            scheme,
            name,
            files: {
              kind: 'csv',
              file: { name: file.name, blob: file },
              mapping: null,
              output: { emotion: 'auto', au: 'auto' },
            },
          });
          const t1 = now();
          if (!read?.preview.meta)
            throw new Error(
              `run ${name} was not read: ${read?.preview.problems[0]?.message ?? 'cancelled'}`,
            );
          const stored = await worker.storeRun(read.readId);
          created.push(stored.id);
          const t2 = now();
          if (stored.predicted !== table.count)
            throw new Error(`run ${name}: ${stored.predicted} samples predicted of ${table.count}`);
          return { id: stored.id, read: t1 - t0, store: t2 - t1 };
        };
        const runA = await readStore(a.file, 'baseline');
        const runB = await readStore(b.file, 'multi-task');
        const t0 = now();
        const figures = await worker.figures({
          datasetId,
          scheme,
          runIds: [runA.id, runB.id],
          split: null,
          threshold: 0.5,
        });
        const score = now() - t0;
        await settle();
        for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
        return {
          run: {
            total: runA.read + runA.store + runB.read + runB.store + score,
            readA: runA.read,
            storeA: runA.store,
            readB: runB.read,
            storeB: runB.store,
            score,
            tableLoad,
            longestTask: Math.max(0, ...longTasks),
            longTasks: longTasks.length,
          },
          figures,
        };
      } finally {
        observer.disconnect();
      }
    } finally {
      worker.terminate();
      for (const id of created) await deletePredictionRun(id);
    }
  };

  if (warm) await appOnce();
  const app: PredictionsAppRun[] = [];
  let figures: ModelFigures | null = null;
  for (let r = 0; r < reps; r++) {
    const once = await appOnce();
    app.push(once.run);
    figures = once.figures;
    log(`predictions (app): ${once.run.total.toFixed(0)} ms`);
  }
  const correct = figures?.emotion.map((e) => e?.correct ?? NaN) ?? [];
  if (correct[0] !== expected[0] || correct[1] !== expected[1])
    throw new Error(
      `the app counted ${correct.join(', ')} right, the files hold ${expected.join(', ')}`,
    );

  const floorRequest = (): PredictionsFloorRequest => ({
    files: [a.file, b.file],
    labels,
    classes: scheme.classes.length,
    aus: PREDICTION_AUS.length,
  });
  // The floor's worker is started and warmed beforehand: the floor is the least work, not a cold start.
  if (warm) await predictionsFloor(floorRequest());
  else await predictionsFloor({ files: [], labels: new Int16Array(0), classes: 1, aus: 0 });
  const floor: PredictionsFloorRun[] = [];
  for (let r = 0; r < Math.max(1, reps); r++) {
    gc();
    await settle();
    const t0 = now();
    const answer = await predictionsFloor(floorRequest());
    floor.push({
      total: now() - t0,
      read: answer.readMs,
      parse: answer.parseMs,
      score: answer.scoreMs,
    });
    if (answer.correct[0] !== expected[0] || answer.correct[1] !== expected[1])
      throw new Error(
        `the floor counted ${answer.correct.join(', ')} right, the files hold ${expected.join(', ')}`,
      );
  }
  predictionsFloorWorker?.terminate();
  predictionsFloorWorker = null;
  return {
    samples: table.count,
    bytes: [a.file.size, b.file.size],
    app,
    floor,
    accuracy: figures?.emotion.map((e) => e?.accuracy.share ?? NaN) ?? [],
    comparisonN: figures?.comparison?.n ?? 0,
    macroF1: figures?.au.map((m) => m?.macroF1 ?? NaN) ?? [],
  };
}

// ---------------------------------------------------------------------------
// Review set for the key-press measure, heap

// ---------------------------------------------------------------------------
// A video AU set the size of Aff-Wild2's (issue 16): hundreds of per-video files

const ABAW_AUS = [1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26];
const ABAW_HEADER = ABAW_AUS.map((au) => `AU${au}`).join(',') + '\n';

/**
 * ABAW AU files: `videos` files of about `frames / videos` frames each, a header, then
 * one line of 0/1 per frame (about 2% of frames all -1, not annotated). Seeded.
 */
function abawFiles(videos: number, frames: number): File[] {
  const random = seededRandom(16);
  const files: File[] = [];
  const header = new TextEncoder().encode(ABAW_HEADER);
  let left = frames;
  for (let v = 0; v < videos; v++) {
    const count = v === videos - 1 ? left : Math.round(frames / videos);
    left -= count;
    const bytes = new Uint8Array(header.length + count * 40);
    bytes.set(header);
    let at = header.length;
    for (let f = 0; f < count; f++) {
      const uncoded = random() < 0.02;
      for (let k = 0; k < ABAW_AUS.length; k++) {
        if (k > 0) bytes[at++] = 44;
        if (uncoded) {
          bytes[at++] = 45;
          bytes[at++] = 49;
        } else bytes[at++] = random() < 0.2 ? 49 : 48;
      }
      bytes[at++] = 10;
    }
    const set = v % 5 === 4 ? 'Validation_Set' : 'Train_Set';
    files.push(
      new File([bytes.subarray(0, at)], `AU_Set/${set}/video${String(v).padStart(3, '0')}.txt`, {
        type: 'text/plain',
      }),
    );
  }
  return files;
}

let videoFloorWorker: Worker | null = null;

function videoFloor(request: VideoFloorRequest): Promise<VideoFloorResponse> {
  videoFloorWorker ??= new Worker(new URL('./video-floor.worker.ts', import.meta.url), {
    type: 'module',
  });
  const worker = videoFloorWorker;
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<VideoFloorResponse>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request, request.files);
  });
}

/**
 * The import screen's session on a video AU set against its floor (read the bytes,
 * one byte pass that parses every value, write the same pages), then opening the
 * stored set and its grid and filters, as the Samples screen computes them.
 */
async function videoImportBench(
  videos: number,
  frames: number,
  reps: number,
): Promise<{
  files: number;
  bytes: number;
  app: {
    total: number;
    readAndParse: number;
    save: number;
    filesSeen: number;
    rowsSeen: number;
    longestTask: number;
  }[];
  floor: { total: number; read: number; scan: number; write: number }[];
  open: { load: number; groups: number; check: number; videos: number; subjects: number };
  filters: { name: string; matched: number; median: number; runs: number[] }[];
}> {
  const files = abawFiles(videos, frames);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const app = [];
  const floor = [];
  let kept: { id: string; table: SampleTable; meta: DatasetMeta } | null = null;
  for (let r = 0; r < reps; r++) {
    const session = new ImportSession();
    gc();
    await settle();
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    // Progress by file and by row, as the screen shows it: its last value while reading.
    let filesSeen = 0;
    let rowsSeen = 0;
    const watch = setInterval(() => {
      const p = session.progress;
      if (p?.stage === 'reading') {
        filesSeen = Math.max(filesSeen, p.files?.done ?? 0);
        rowsSeen = Math.max(rowsSeen, p.rowsDone);
      }
    }, 20);
    try {
      const t0 = now();
      await session.addFiles(files.map((file) => ({ path: file.name, file })));
      const t1 = now();
      if (session.status !== 'ready' || !session.result)
        throw new Error(`video import did not parse: ${session.status} ${session.error ?? ''}`);
      if (session.result.format !== 'abaw')
        throw new Error(`the video set was read as ${session.result.format}, not abaw`);
      session.name = 'Bench videos';
      const meta = await session.save();
      const t2 = now();
      if (!meta || meta.sampleCount !== frames)
        throw new Error(`video import saved ${meta?.sampleCount ?? 0} frames, expected ${frames}`);
      for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
      app.push({
        total: t2 - t0,
        readAndParse: t1 - t0,
        save: t2 - t1,
        filesSeen,
        rowsSeen,
        longestTask: Math.max(0, ...longTasks),
      });
      const table = await loadSampleTable(meta.id);
      // The floor writes the pages the app wrote, built before its clock starts.
      const pages = tableToPages(crypto.randomUUID(), table);
      await clearFloor();
      await videoFloor({ files: [new ArrayBuffer(8)], columns: ABAW_AUS.length });
      gc();
      await settle();
      const f0 = now();
      const buffers = await Promise.all(files.map((file) => file.arrayBuffer()));
      const f1 = now();
      const scanned = await videoFloor({ files: buffers, columns: ABAW_AUS.length });
      const f2 = now();
      await rawWritePages(pages);
      const f3 = now();
      if (scanned.frames !== frames)
        throw new Error(`the video floor read ${scanned.frames} frames, the app ${frames}`);
      floor.push({ total: f3 - f0, read: f1 - f0, scan: f2 - f1, write: f3 - f2 });
      if (r < reps - 1) await deleteDataset(meta.id);
      else kept = { id: meta.id, table, meta };
    } finally {
      clearInterval(watch);
      observer.disconnect();
      session.dispose();
    }
  }
  await clearFloor();
  if (!kept) throw new Error('no video import kept');
  const { id, meta } = kept;
  // Opening: the stored pages to columns, the frames' videos and subjects, the check.
  const load = await timeIt(3, () => loadSampleTable(id), true);
  const table = load.value;
  const subjectOf = formatOf(meta.format).subjectOf;
  const groups = await timeIt(3, () => groupFrames(table.names, subjectOf), true);
  const ruleSet = defaultRuleSet(meta.scheme);
  const check = await timeIt(3, () => checkTable(table, ruleSet), true);
  const video = groups.value.videos[7] ?? '';
  const subject = groups.value.subjects[3] ?? '';
  const cases: { name: string; filter: Partial<SampleFilter>; query?: Partial<SampleQuery> }[] = [
    { name: 'all frames, dataset order', filter: {} },
    { name: 'AU12 present, AU4 absent', filter: { auPresent: [12], auAbsent: [4] } },
    { name: 'AU label null (not annotated)', filter: { nullOnly: true } },
    { name: 'split 1 (validation)', filter: { splits: [1] } },
    { name: `one video (${video})`, filter: { videos: [video] } },
    { name: `one subject (${subject})`, filter: { subjects: [subject] } },
    { name: "image name contains '/00042'", filter: {}, query: { nameContains: '/00042' } },
  ];
  const rows = [];
  for (const c of cases) {
    const filter = SampleFilterSchema.parse({ ...ALL_SAMPLES_FILTER, ...c.filter });
    const query: SampleQuery = { ...ANY_SAMPLE, ...c.query };
    const run = () =>
      refineSamples(
        table,
        applyFilter(table, check.value, null, filter, undefined, groups.value),
        query,
      ).length;
    const t = await timeIt(5, run, true);
    rows.push({ name: c.name, matched: t.value, median: t.median, runs: t.runs });
    log(`videos: ${c.name}: ${t.median.toFixed(1)} ms (${t.value} frames)`);
  }
  await deleteDataset(id);
  return {
    files: files.length,
    bytes,
    app,
    floor,
    open: {
      load: load.median,
      groups: groups.median,
      check: check.median,
      videos: groups.value.videos.length,
      subjects: groups.value.subjects.length,
    },
    filters: rows,
  };
}

// ---------------------------------------------------------------------------
// Face reading (issue 18): the app's FaceState over a stored 5,000-image dataset
// against decoding and running the same model in bare workers

/** The 100x100 face crops the bench's images are made from (tests/fixtures/faces). */
const FACE_SOURCES = [alignedFaceUrl, flippedFaceUrl, rotatedFaceUrl, darkFaceUrl];
/** Crop offsets (0-4 px each way), mirrored or not, brightness levels: 4 x 25 x 2 x 25 = 5,000. */
const FACE_SHIFTS = 25;
const FACE_LEVELS = 25;
const FACE_SIDE = 100;

/** The images of the face bench and the dataset that holds them (kept until `facesDone`). */
let faceBench: { images: Blob[]; datasetId: string; table: SampleTable } | null = null;

/**
 * `count` distinct 100x100 JPEG face crops, as in RAF-CE: each of the four astronaut
 * crops cut 2 px smaller at one of 25 offsets (a shift of up to 2 px each way) and scaled
 * back, mirrored or not, at one of 25 brightness levels.
 */
async function faceCrops(count: number): Promise<Blob[]> {
  const sources = await Promise.all(
    FACE_SOURCES.map(async (url) => createImageBitmap(await (await fetch(url)).blob())),
  );
  const canvas = new OffscreenCanvas(FACE_SIDE, FACE_SIDE);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context for the face crops');
  const blobs: Blob[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length] as ImageBitmap;
    const variant = Math.floor(i / sources.length);
    const shift = variant % FACE_SHIFTS;
    const mirrored = Math.floor(variant / FACE_SHIFTS) % 2 === 1;
    const level = Math.floor(variant / (FACE_SHIFTS * 2)) % FACE_LEVELS;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.filter = `brightness(${(0.76 + 0.02 * level).toFixed(2)})`;
    if (mirrored) context.setTransform(-1, 0, 0, 1, FACE_SIDE, 0);
    context.drawImage(
      source,
      shift % 5,
      Math.floor(shift / 5),
      FACE_SIDE - 4,
      FACE_SIDE - 4,
      0,
      0,
      FACE_SIDE,
      FACE_SIDE,
    );
    blobs.push(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 }));
  }
  for (const source of sources) source.close();
  return blobs;
}

/** Distinct byte contents among the blobs (SHA-256), to show the images are not repeats. */
async function distinctBlobs(blobs: readonly Blob[]): Promise<number> {
  const seen = new Set<string>();
  for (const blob of blobs) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    seen.add(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
  }
  return seen.size;
}

/**
 * Makes the images (before any clock) and stores them as a RAF-CE dataset through the
 * app's store, as an import of labels plus an image folder would.
 */
async function facesPrepare(count: number): Promise<{
  datasetId: string;
  count: number;
  distinct: number;
  bytes: number;
  makeMs: number;
  storeMs: number;
}> {
  const t0 = now();
  const images = await faceCrops(count);
  const makeMs = now() - t0;
  const distinct = await distinctBlobs(images);
  const names = images.map((_, i) => `face_${String(i + 1).padStart(5, '0')}.jpg`);
  const encoder = new TextEncoder();
  const lines = (value: (i: number) => string) =>
    encoder.encode(names.map((name, i) => `${name} ${value(i)}`).join('\n') + '\n');
  const parsed = importLabelFiles(
    [
      { name: 'RAFCE_emolabel.txt', bytes: lines((i) => String(i % 14)) },
      { name: 'RAFCE_AUlabel.txt', bytes: lines(() => '1+2+12+25') },
      { name: 'RAFCE_partition.txt', bytes: lines((i) => String(i % 3)) },
    ],
    { imageNames: names },
  );
  if (parsed.table.count !== count)
    throw new Error(`the face bench's labels read as ${parsed.table.count} samples, not ${count}`);
  const keyOfImage = parsed.imageMatch?.keyOfImage ?? [];
  const t1 = now();
  const meta = await saveImportedDataset({
    meta: {
      name: `Bench faces ${count}`,
      format: parsed.format,
      scheme: parsed.scheme,
      splitNames: parsed.splitNames,
      sourceFiles: parsed.sourceFiles,
      report: parsed.report,
      sampleCount: parsed.table.count,
      isDemo: false,
    },
    table: parsed.table,
    images: images.map((blob, i) => {
      const name = names[i] as string;
      return { key: keyOfImage[i] ?? imageKey(name), name, blob };
    }),
  });
  const storeMs = now() - t1;
  faceBench = { images, datasetId: meta.id, table: parsed.table };
  log(`faces: ${count} images made in ${makeMs.toFixed(0)} ms, stored in ${storeMs.toFixed(0)} ms`);
  return {
    datasetId: meta.id,
    count,
    distinct,
    bytes: images.reduce((n, b) => n + b.size, 0),
    makeMs,
    storeMs,
  };
}

/**
 * The app's own controller (FaceState, as the Faces screen runs it) reading every image
 * of the stored dataset with a pool of `workers`: images fetched from IndexedDB, read in
 * batches, every batch's readings stored. Readings of an earlier run are deleted first,
 * so that every image is read. Timed from `read` to its end, the pool's start included.
 */
async function facesApp(workers: number): Promise<{
  workers: number;
  total: number;
  start: number;
  done: number;
  withFace: number;
  withMesh: number;
  status: string;
  backend: string;
  longestTask: number;
  longTasks: number;
  longTaskMs: number;
}> {
  if (!faceBench) throw new Error('facesApp needs facesPrepare first');
  const { datasetId, table } = faceBench;
  await deleteFaceReadings(datasetId);
  let start = 0;
  const state = new FaceState({
    datasetId: () => datasetId,
    table: () => table,
    // As the library loads a sample's image: its key, then its base name's.
    loadImage: async (key) => {
      for (const candidate of imageLookupKeys(key)) {
        const blob = await getImage(datasetId, candidate);
        if (blob) return blob;
      }
      return undefined;
    },
    changed: async () => {},
    poolSize: workers,
    // The harness lives under /bench/: the model is served at the app's root.
    startReaders: async (size) => {
      const t = now();
      const pool = await startFaceReaders(size, appFaceModelLocation('/'));
      start = now() - t;
      return pool;
    },
  });
  await state.load(datasetId);
  gc();
  await settle();
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  let total: number;
  try {
    const t0 = now();
    await state.read(Array.from({ length: table.count }, (_, i) => i));
    total = now() - t0;
    for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
  } finally {
    observer.disconnect();
  }
  if (state.status !== 'finished')
    throw new Error(`the face run ended ${state.status}: ${state.error ?? ''}`);
  const readings = [...state.readings.values()];
  log(`faces: app with ${workers} worker(s) ${total.toFixed(0)} ms for ${readings.length} images`);
  return {
    workers,
    total,
    start,
    done: state.progress?.done ?? 0,
    withFace: readings.filter((r) => r.faces.length > 0).length,
    withMesh: readings.filter((r) => r.mesh !== null).length,
    status: state.status,
    backend: state.backend ?? '',
    longestTask: Math.max(0, ...longTasks),
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((a, b) => a + b, 0),
  };
}

function facesFloorCall(worker: Worker, request: FacesFloorRequest): Promise<FacesFloorResponse> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FacesFloorResponse>) => {
      if (event.data.type === 'failed') reject(new Error(event.data.error));
      else resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the floor worker stopped'));
    worker.postMessage(request);
  });
}

/**
 * The floor: `workers` bare workers (bench/faces-floor.worker.ts), each given its share
 * of the first `count` images in one message; timed from the model's load to the last
 * answer, and from the images' message to the last answer (the reading alone).
 */
async function facesFloor(
  workers: number,
  emotion: boolean,
  count: number,
): Promise<{
  workers: number;
  emotion: boolean;
  count: number;
  total: number;
  load: number;
  read: number;
  withFace: number;
  withMesh: number;
  backend: string;
}> {
  if (!faceBench) throw new Error('facesFloor needs facesPrepare first');
  const images = faceBench.images.slice(0, count);
  const location = appFaceModelLocation('/');
  const pool = Array.from(
    { length: workers },
    () => new Worker(new URL('./faces-floor.worker.ts', import.meta.url), { type: 'module' }),
  );
  try {
    gc();
    await settle();
    const t0 = now();
    const loaded = await Promise.all(
      pool.map((worker) =>
        facesFloorCall(worker, {
          type: 'load',
          models: location.models,
          wasm: location.wasm,
          emotion,
        }),
      ),
    );
    const t1 = now();
    const answers = await Promise.all(
      pool.map((worker, w) =>
        facesFloorCall(worker, {
          type: 'read',
          images: images.filter((_, i) => i % workers === w),
        }),
      ),
    );
    const t2 = now();
    let withFace = 0;
    let withMesh = 0;
    for (const answer of answers)
      if (answer.type === 'read') {
        withFace += answer.withFace;
        withMesh += answer.withMesh;
      }
    const first = loaded[0];
    log(
      `faces: floor with ${workers} worker(s)${emotion ? '' : ', no expression'} ${(t2 - t0).toFixed(0)} ms for ${count} images`,
    );
    return {
      workers,
      emotion,
      count,
      total: t2 - t0,
      load: t1 - t0,
      read: t2 - t1,
      withFace,
      withMesh,
      backend: first?.type === 'loaded' ? first.backend : '',
    };
  } finally {
    for (const worker of pool) worker.terminate();
  }
}

/** The readings stored for the bench dataset, read back from IndexedDB (after a reload). */
async function facesPersisted(
  datasetId: string,
): Promise<{ stored: number; withMesh: number; unreadable: number }> {
  const { readings, unreadable } = await listFaceReadings(datasetId);
  return {
    stored: readings.length,
    withMesh: readings.filter((r) => r.mesh !== null).length,
    unreadable: unreadable.length,
  };
}

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
  evidenceSpeed,
  labelQuality,
  importApp,
  importFloor,
  importBreakdown,
  clearFloor,
  load,
  filters,
  exportBench,
  predictionsBench,
  videoImportBench,
  facesPrepare,
  facesApp,
  facesFloor,
  facesPersisted,
  setupReview,
  teamPrepare,
  teamWatch,
  teamResult,
  teamStop,
  heap,
  remove,
  release: () => {
    loaded = null;
    lastImport = null;
    faceBench = null;
  },
  hasGc: () => typeof (globalThis as { gc?: unknown }).gc === 'function',
};

export type BenchApi = typeof api;
(window as unknown as { bench: BenchApi }).bench = api;
document.body.dataset.ready = 'true';
log('harness ready');

import type { PredictionCsvMapping } from '../predictions/prediction-file';
import type { PredictionRunMeta } from '../predictions/run';
import {
  deletePredictionRun,
  getLoaderCheck,
  listPredictionRunMetas,
  type LoaderCheckRecord,
} from '../store/predictions';
import {
  PredictionsWorker,
  type DumpFiles,
  type LoaderCheckAnswer,
  type ModelFigures,
  type PredictionsService,
  type PredictionsStage,
  type RunFiles,
  type RunPreview,
} from '../workers/predictions-client';
import type { DatasetLibrary } from './library.svelte';

export type { DumpFiles, LoaderCheckAnswer, ModelFigures, RunFiles, RunPreview };

/** What the Models screen reads of the store; the tests give a fake. */
export interface PredictionsStore {
  listRuns(datasetId: string): Promise<{ metas: PredictionRunMeta[]; unreadable: string[] }>;
  removeRun(id: string): Promise<void>;
  loaderCheck(datasetId: string): Promise<LoaderCheckRecord | undefined>;
}

const storedPredictions: PredictionsStore = {
  listRuns: (datasetId) => listPredictionRunMetas(datasetId),
  removeRun: (id) => deletePredictionRun(id),
  loaderCheck: (datasetId) => getLoaderCheck(datasetId),
};

export type ImportStatus = 'idle' | 'reading' | 'ready' | 'saving' | 'error';

/** The default threshold at which an AU probability counts as present. */
export const DEFAULT_THRESHOLD = 0.5;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The Models screen's state: the prediction runs stored beside the open dataset, the
 * import of a new one (read, shown, then stored), the two runs compared on a split at
 * an AU threshold with their figures (scored in a worker), and the loader check.
 */
export class ModelRuns {
  /** The open dataset's runs, oldest first. */
  runs = $state.raw<PredictionRunMeta[]>([]);
  /** Stored runs that could not be read, in plain words. */
  unreadable = $state.raw<string[]>([]);
  /** The dataset the runs above belong to. */
  datasetId = $state<string | null>(null);

  // The import of a run.
  importStatus = $state<ImportStatus>('idle');
  importStage = $state<PredictionsStage | null>(null);
  importError = $state<string | null>(null);
  /** The last files read, not stored yet: what would be stored and its problems. */
  preview = $state.raw<RunPreview | null>(null);
  private draft: { name: string; files: RunFiles; readId: number; datasetId: string } | null = null;

  // The comparison.
  runA = $state<string | null>(null);
  runB = $state<string | null>(null);
  /** The split scored; null: every sample. */
  split = $state<number | null>(null);
  threshold = $state(DEFAULT_THRESHOLD);
  figures = $state.raw<ModelFigures | null>(null);
  scoring = $state(false);
  figuresError = $state<string | null>(null);

  // The loader check.
  loaderCheck = $state.raw<LoaderCheckRecord | null>(null);
  /** The last dump read: its problems, and a report only when it could be read. */
  loaderAnswer = $state.raw<LoaderCheckAnswer | null>(null);
  checkingLoader = $state(false);
  loaderError = $state<string | null>(null);

  private loadRun = 0;
  private figuresRun = 0;
  private readRun = 0;

  constructor(
    private readonly library: () => DatasetLibrary,
    private readonly service: PredictionsService = new PredictionsWorker(),
    private readonly store: PredictionsStore = storedPredictions,
  ) {}

  /** The two chosen runs' metas, when chosen. */
  chosenA = $derived(this.runs.find((r) => r.id === this.runA) ?? null);
  chosenB = $derived(this.runs.find((r) => r.id === this.runB) ?? null);

  /** Whether the last read can be stored: it gave a run, for the dataset still open. */
  canSave = $derived.by(
    () =>
      (this.importStatus === 'ready' || this.importStatus === 'error') &&
      this.preview?.meta != null &&
      this.preview.meta.datasetId === this.library().openId,
  );

  /** Loads the runs and the loader check of the open dataset, unless they are loaded. */
  async sync(): Promise<void> {
    const datasetId = this.library().openId;
    if (datasetId === this.datasetId) return;
    const load = ++this.loadRun;
    this.datasetId = datasetId;
    this.runs = [];
    this.unreadable = [];
    this.loaderCheck = null;
    this.loaderAnswer = null;
    this.figures = null;
    this.runA = this.runB = null;
    this.discard();
    if (!datasetId) return;
    try {
      const [{ metas, unreadable }, check] = await Promise.all([
        this.store.listRuns(datasetId),
        this.store.loaderCheck(datasetId),
      ]);
      if (load !== this.loadRun) return;
      this.runs = metas;
      this.unreadable = unreadable;
      this.loaderCheck = check ?? null;
      this.runA = metas[0]?.id ?? null;
      this.runB = metas[1]?.id ?? null;
    } catch (error) {
      if (load !== this.loadRun) return;
      this.unreadable = [`The stored runs could not be read: ${message(error)}`];
      return;
    }
    await this.score();
  }

  /** Reads a run's files against the open dataset and shows what would be stored. */
  async read(name: string, files: RunFiles): Promise<void> {
    const library = this.library();
    const datasetId = library.openId;
    const scheme = library.open?.scheme;
    const run = ++this.readRun;
    this.preview = null;
    this.importError = null;
    if (!datasetId || !scheme) {
      this.importStatus = 'error';
      this.importError = 'Open a dataset first: predictions are matched to its images.';
      return;
    }
    this.importStatus = 'reading';
    this.importStage = 'reading';
    try {
      const read = await this.service.readRun(
        datasetId,
        { scheme: $state.snapshot(scheme), name: name.trim() || 'unnamed run', files },
        (stage) => {
          if (run === this.readRun) this.importStage = stage;
        },
      );
      if (run !== this.readRun) return;
      if (read === null) {
        this.importStatus = 'idle';
        return;
      }
      this.draft = { name, files, readId: read.readId, datasetId };
      this.preview = read.preview;
      if (read.preview.meta) this.importStatus = 'ready';
      else {
        this.importStatus = 'error';
        this.importError =
          read.preview.problems.find((p) => p.severity === 'error')?.message ??
          'no row of the file gave a sample a prediction; nothing imported';
      }
    } catch (error) {
      if (run !== this.readRun) return;
      this.importStatus = 'error';
      this.importError = message(error);
    } finally {
      if (run === this.readRun) this.importStage = null;
    }
  }

  /** Reads the same CSV again with another column mapping. */
  async remap(mapping: PredictionCsvMapping): Promise<void> {
    const draft = this.draft;
    if (!draft || draft.files.kind !== 'csv') return;
    await this.read(draft.name, { ...draft.files, mapping });
  }

  /** Stops a read in progress; nothing is stored. */
  cancel(): void {
    if (this.importStatus !== 'reading' && !this.checkingLoader) return;
    this.readRun++;
    this.service.cancel();
    if (this.importStatus === 'reading') this.importStatus = 'idle';
    this.importStage = null;
    this.checkingLoader = false;
  }

  /** The screen is gone: stops the worker whatever it is doing (it starts afresh on next use). */
  destroy(): void {
    this.service.cancel();
  }

  /** Stores the run read last and adds it to the list (and to the comparison, if a place is free). */
  async save(): Promise<PredictionRunMeta | null> {
    const draft = this.draft;
    if (!draft || !this.canSave) return null;
    if (draft.datasetId !== this.library().openId) {
      this.importStatus = 'error';
      this.importError = 'Another dataset was opened since the file was read; read it again.';
      return null;
    }
    this.importStatus = 'saving';
    this.importError = null;
    try {
      const meta = await this.service.storeRun(draft.readId);
      if (this.datasetId !== meta.datasetId) return meta;
      this.runs = [...this.runs, meta];
      if (this.runA === null) this.runA = meta.id;
      else if (this.runB === null && this.runA !== meta.id) this.runB = meta.id;
      this.discard();
      // The run becomes a source of evidence about the labels (its held-out samples).
      void this.library().modelsChanged();
      await this.score();
      return meta;
    } catch (error) {
      this.importStatus = 'error';
      this.importError = `Could not store the run: ${message(error)}`;
      return null;
    }
  }

  /** Forgets the files read; nothing was stored. */
  discard(): void {
    this.readRun++;
    this.draft = null;
    this.preview = null;
    this.importStatus = 'idle';
    this.importStage = null;
    this.importError = null;
  }

  /** Removes a stored run; the comparison moves on to the runs left. */
  async remove(id: string): Promise<boolean> {
    try {
      await this.store.removeRun(id);
    } catch (error) {
      this.figuresError = `Could not remove the run: ${message(error)}`;
      return false;
    }
    this.runs = this.runs.filter((r) => r.id !== id);
    void this.service.forgetRun(id).catch(() => undefined);
    void this.library().modelsChanged();
    if (this.runA === id) this.runA = null;
    if (this.runB === id) this.runB = null;
    if (this.runA === null) {
      this.runA = this.runB ?? this.runs.find((r) => r.id !== this.runB)?.id ?? null;
      if (this.runA === this.runB) this.runB = null;
    }
    await this.score();
    return true;
  }

  /** Chooses the runs compared: A, and B or none. */
  async choose(runA: string | null, runB: string | null): Promise<void> {
    this.runA = runA;
    this.runB = runB === runA ? null : runB;
    await this.score();
  }

  async chooseSplit(split: number | null): Promise<void> {
    this.split = split;
    await this.score();
  }

  async setThreshold(threshold: number): Promise<void> {
    if (!Number.isFinite(threshold)) return;
    this.threshold = Math.min(1, Math.max(0, threshold));
    await this.score();
  }

  /** Scores the chosen runs in the worker; a later request wins. */
  async score(): Promise<void> {
    const library = this.library();
    const datasetId = this.datasetId;
    const scheme = library.open?.scheme;
    const runIds = [this.runA, this.runB].filter((id): id is string => id !== null);
    const run = ++this.figuresRun;
    this.figuresError = null;
    if (!datasetId || !scheme || runIds.length === 0) {
      this.figures = null;
      this.scoring = false;
      return;
    }
    this.scoring = true;
    try {
      const figures = await this.service.figures({
        datasetId,
        scheme: $state.snapshot(scheme),
        runIds,
        split: this.split,
        threshold: this.threshold,
      });
      if (run !== this.figuresRun) return;
      this.figures = figures;
    } catch (error) {
      if (run !== this.figuresRun) return;
      this.figures = null;
      this.figuresError = message(error);
    } finally {
      if (run === this.figuresRun) this.scoring = false;
    }
  }

  /**
   * Makes a review set of the samples one run gets right and the other wrong; the
   * set, or null when there is nothing to review.
   */
  async reviewDisagreements(which: 'onlyA' | 'onlyB') {
    const figures = this.figures;
    const [right, wrong] =
      which === 'onlyA' ? [this.chosenA, this.chosenB] : [this.chosenB, this.chosenA];
    if (!figures || !right || !wrong) return null;
    const comparison = figures.comparison;
    if (!comparison) return null;
    const samples = which === 'onlyA' ? comparison.aRightBWrong : comparison.bRightAWrong;
    if (samples.length === 0) return null;
    return this.library().review.createSet(
      {
        name: `${right.name} right, ${wrong.name} wrong (${samples.length})`,
        kind: 'filter',
        stratified: false,
      },
      samples,
    );
  }

  /** Reads a loader's target dump, compares it with the labels and stores the findings. */
  async checkLoader(files: DumpFiles): Promise<void> {
    const datasetId = this.library().openId;
    this.loaderError = null;
    if (!datasetId) {
      this.loaderError = 'Open a dataset first: the targets are compared with its labels.';
      return;
    }
    this.checkingLoader = true;
    try {
      const answer = await this.service.checkLoader(datasetId, files);
      if (answer === null || this.datasetId !== datasetId) return;
      this.loaderAnswer = answer;
      if (!answer.report) {
        this.loaderError =
          answer.problems.find((p) => p.severity === 'error')?.message ??
          'the dump could not be read; nothing was checked';
        return;
      }
      this.loaderCheck = {
        version: 1,
        datasetId,
        checkedAt: answer.checkedAt,
        fileNames: answer.fileNames,
        report: answer.report,
        problems: answer.problems,
      };
      // The diagnosis leads with what the training code read.
      void this.library().modelsChanged();
    } catch (error) {
      this.loaderError = message(error);
    } finally {
      this.checkingLoader = false;
    }
  }
}

import { FaceState } from './faces.svelte';
import type { DatasetMeta } from '../store/records';
import {
  addImages,
  deleteDataset,
  getDataset,
  getImage,
  listDatasets,
  listMissingImages,
  loadSampleTable,
  readStorageInfo,
  renameDataset,
  requestPersistentStorage,
  updateDatasetMeta,
  type AddImagesResult,
  type MissingImages,
  type StorageInfo,
} from '../store/datasets';
import {
  createBackup,
  restoreBackup,
  type BackupFile,
  type RestoreMode,
  type RestoreResult,
} from '../store/backup';
import { describeWriteError } from '../store/errors';
import { storageLevel, type StorageLevel } from '../backup/space';
import { classifyInputName } from '../input/input-files';
import { imageKey, imageLookupKeys } from '../labels/images';
import { ImportWorker } from '../workers/import-client';
import {
  deleteRuleSet,
  deleteSavedFilter,
  getRuleSet,
  listSavedFilters,
  saveFilter,
  saveRuleSet,
} from '../store/annotations';
import type { SavedFilterRecord } from '../store/annotation-records';
import type { LabelScheme, SampleTable, SplitNames } from '../labels/types';
import { defaultRuleSet } from '../rules/builtin';
import type { CheckColumns } from '../rules/check';
import type { SampleFilter } from '../rules/filter';
import type { LabelEvidence } from '../label-evidence/assess';
import type { CrowdDistribution } from '../label-evidence/crowd-file';
import { deleteCrowd, getCrowd, saveCrowd } from '../store/crowd';
import { getLoaderCheck, listPredictionRuns, type LoaderCheckRecord } from '../store/predictions';
import type { PredictionRun } from '../predictions/run';
import { runCorrectnessByRun } from '../predictions/sample-prediction';
import { EMPTY_RUN_CORRECTNESS, type RunCorrectness } from '../rules/filter';
import type { Overview } from '../rules/overview';
import { analyseInWorker } from '../workers/analysis-client';
import { oneSidedInSlices } from './one-sided';
import { RuleSetSchema, type RuleSet } from '../rules/schema';
import { loadDemoDataset } from './demo';
import { getImageFolder, type ImageFolderRecord } from '../store/folders';
import { thumbnailStore } from '../store/thumbnails';
import { readFromFolder, requestFolderAccess } from './image-folder';
import { ImageCache } from './image-cache';
import { ReviewState } from './review.svelte';
import { FrameState } from './frames.svelte';

export type { DatasetMeta, SavedFilterRecord, MissingImages, StorageInfo };

/**
 * The datasets this browser holds and the one that is open, with its rule set and
 * everything derived from it. Screens read from here and call its methods.
 */
export class DatasetLibrary {
  datasets = $state.raw<DatasetMeta[]>([]);
  openId = $state<string | null>(null);
  /** The open dataset's samples, replaced whole, never mutated. */
  table = $state.raw<SampleTable | null>(null);
  /** The open dataset's rule set: its own edited one, or the built-in one for its scheme. */
  ruleSet = $state.raw<RuleSet | null>(null);
  ruleSetIsBuiltin = $state(true);
  savedFilters = $state.raw<SavedFilterRecord[]>([]);
  status = $state<'starting' | 'loading' | 'ready' | 'error'>('starting');
  error = $state<string | null>(null);

  readonly review = new ReviewState(() => this.table);

  readonly images = new ImageCache((key) => this.loadImage(key), {
    thumbnails: thumbnailStore,
    datasetId: () => this.openId,
  });
  /** A linked image folder of the open dataset that the browser needs permission to read again. */
  folderNeedsPermission = $state<string | null>(null);
  /** Bumped when images become readable again, so the screens ask for them anew. */
  imagesVersion = $state(0);
  private folder: { record: ImageFolderRecord; pathOf: Map<string, string> | null } | null = null;

  open = $derived(this.datasets.find((d) => d.id === this.openId) ?? null);

  /** The face model's readings of the open dataset's images, and runs that read more. */
  readonly faces = new FaceState({
    datasetId: () => this.openId,
    table: () => this.table,
    loadImage: (key) => this.loadImage(key),
    changed: () => this.analyse(),
  });

  /** The open dataset's videos and subjects, when its samples are frames (its format says). */
  readonly frames = new FrameState(
    () => this.table,
    () => this.open?.format ?? null,
    () => this.open?.scheme ?? null,
  );

  /**
   * Every sample checked against the rule set, the evidence about every label and the
   * overview: computed in a worker, and again whenever a rule, a name or the crowd votes
   * change. null while the first analysis runs; the check comes before the evidence.
   */
  check = $state.raw<CheckColumns | null>(null);
  issues = $state.raw<LabelEvidence | null>(null);
  overview = $state.raw<Overview | null>(null);
  /** Crowd votes stored beside the open dataset (RAF-ML distribution.txt), if any. */
  crowd = $state.raw<CrowdDistribution | null>(null);
  /** The trained runs' predictions stored beside the open dataset (the Models page), oldest first. */
  predictionRuns = $state.raw<PredictionRun[]>([]);
  /** The training code's AU targets checked against the labels, if a dump was checked. */
  loaderCheck = $state.raw<LoaderCheckRecord | null>(null);
  /** Per run, which samples it gets right: what the grid's run filter reads. */
  runCorrectness = $derived.by((): RunCorrectness => {
    const table = this.table;
    const scheme = this.open?.scheme;
    if (!table || !scheme) return EMPTY_RUN_CORRECTNESS;
    return runCorrectnessByRun(this.predictionRuns, table, scheme);
  });
  analysing = $state(false);
  private analysisRun = 0;

  /** The browser's estimate of the space used and allowed, and whether it is persistent. */
  storage = $state.raw<StorageInfo | null>(null);
  storageLevel = $derived<StorageLevel | null>(this.storage ? storageLevel(this.storage) : null);
  /** Datasets whose images were not all stored, with those missing. */
  missingImages = $state.raw<MissingImages[]>([]);
  /**
   * True when the database is empty but this browser held datasets before: the
   * browser (or the user) cleared the site's data. Said plainly, never papered over
   * with a fresh demo.
   */
  databaseLost = $state(false);
  /** A plain sentence about a write that failed (a full disk, a dataset gone). */
  writeProblem = $state<string | null>(null);

  /** Lists stored datasets and opens the last one used, or the demo on a first visit. */
  async start(): Promise<void> {
    try {
      void requestPersistentStorage().then(() => this.refreshStorage());
      const heldBefore = Number(localStorage.getItem(heldKey) ?? '0');
      await Promise.all([this.refresh(), this.review.loadSettings()]);
      if (this.datasets.length === 0 && heldBefore > 0) {
        this.databaseLost = true;
        this.status = 'ready';
        return;
      }
      if (this.datasets.length === 0) {
        const demo = await loadDemoDataset();
        await this.refresh();
        await this.openDataset(demo.id);
        return;
      }
      const remembered = localStorage.getItem(lastOpenKey);
      const first = this.datasets.find((d) => d.id === remembered) ?? this.datasets[0];
      if (first) await this.openDataset(first.id);
      else this.status = 'ready';
    } catch (error) {
      this.fail(error);
    }
  }

  async refresh(): Promise<void> {
    this.datasets = await listDatasets();
    // Remembered outside IndexedDB, so that a wiped database is noticed on the next start.
    localStorage.setItem(heldKey, String(this.datasets.length));
    if (this.datasets.length > 0) this.databaseLost = false;
    this.missingImages = await listMissingImages().catch(() => this.missingImages);
    void this.refreshStorage();
  }

  async refreshStorage(): Promise<void> {
    this.storage = await readStorageInfo();
  }

  /** Asks the browser again to keep this site's data (browsers may grant it after use). */
  async askPersistence(): Promise<void> {
    await requestPersistentStorage();
    await this.refreshStorage();
  }

  /**
   * After a write failed: says in plain words why, checking first that the dataset is
   * still stored (another tab, or the browser clearing the site, may have removed it).
   */
  async explainWriteFailure(
    error: unknown,
    what: string,
    datasetId = this.openId,
  ): Promise<string> {
    let message = describeWriteError(error, what);
    if (datasetId) {
      const stillThere = await getDataset(datasetId).catch(() => undefined);
      if (!stillThere)
        message = `The dataset is no longer stored in this browser (deleted in another tab, or the browser cleared this site's data): nothing of ${what} was saved.`;
    }
    this.writeProblem = message;
    void this.refresh().catch(() => undefined);
    return message;
  }

  /** Runs a write; on failure, explains it (see explainWriteFailure) and rethrows. */
  private async guarded<T>(what: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      await this.explainWriteFailure(error, what);
      throw error;
    }
  }

  /** A backup file of a dataset, to download. */
  backup(id: string, includeImages: boolean): Promise<BackupFile> {
    return createBackup(id, { includeImages });
  }

  /** Restores a backup file; on success the restored dataset is opened. */
  async restore(file: Blob, fileName: string, mode: RestoreMode): Promise<RestoreResult> {
    const result = await restoreBackup(new Uint8Array(await file.arrayBuffer()), fileName, mode);
    if (!result.ok) return result;
    this.databaseLost = false;
    await this.refresh();
    await this.openDataset(result.meta.id);
    return result;
  }

  /**
   * Fills in the images a dataset still lacks from picked files (images or zips of
   * them): those already stored, or not the dataset's, are skipped.
   */
  async addMissingImages(
    datasetId: string,
    picked: { path: string; file: Blob }[],
  ): Promise<AddImagesResult> {
    const images: { key: string; name: string; blob: Blob }[] = [];
    const worker = new ImportWorker();
    try {
      for (const { path, file } of picked) {
        const kind = classifyInputName(path);
        if (kind === 'image') images.push({ key: imageKey(path), name: path, blob: file });
        else if (kind === 'archive') {
          const expanded = await worker.expand(path, file);
          if ('error' in expanded) continue;
          for (const entry of expanded.files)
            if (classifyInputName(entry.name) === 'image')
              images.push({ key: imageKey(entry.name), name: entry.name, blob: entry.blob });
        }
      }
    } finally {
      worker.terminate();
    }
    try {
      const result = await addImages(datasetId, images);
      if (this.openId === datasetId) {
        this.images.clear();
        this.imagesVersion++;
      }
      return result;
    } finally {
      await this.refresh();
    }
  }

  async openDataset(id: string): Promise<void> {
    this.status = 'loading';
    try {
      const meta = this.datasets.find((d) => d.id === id);
      const [table, stored, filters, folder, crowd, models] = await Promise.all([
        loadSampleTable(id),
        getRuleSet(id),
        listSavedFilters(id),
        getImageFolder(id),
        getCrowd(id),
        this.loadModels(id),
        this.review.load(id),
        this.faces.load(id),
      ]);
      this.crowd = crowd ?? null;
      this.predictionRuns = models.runs;
      this.loaderCheck = models.loaderCheck;
      this.folder = folder ? { record: folder, pathOf: null } : null;
      this.folderNeedsPermission = null;
      this.images.clear();
      this.openId = id;
      this.table = table;
      this.ruleSet = stored ?? defaultRuleSet(meta?.scheme);
      this.ruleSetIsBuiltin = stored === undefined;
      this.savedFilters = filters;
      this.check = null;
      this.issues = null;
      this.overview = null;
      localStorage.setItem(lastOpenKey, id);
      this.status = 'ready';
      void this.analyse();
    } catch (error) {
      this.fail(error);
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await this.guarded('the new name', () => renameDataset(id, name));
    await this.refresh();
  }

  /** Renames the open dataset's classes and splits; ids, and so the labels, stay as they are. */
  async setNames(scheme: LabelScheme, splitNames: SplitNames): Promise<void> {
    if (!this.openId) return;
    const id = this.openId;
    await this.guarded('the new names', () => updateDatasetMeta(id, { scheme, splitNames }));
    await this.refresh();
    await this.analyse();
  }

  /** Stores an edited rule set for the open dataset; every count follows at once. */
  async updateRuleSet(ruleSet: RuleSet): Promise<void> {
    if (!this.openId) return;
    const valid = RuleSetSchema.parse(ruleSet);
    const id = this.openId;
    await this.guarded('the rule set', () => saveRuleSet(id, valid));
    this.ruleSet = valid;
    this.ruleSetIsBuiltin = false;
    await this.analyse();
  }

  async resetRuleSet(): Promise<void> {
    if (!this.openId) return;
    await deleteRuleSet(this.openId);
    this.ruleSet = defaultRuleSet(this.open?.scheme);
    this.ruleSetIsBuiltin = true;
    await this.analyse();
  }

  /**
   * An image from the dataset's own store, or read on demand from its linked folder, under
   * the sample's key or, for datasets stored before keys kept folders, its base name's.
   */
  private async loadImage(key: string): Promise<Blob | undefined> {
    for (const candidate of imageLookupKeys(key)) {
      const image = await this.loadImageUnder(candidate);
      if (image) return image;
    }
    return undefined;
  }

  private async loadImageUnder(key: string): Promise<Blob | undefined> {
    if (!this.openId) return undefined;
    const stored = await getImage(this.openId, key);
    if (stored || !this.folder) return stored;
    const folder = this.folder;
    // The key index is built on first use, not when the dataset opens.
    folder.pathOf ??= zipIndex(folder.record.keys, folder.record.paths);
    const path = folder.pathOf.get(key);
    if (!path) return undefined;
    const read = await readFromFolder(folder.record.handle, path);
    if ('blob' in read) return read.blob;
    if ('needsPermission' in read) this.folderNeedsPermission = folder.record.name;
    return undefined;
  }

  /** Asks the user, on a click, to let the page read the linked folder again. */
  async grantFolderAccess(): Promise<void> {
    if (!this.folder) return;
    if (await requestFolderAccess(this.folder.record.handle)) {
      this.folderNeedsPermission = null;
      this.images.clear();
      this.imagesVersion++;
    }
  }

  /** The open table's one-sided AUs (for the AU model), computed once per table. */
  private oneSided: { table: SampleTable; masks: Promise<Uint32Array> } | null = null;

  private oneSidedOf(table: SampleTable): Promise<Uint32Array> {
    if (this.oneSided?.table !== table) this.oneSided = { table, masks: oneSidedInSlices(table) };
    return this.oneSided.masks;
  }

  /** Recomputes check, issues and overview for the open dataset; a newer run wins. */
  async analyse(): Promise<void> {
    const table = this.table;
    const ruleSet = this.ruleSet;
    const open = this.open;
    if (!table || !ruleSet || !open) return;
    const run = ++this.analysisRun;
    this.analysing = true;
    const { names: _names, auRaw: _auRaw, ...columns } = table;
    const response = await analyseInWorker(
      {
        // Copies: the page keeps its own columns.
        columns: {
          ...columns,
          classIds: columns.classIds.slice(),
          splits: columns.splits.slice(),
          auStatus: columns.auStatus.slice(),
          auMask: columns.auMask.slice(),
          flags: columns.flags.slice(),
          auOneSided: (await this.oneSidedOf(table)).slice(),
        },
        ruleSet: $state.snapshot(ruleSet) as RuleSet,
        scheme: $state.snapshot(open.scheme),
        splitNames: $state.snapshot(open.splitNames),
        crowd: this.crowd,
        faces: this.faces.off ? null : this.faces.columns,
        datasetId: this.openId,
      },
      (answer) => {
        if (run !== this.analysisRun) return;
        this.check = answer.check;
        // The previous evidence stays shown until the new one arrives.
        if (!this.issues) this.overview = answer.overview;
      },
    );
    if (run !== this.analysisRun) return;
    this.analysing = false;
    if (!response.ok) {
      this.error = `The analysis failed: ${response.error}`;
      return;
    }
    this.issues = response.evidence;
    this.overview = response.overview;
  }

  /** The runs and the loader check of a dataset; what cannot be read is left out (the Models page says why). */
  private async loadModels(
    id: string,
  ): Promise<{ runs: PredictionRun[]; loaderCheck: LoaderCheckRecord | null }> {
    const [runs, loaderCheck] = await Promise.all([
      listPredictionRuns(id).then(
        (stored) => stored.runs,
        () => [],
      ),
      getLoaderCheck(id).then(
        (check) => check ?? null,
        () => null,
      ),
    ]);
    return { runs, loaderCheck };
  }

  /**
   * After a run is stored or removed, or a target dump checked (the Models page): the
   * sample view and the diagnosis show them, and the runs weigh in as evidence.
   */
  async modelsChanged(): Promise<void> {
    const id = this.openId;
    if (!id) return;
    const models = await this.loadModels(id);
    if (id !== this.openId) return;
    this.predictionRuns = models.runs;
    this.loaderCheck = models.loaderCheck;
    await this.analyse();
  }

  /** Stores crowd votes beside the open dataset (replacing earlier ones) and weighs them in. */
  async setCrowd(crowd: CrowdDistribution): Promise<void> {
    if (!this.openId) return;
    const id = this.openId;
    await this.guarded('the crowd votes', () => saveCrowd(id, crowd));
    this.crowd = crowd;
    await this.analyse();
  }

  async removeCrowd(): Promise<void> {
    if (!this.openId) return;
    await deleteCrowd(this.openId);
    this.crowd = null;
    await this.analyse();
  }

  async saveFilter(name: string, filter: SampleFilter): Promise<void> {
    if (!this.openId) return;
    const id = this.openId;
    await this.guarded('the filter', () => saveFilter(id, name, filter));
    this.savedFilters = await listSavedFilters(this.openId);
  }

  async deleteFilter(id: number): Promise<void> {
    if (!this.openId) return;
    await deleteSavedFilter(id);
    this.savedFilters = await listSavedFilters(this.openId);
  }

  async remove(id: string): Promise<void> {
    await deleteDataset(id);
    await this.refresh();
    if (this.openId === id) {
      this.openId = null;
      this.table = null;
      this.ruleSet = null;
      this.review.clear();
      this.images.clear();
      const next = this.datasets[0];
      if (next) await this.openDataset(next.id);
      else this.status = 'ready';
    }
  }

  async addDemo(): Promise<void> {
    this.databaseLost = false;
    const demo = await loadDemoDataset();
    await this.refresh();
    await this.openDataset(demo.id);
  }

  private fail(error: unknown): void {
    this.status = 'error';
    this.error = error instanceof Error ? error.message : String(error);
  }
}

export { defaultRuleSet };

const lastOpenKey = 'au-review:last-open-dataset';
/** How many datasets the database held when last listed. */
const heldKey = 'au-review:datasets-held';

function zipIndex(keys: string, paths: string): Map<string, string> {
  const keyList = keys ? keys.split('\n') : [];
  const pathList = paths ? paths.split('\n') : [];
  return new Map(keyList.map((key, i) => [key, pathList[i] ?? '']));
}

import { countFindings, type FaceFinding, type FindingCounts } from '../face-reading/findings';
import {
  findingsByKey,
  imagesToRead,
  readingsByKey,
  withReadings,
  type ReadingsByKey,
} from '../face-reading/reading-set';
import { FACE_MODEL_NAME, type FaceReading } from '../face-reading/reading';
import {
  faceColumns,
  faceGeometry,
  type FaceColumns,
  type FaceGeometry,
} from '../face-reading/face-columns';
import { sampleImageKey } from '../labels/images';
import type { SampleTable } from '../labels/types';
import { textAt } from '../labels/text-column';
import {
  faceOpinionOff,
  listFaceReadings,
  saveFaceReadings,
  setFaceOpinionOff,
} from '../store/face-readings';
import type { ImageToRead } from '../workers/faces-protocol';
import { startFaceReaders, type FaceReaderPool } from '../workers/faces-client';

export type FaceReadStatus = 'idle' | 'starting' | 'reading' | 'finished' | 'cancelled' | 'failed';

export interface FaceReadProgress {
  /** Images read in this run (including those with no face). */
  done: number;
  /** Images this run reads: those in scope not read before by the same model. */
  total: number;
  /** Images in scope already read before, not read again. */
  reused: number;
  /** Images in scope whose file is not available (not stored, folder not linked). */
  missing: number;
  imagesPerSecond: number;
  /** null until the rate is known. */
  secondsLeft: number | null;
}

export interface FaceStateDeps {
  datasetId: () => string | null;
  table: () => SampleTable | null;
  loadImage: (key: string) => Promise<Blob | undefined>;
  /** After readings change or the opinion is switched: the evidence is computed again. */
  changed: () => Promise<void>;
  startReaders?: (size: number) => Promise<FaceReaderPool>;
  /** Workers to run; defaults to the machine's cores, at most 2 (see faces-client.ts). */
  poolSize?: number;
  now?: () => number;
}

/** Images per batch: small enough for progress to move every fraction of a second. */
export const FACE_BATCH = 8;
/**
 * New readings reach the screens at most this often: each update re-derives the findings,
 * the counts and the geometry over every reading, which would cost more per batch than
 * the batch itself once thousands of faces are read.
 */
export const FACE_PUBLISH_MS = 1000;

/**
 * The face model's second opinion on the open dataset: its stored readings, the hard
 * findings they give, and a run that reads more images in workers with progress and
 * cancel. Only images not read before (by the same model) are read.
 */
export class FaceState {
  /** Readings of the open dataset by image key; replaced whole. */
  readings = $state.raw<ReadingsByKey>(readingsByKey([]));
  /** The user switched the face model's opinion off for this dataset. */
  off = $state(false);
  status = $state<FaceReadStatus>('idle');
  progress = $state.raw<FaceReadProgress | null>(null);
  error = $state<string | null>(null);
  /** Stored readings that could not be read back (said, not used). */
  unreadable = $state(0);
  backend = $state<string | null>(null);

  findings = $derived<ReadonlyMap<string, FaceFinding[]>>(findingsByKey(this.readings));
  counts = $derived<FindingCounts>(
    countFindings(this.readings.values(), (r) => this.findings.get(r.imageKey) ?? []),
  );
  /** Landmark measures and AU cue scores of every read face (relative to this dataset's faces). */
  geometry = $derived<FaceGeometry>(faceGeometry(this.readings.values()));
  /** The readings per sample, for the evidence and the screens; null when nothing was read. */
  columns = $derived.by((): FaceColumns | null => {
    const table = this.deps.table();
    if (!table || this.readings.size === 0) return null;
    return faceColumns(
      table.count,
      (i) => sampleImageKey(textAt(table.names, i)),
      this.readings,
      this.geometry,
    );
  });

  private cancelled = false;
  private pool: FaceReaderPool | null = null;
  private loadRun = 0;

  constructor(private readonly deps: FaceStateDeps) {}

  /** Loads the stored readings and the on/off setting of a dataset. */
  async load(datasetId: string | null): Promise<void> {
    const run = ++this.loadRun;
    this.cancel();
    if (!datasetId) {
      this.readings = readingsByKey([]);
      this.off = false;
      return;
    }
    const [stored, off] = await Promise.all([
      listFaceReadings(datasetId),
      faceOpinionOff(datasetId),
    ]);
    if (run !== this.loadRun) return;
    this.readings = readingsByKey(stored.readings);
    this.unreadable = stored.unreadable.length;
    this.off = off;
    this.status = 'idle';
    this.progress = null;
    this.error = null;
  }

  /** The reading of a sample's image, or undefined when it was not read. */
  readingOf(name: string): FaceReading | undefined {
    return this.readings.get(sampleImageKey(name));
  }

  get running(): boolean {
    return this.status === 'starting' || this.status === 'reading';
  }

  /** Reads the faces of the given samples' images (each image once). */
  async read(sampleIndices: Iterable<number>): Promise<void> {
    const datasetId = this.deps.datasetId();
    const table = this.deps.table();
    if (!datasetId || !table || this.running) return;
    const sampleKeys = Array.from(sampleIndices, (i) => sampleImageKey(textAt(table.names, i)));
    const { todo, reused } = imagesToRead(sampleKeys, this.readings, FACE_MODEL_NAME);
    const now = this.deps.now ?? (() => performance.now());
    this.cancelled = false;
    this.error = null;
    this.progress = {
      done: 0,
      total: todo.length,
      reused,
      missing: 0,
      imagesPerSecond: 0,
      secondsLeft: null,
    };
    if (todo.length === 0) {
      this.status = 'finished';
      return;
    }
    this.status = 'starting';
    try {
      const size =
        this.deps.poolSize ??
        Math.max(1, Math.min(2, globalThis.navigator?.hardwareConcurrency ?? 1));
      this.pool = await (this.deps.startReaders ?? startFaceReaders)(size);
      this.backend = this.pool.backend;
    } catch (error) {
      this.status = 'failed';
      this.error = `The face model could not start: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    if (this.cancelled) return this.stopPool('cancelled');
    this.status = 'reading';
    const pool = this.pool;
    const started = now();
    let done = 0;
    let missing = 0;
    let next = 0;
    let unpublished: FaceReading[] = [];
    let published = started;
    const publish = () => {
      if (unpublished.length > 0) this.readings = withReadings(this.readings, unpublished);
      unpublished = [];
      published = now();
    };
    const takeBatch = async (): Promise<ImageToRead[] | null> => {
      while (next < todo.length && !this.cancelled) {
        const keysOfBatch = todo.slice(next, next + FACE_BATCH);
        next += keysOfBatch.length;
        const images: ImageToRead[] = [];
        for (const key of keysOfBatch) {
          const blob = await this.deps.loadImage(key);
          if (blob) images.push({ key, blob });
          else missing++;
        }
        if (images.length > 0) return images;
        this.report(done, todo.length, reused, missing, started, now());
      }
      return null;
    };
    // Two batches in flight per worker, so that a worker never waits for the page to fetch images.
    const lane = async () => {
      for (let images = await takeBatch(); images; images = await takeBatch()) {
        const readings = await pool.read(datasetId, images);
        if (this.deps.datasetId() !== datasetId)
          throw new Error('the dataset was closed while its faces were read');
        await saveFaceReadings(datasetId, readings);
        unpublished.push(...readings);
        done += readings.length;
        if (now() - published >= FACE_PUBLISH_MS) publish();
        this.report(done, todo.length, reused, missing, started, now());
      }
    };
    try {
      await Promise.all(Array.from({ length: pool.size * 2 }, lane));
      publish();
      this.stopPool(this.cancelled ? 'cancelled' : 'finished');
    } catch (error) {
      publish();
      this.stopPool('failed');
      this.error = `Reading the faces stopped: ${error instanceof Error ? error.message : String(error)}. The images read so far are kept.`;
    }
    await this.deps.changed();
  }

  /** Stops a run after the batches in flight; what was read is kept. */
  cancel(): void {
    if (!this.running) return;
    this.cancelled = true;
  }

  async setOff(off: boolean): Promise<void> {
    const datasetId = this.deps.datasetId();
    if (!datasetId) return;
    await setFaceOpinionOff(datasetId, off);
    this.off = off;
    await this.deps.changed();
  }

  private report(
    done: number,
    total: number,
    reused: number,
    missing: number,
    started: number,
    at: number,
  ) {
    const seconds = (at - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    this.progress = {
      done,
      total,
      reused,
      missing,
      imagesPerSecond: rate,
      secondsLeft: rate > 0 ? Math.max(0, total - done - missing) / rate : null,
    };
  }

  private stopPool(status: FaceReadStatus): void {
    this.pool?.close();
    this.pool = null;
    this.status = status;
  }
}

import { suggestDatasetName } from '../formats/import';
import type { CsvMapping, ImportOptions } from '../formats/import';
import { imageKey } from '../labels/images';
import type { SourceFile, SourceFormat } from '../labels/types';
import { fileVerdicts, roleChoices, type FileVerdict } from '../formats/verdicts';
import { classifyInputName } from '../input/input-files';
import type { DatasetMeta } from '../store/records';
import { ImportWorker, type LabelFileToRead, type ParseSummary } from '../workers/import-client';
import { linkImageFolder } from '../store/folders';
import { indexImageFolder, pickFolder } from './image-folder';

export interface ImportProgress {
  /** Reading the files; checking the rows of a file read whole (a CSV); saving. */
  stage: 'reading' | 'checking' | 'saving';
  /** Rows read, checked, or written. */
  rowsDone: number;
  /** Rows to check or write; null while reading (the files' row count is not known yet). */
  rowsTotal: number | null;
  /** Share done, 0-1: bytes read of all bytes, or rows checked or written of all rows. */
  fraction: number;
  /** When this stage started (its rate and time left are measured from here). */
  startedAt: number;
  /** While reading: files read, of all files. */
  files?: { done: number; total: number };
}

export interface PickedImage {
  key: string;
  name: string;
  blob: Blob;
}

/** A file from a drop or a picker, with the folder path the browser gives it. */
export interface PickedFile {
  path: string;
  file: Blob;
}

/**
 * One import, from files picked to a stored dataset. Nothing touches the
 * database until `save`, and `save` writes all or nothing.
 */
export class ImportSession {
  labelFiles = $state.raw<LabelFileToRead[]>([]);
  images = $state.raw<PickedImage[]>([]);
  /** Files that could not be read at all (damaged zip, unknown kind). */
  rejectedFiles = $state.raw<string[]>([]);
  options = $state<ImportOptions>({});
  result = $state.raw<ParseSummary | null>(null);
  /** Per file: what it was read as and why, or why it was not taken. */
  readonly verdicts: FileVerdict[] = $derived(
    this.result
      ? fileVerdicts(
          this.result.detection,
          this.result.report,
          this.result.format,
          this.options.roles,
        )
      : [],
  );
  /** The roles a file can be given in the format read; more than one: the screen asks. */
  readonly roles: SourceFile['role'][] = $derived(
    this.result ? roleChoices(this.result.format) : [],
  );
  status = $state<
    'empty' | 'reading' | 'parsing' | 'ready' | 'saving' | 'saved' | 'cancelled' | 'failed'
  >('empty');
  error = $state<string | null>(null);
  name = $state('');
  /**
   * While the files are read (in the worker, as streams) or the dataset is written:
   * rows so far, the share done (bytes read, or rows written), since when.
   */
  progress = $state<ImportProgress | null>(null);

  /** An image folder read on demand instead of copied (where the browser allows it). */
  linkedFolder = $state.raw<{
    handle: FileSystemDirectoryHandle;
    entries: { key: string; path: string }[];
  } | null>(null);

  private readonly worker = new ImportWorker();
  private parseId = 0;

  constructor() {
    this.worker.warmUp();
  }

  canSave = $derived(this.status === 'ready' && this.result !== null && this.result.count > 0);

  async addFiles(picked: PickedFile[]): Promise<void> {
    this.status = 'reading';
    const labelFiles = [...this.labelFiles];
    const images = [...this.images];
    const rejected = [...this.rejectedFiles];
    for (const { path, file } of picked) {
      const kind = classifyInputName(path);
      if (kind === 'label') {
        // The worker reads it as a stream: the page never holds its bytes.
        labelFiles.push({ name: path, blob: file });
      } else if (kind === 'image') {
        images.push({ key: imageKey(path), name: path, blob: file });
      } else if (kind === 'archive') {
        const expanded = await this.worker.expand(path, file);
        if ('error' in expanded) {
          rejected.push(expanded.error);
          continue;
        }
        // Entries not read (a path out of the archive, a nested zip, over a limit) are
        // listed with their reasons, never dropped without a word.
        rejected.push(...expanded.refused);
        for (const entry of expanded.files) {
          const entryKind = classifyInputName(entry.name);
          if (entryKind === 'label') labelFiles.push({ name: entry.name, blob: entry.blob });
          else if (entryKind === 'image')
            images.push({ key: imageKey(entry.name), name: entry.name, blob: entry.blob });
        }
      } else {
        rejected.push(`${path}: not a label file (.txt, .csv, .tsv), an image or a .zip; skipped`);
      }
    }
    this.labelFiles = dedupeByName(labelFiles);
    this.images = images;
    this.rejectedFiles = rejected;
    if (!this.name) this.name = suggestName(this.labelFiles);
    await this.parse();
  }

  async setFormat(format: SourceFormat | undefined): Promise<void> {
    // Roles said for another format mean nothing in this one.
    this.options = { ...this.options, format, roles: {} };
    await this.parse();
  }

  /** Says what a file is in the chosen format (its role), when detection guessed wrong. */
  async setRole(fileName: string, role: SourceFile['role']): Promise<void> {
    this.options = { ...this.options, roles: { ...this.options.roles, [fileName]: role } };
    await this.parse();
  }

  async setPresenceThreshold(threshold: number): Promise<void> {
    if (!Number.isFinite(threshold)) return;
    this.options = { ...this.options, presenceThreshold: threshold };
    await this.parse();
  }

  async setScheme(schemeId: string): Promise<void> {
    this.options = { ...this.options, schemeId };
    await this.parse();
  }

  async setCsvMapping(csvMapping: CsvMapping): Promise<void> {
    this.options = { ...this.options, csvMapping };
    await this.parse();
  }

  async parse(): Promise<void> {
    if (this.labelFiles.length === 0) {
      this.result = null;
      this.status = this.images.length > 0 || this.rejectedFiles.length > 0 ? 'ready' : 'empty';
      return;
    }
    this.status = 'parsing';
    this.error = null;
    const startedAt = performance.now();
    this.progress = { stage: 'reading', rowsDone: 0, rowsTotal: null, fraction: 0, startedAt };
    try {
      const parsed = await this.worker.parse(
        // Blobs are handed over by reference, not copied.
        this.labelFiles.map(({ name, blob }) => ({ name, blob })),
        {
          ...$state.snapshot(this.options),
          // Without images there is nothing to match: no "label without image" noise.
          imageNames:
            this.images.length > 0 || this.linkedFolder
              ? [
                  // Copied images first: the worker keeps those a label names, by position.
                  ...this.images.map((image) => image.name),
                  ...(this.linkedFolder?.entries.map((entry) => entry.path) ?? []),
                ]
              : undefined,
        },
        (progress) => {
          if (progress.stage === 'reading') {
            const { bytesRead, bytesTotal, rowsRead, filesDone, filesTotal } = progress;
            this.progress = {
              stage: 'reading',
              rowsDone: rowsRead,
              rowsTotal: null,
              fraction: bytesTotal > 0 ? bytesRead / bytesTotal : 1,
              startedAt,
              files: { done: filesDone, total: filesTotal },
            };
          } else {
            const { rowsDone, rowsTotal } = progress;
            this.progress = {
              stage: 'checking',
              rowsDone,
              rowsTotal,
              fraction: rowsTotal > 0 ? rowsDone / rowsTotal : 1,
              startedAt:
                this.progress?.stage === 'checking' ? this.progress.startedAt : performance.now(),
            };
          }
        },
      );
      if (!parsed) {
        this.result = null;
        this.status = 'cancelled';
        return;
      }
      this.parseId = parsed.parseId;
      this.result = parsed.summary;
      this.status = 'ready';
    } catch (error) {
      this.fail(error);
    } finally {
      this.progress = null;
    }
  }

  /** Writes the dataset in the worker, all or nothing; null when it failed or was cancelled. */
  async save(): Promise<DatasetMeta | null> {
    if (!this.canSave) return null;
    this.status = 'saving';
    const rowsTotal = this.result?.count ?? 0;
    this.progress = {
      stage: 'saving',
      rowsDone: 0,
      rowsTotal,
      fraction: 0,
      startedAt: performance.now(),
    };
    try {
      const saved = await this.worker.save(
        this.parseId,
        this.name.trim() || suggestName(this.labelFiles),
        this.images.map(({ key, name, blob }) => ({ key, name, blob })),
        ({ rowsDone, rowsTotal }) => {
          if (this.progress)
            this.progress = {
              ...this.progress,
              rowsDone,
              rowsTotal,
              fraction: rowsTotal > 0 ? rowsDone / rowsTotal : 1,
            };
        },
      );
      const meta = saved?.meta ?? null;
      if (saved && this.linkedFolder) {
        const { handle, entries } = this.linkedFolder;
        const { linkedKeys } = saved;
        await linkImageFolder({
          datasetId: saved.meta.id,
          name: handle.name,
          handle,
          // The key each image was matched by: frames of two videos may share a base name.
          keys: entries.map((e, index) => linkedKeys[index] || e.key).join('\n'),
          paths: entries.map((e) => e.path).join('\n'),
        });
      }
      this.status = meta ? 'saved' : 'cancelled';
      return meta;
    } catch (error) {
      this.fail(error);
      return null;
    } finally {
      this.progress = null;
    }
  }

  /** Links an image folder: its images are matched now and read only when shown. */
  async linkFolder(): Promise<void> {
    const handle = await pickFolder();
    if (!handle) return;
    this.status = 'reading';
    const entries = await indexImageFolder(handle);
    this.linkedFolder = { handle, entries };
    await this.parse();
  }

  /** Stops the reading or the save in progress; the database stays as it was. */
  cancel(): void {
    this.worker.cancel();
  }

  dispose(): void {
    this.worker.terminate();
  }

  private fail(error: unknown): void {
    this.status = 'failed';
    this.error = error instanceof Error ? error.message : String(error);
  }
}

/** A file picked twice counts once: the later pick wins. */
function dedupeByName(files: LabelFileToRead[]): LabelFileToRead[] {
  return files.filter((file, i) => !files.slice(i + 1).some((later) => later.name === file.name));
}

function suggestName(files: LabelFileToRead[]): string {
  return suggestDatasetName(files.map((f) => f.name));
}

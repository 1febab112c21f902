import { readCrowdDistribution, type CrowdDistribution } from '../label-evidence/crowd-file';
import type { InputFile, Problem, SampleTable } from '../labels/types';
import type { DatasetLibrary } from './library.svelte';

export type CrowdImportStatus = 'idle' | 'reading' | 'ready' | 'saving' | 'error';

/** How many problems the panel lists; the rest are counted. */
export const CROWD_PROBLEM_LIST_CAP = 200;

/** A crowd file read against the open dataset, not stored yet. */
export interface CrowdImportResult {
  fileName: string;
  /** The votes aligned to the dataset's samples; null when no row names a sample. */
  crowd: CrowdDistribution | null;
  /** Every problem, by line; line 0 concerns the whole file. */
  problems: Problem[];
  errors: number;
  warnings: number;
  /** Problems about the whole file (line 0): when the file gave nothing at all, the reason. */
  fileProblems: Problem[];
  /** Data rows (non-blank lines other than a header line). */
  rowsRead: number;
  /** Rows that gave some sample its shares. */
  rowsAccepted: number;
  /** Rows rejected as malformed or repeated. */
  rowsRejected: number;
  /** Well-formed rows whose image is not in the dataset. */
  rowsSkipped: number;
  /** Samples that have a row. */
  samplesMatched: number;
  /** Samples of the dataset. */
  samples: number;
  /** The dataset and the table the votes were aligned to: saving them beside another would misalign them. */
  datasetId: string;
  table: SampleTable;
}

/**
 * One import of crowd votes (RAF-ML distribution.txt) beside the open dataset: a
 * file is picked and read into a report, and nothing is stored until `save`.
 */
export class CrowdImport {
  result = $state.raw<CrowdImportResult | null>(null);
  status = $state<CrowdImportStatus>('idle');
  /** What went wrong, when status is 'error' (or a removal failed). */
  error = $state<string | null>(null);
  /** While the stored votes are being removed. */
  removing = $state(false);

  private pickRun = 0;

  constructor(private readonly library: () => DatasetLibrary) {}

  /**
   * Whether the picked file can be stored: it gave at least one sample its shares,
   * and the dataset it was read against is still the one open. After a failed save
   * (status 'error') the same votes can be saved again.
   */
  canSave = $derived.by(
    () =>
      (this.status === 'ready' || this.status === 'error') &&
      this.result !== null &&
      this.result.crowd !== null &&
      this.result.table === this.library().table,
  );

  /** The picked file was read against a dataset that is no longer the open one. */
  stale = $derived.by(() => this.result !== null && this.result.table !== this.library().table);

  /** The problems the panel lists, and how many it leaves out. */
  shownProblems = $derived(this.result?.problems.slice(0, CROWD_PROBLEM_LIST_CAP) ?? []);
  hiddenProblems = $derived(
    Math.max(0, (this.result?.problems.length ?? 0) - CROWD_PROBLEM_LIST_CAP),
  );

  /** Reads a picked file against the open dataset's image names; a later pick wins. */
  async pick(file: File): Promise<void> {
    const library = this.library();
    const table = library.table;
    const datasetId = library.openId;
    const run = ++this.pickRun;
    this.error = null;
    if (!table || !datasetId) {
      this.result = null;
      this.status = 'error';
      this.error = 'Open a dataset first: crowd votes are read against its image names.';
      return;
    }
    this.status = 'reading';
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      if (run !== this.pickRun) return;
      this.result = null;
      this.status = 'error';
      this.error = `Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    if (run !== this.pickRun) return;
    const input: InputFile = { name: file.name, bytes };
    const { crowd, problems, rows } = readCrowdDistribution(input, table.names);
    const fileProblems = problems.filter((p) => p.line === 0);
    this.result = {
      fileName: file.name,
      crowd,
      problems,
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity === 'warning').length,
      fileProblems,
      rowsRead: rows.read,
      rowsAccepted: rows.accepted,
      rowsRejected: rows.rejected,
      rowsSkipped: rows.skipped,
      samplesMatched: crowd?.matched ?? 0,
      samples: table.count,
      datasetId,
      table,
    };
    if (crowd) {
      this.status = 'ready';
    } else {
      this.status = 'error';
      this.error =
        fileProblems.find((p) => p.severity === 'error')?.message ??
        'the file gave no sample its shares; nothing imported';
    }
  }

  /** Stores the picked votes beside the open dataset (replacing earlier ones), then clears. */
  async save(): Promise<boolean> {
    const result = this.result;
    const crowd = result?.crowd;
    if (!result || !crowd) return false;
    const library = this.library();
    if (library.openId !== result.datasetId || library.table !== result.table) {
      this.status = 'error';
      this.error = 'Another dataset was opened since the file was read; pick the file again.';
      return false;
    }
    if (this.status === 'reading' || this.status === 'saving') return false;
    this.status = 'saving';
    this.error = null;
    try {
      await library.setCrowd(crowd);
    } catch (error) {
      this.status = 'error';
      this.error = `Could not save the crowd votes: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    }
    this.clear();
    return true;
  }

  /** Forgets the picked file; nothing was stored. */
  discard(): void {
    this.pickRun++;
    this.clear();
  }

  /** Removes the crowd votes stored beside the open dataset. */
  async remove(): Promise<boolean> {
    this.removing = true;
    this.error = null;
    try {
      await this.library().removeCrowd();
      return true;
    } catch (error) {
      this.error = `Could not remove the crowd votes: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    } finally {
      this.removing = false;
    }
  }

  private clear(): void {
    this.result = null;
    this.status = 'idle';
    this.error = null;
  }
}

import {
  defaultExportPolicy,
  describePolicy,
  selectForExport,
  type ExportPolicy,
  type ExportSelection,
} from '../export/policy';
import type { SampleTable } from '../labels/types';
import type { Decision, FinalLabels, FlagReason } from '../review/decision';
import type { DatasetMeta } from '../store/records';
import { buildExportZipInWorker } from '../workers/export-client';
import type { ExportRequest } from '../workers/export-protocol';

/** Which samples the export starts from. */
export type ExportScope = 'all' | 'filter' | 'selection';

/** The options the screen edits: the policy but its subset, which the scope gives. */
export type ExportOptions = Omit<ExportPolicy, 'subset'>;

/** What the export reads of the open dataset (the dataset library gives all of it). */
export interface ExportSource {
  readonly open: Pick<
    DatasetMeta,
    'id' | 'name' | 'format' | 'scheme' | 'splitNames' | 'sourceFiles' | 'csv'
  > | null;
  readonly table: SampleTable | null;
  readonly check: { readonly score: Float32Array } | null;
  /** The label evidence; null until the analysis has computed it. */
  readonly issues: { readonly flagged: Uint8Array } | null;
  readonly analysing: boolean;
  readonly review: { readonly final: FinalLabels | null; readonly active: Decision[] };
}

/** What the export reads of the grid: the filter's samples and the selection. */
export interface ExportGrid {
  readonly indices: Int32Array;
  readonly selection: { readonly count: number; indices(): number[] };
}

/** Writes the export zip (in a worker in the app). */
export type ExportBuilder = (request: Omit<ExportRequest, 'id'>) => Promise<Uint8Array>;

/** The export last written and handed to `save`. */
export interface SavedExport {
  fileName: string;
  bytes: number;
}

const numberFormat = new Intl.NumberFormat('en');
const format = (n: number) => numberFormat.format(n);

function withoutSubset(policy: ExportPolicy): ExportOptions {
  const { subset: _subset, ...options } = policy;
  return options;
}

/** The zip's name: the dataset's name with what a file name cannot hold replaced. */
export function exportFileName(datasetName: string): string {
  return `${datasetName.replace(/[^\w.-]+/g, '_')}-export.zip`;
}

/**
 * One export of the open dataset: the options, the preview they give (the same
 * selection the worker makes, with the check of what is written), and writing the
 * zip. The zip is written by `build` (the export worker) and handed to `save`.
 */
export class ExportSession {
  scope = $state<ExportScope>('all');
  options = $state<ExportOptions>(withoutSubset(defaultExportPolicy()));
  busy = $state(false);
  error = $state<string | null>(null);
  saved = $state.raw<SavedExport | null>(null);

  private readonly build: ExportBuilder;
  private readonly save: (fileName: string, zip: Uint8Array) => void;

  constructor(
    private readonly source: () => ExportSource,
    private readonly grid: () => ExportGrid,
    deps: { build?: ExportBuilder; save: (fileName: string, zip: Uint8Array) => void },
  ) {
    this.build = deps.build ?? buildExportZipInWorker;
    this.save = deps.save;
  }

  /** The samples of the scope, ascending; null for the whole dataset. */
  readonly subset: ExportPolicy['subset'] = $derived.by(() => {
    if (this.scope === 'filter') return Int32Array.from(this.grid().indices).sort();
    if (this.scope === 'selection') return Int32Array.from(this.grid().selection.indices());
    return null;
  });

  readonly policy: ExportPolicy = $derived({
    ...$state.snapshot(this.options),
    subset: this.subset,
  });

  /**
   * The preview; null while no dataset is open. Checked as the export checks what it
   * writes, so that it counts the samples whose stored labels cannot be written safely.
   */
  readonly selection: ExportSelection | null = $derived.by(() => {
    const { open, table, review, check, issues } = this.source();
    if (!open || !table) return null;
    return selectForExport(
      table,
      review.final,
      check?.score ?? null,
      this.policy,
      issues?.flagged ?? null,
      { scheme: open.scheme, format: open.format },
    );
  });

  /** Samples left out because their stored labels cannot be written safely. */
  readonly invalidCount: number = $derived(this.selection?.byReason['invalid-label'] ?? 0);

  /** The policy in plain sentences, with what the evidence does to it. */
  readonly sentences: string[] = $derived(describePolicy(this.policy, this.selection?.evidence));

  /** What dropping the likely mislabelled samples does, or why it does nothing yet. */
  readonly evidenceHint: string = $derived.by(() => {
    const evidence = this.selection?.evidence;
    if (!evidence) return '';
    if (!evidence.computed) {
      return this.source().analysing
        ? 'The evidence is being computed; until then no sample is dropped for it.'
        : 'The evidence is not computed yet; no sample is dropped for it.';
    }
    const count = `${format(evidence.droppable)} ${evidence.droppable === 1 ? 'sample' : 'samples'}`;
    const decided =
      evidence.decided > 0
        ? ` ${format(evidence.decided)} accepted or corrected by a reviewer stay.`
        : '';
    return this.options.dropLikelyMislabelled
      ? `Drops ${count}.${decided}`
      : `Would drop ${count}.${decided}`;
  });

  readonly canExport: boolean = $derived(
    !this.busy && this.selection !== null && this.selection.keptCount > 0,
  );

  /** Drops (or keeps) the samples flagged with this reason. */
  dropFlagged(reason: FlagReason, drop: boolean): void {
    const others = this.options.dropFlagged.filter((r) => r !== reason);
    this.options.dropFlagged = drop ? [...others, reason] : others;
  }

  /** The minimum check score as typed: empty means none. */
  setMinScore(text: string): void {
    const value = text.trim() === '' ? null : Number(text);
    this.options.minScore = value === null || Number.isFinite(value) ? value : null;
  }

  /** Writes the zip of what the preview shows and saves it; a failure is kept in `error`. */
  async exportZip(): Promise<void> {
    const { open, table, review, check, issues } = this.source();
    if (!open || !table || !this.canExport) return;
    this.busy = true;
    this.error = null;
    this.saved = null;
    try {
      const zip = await this.build({
        dataset: open.name,
        format: open.format,
        scheme: $state.snapshot(open.scheme),
        splitNames: $state.snapshot(open.splitNames),
        datasetId: open.id,
        sourceFiles: $state.snapshot(open.sourceFiles),
        csv: open.csv ?? null,
        decisions: $state.snapshot(review.active),
        checkScore: check?.score ?? null,
        flagged: issues?.flagged ?? null,
        policy: this.policy,
      });
      const fileName = exportFileName(open.name);
      this.save(fileName, zip);
      this.saved = { fileName, bytes: zip.length };
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }
}

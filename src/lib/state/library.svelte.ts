import type { DatasetMeta } from '../store/records';
import {
  deleteDataset,
  getImage,
  listDatasets,
  loadSampleTable,
  renameDataset,
  requestPersistentStorage,
  updateDatasetMeta,
} from '../store/datasets';
import type { LabelScheme, SampleTable, SplitNames } from '../labels/types';
import { loadDemoDataset } from './demo';
import { ImageCache } from './image-cache';

export type { DatasetMeta };

/**
 * The datasets this browser holds and the one that is open. Everything the
 * screens show about stored data comes from here.
 */
export class DatasetLibrary {
  datasets = $state.raw<DatasetMeta[]>([]);
  openId = $state<string | null>(null);
  /** The open dataset's samples, replaced whole, never mutated. */
  table = $state.raw<SampleTable | null>(null);
  status = $state<'starting' | 'loading' | 'ready' | 'error'>('starting');
  error = $state<string | null>(null);

  readonly images = new ImageCache((key) =>
    this.openId ? getImage(this.openId, key) : Promise.resolve(undefined),
  );

  open = $derived(this.datasets.find((d) => d.id === this.openId) ?? null);

  /** Lists stored datasets and opens the last one used, or the demo on a first visit. */
  async start(): Promise<void> {
    try {
      void requestPersistentStorage();
      await this.refresh();
      if (this.datasets.length === 0) {
        const demo = await loadDemoDataset();
        await this.refresh();
        await this.openDataset(demo.id);
        return;
      }
      const remembered = localStorage.getItem(lastOpenKey);
      const first = this.datasets.find((d) => d.id === remembered) ?? this.datasets[0];
      if (first) await this.openDataset(first.id);
    } catch (error) {
      this.fail(error);
    }
  }

  async refresh(): Promise<void> {
    this.datasets = await listDatasets();
  }

  async openDataset(id: string): Promise<void> {
    this.status = 'loading';
    try {
      const table = await loadSampleTable(id);
      this.images.clear();
      this.openId = id;
      this.table = table;
      localStorage.setItem(lastOpenKey, id);
      this.status = 'ready';
    } catch (error) {
      this.fail(error);
    }
  }

  async rename(id: string, name: string): Promise<void> {
    await renameDataset(id, name);
    await this.refresh();
  }

  /** Renames the open dataset's classes and splits; ids, and so the labels, stay as they are. */
  async setNames(scheme: LabelScheme, splitNames: SplitNames): Promise<void> {
    if (!this.openId) return;
    await updateDatasetMeta(this.openId, { scheme, splitNames });
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    await deleteDataset(id);
    await this.refresh();
    if (this.openId === id) {
      this.openId = null;
      this.table = null;
      this.images.clear();
      const next = this.datasets[0];
      if (next) await this.openDataset(next.id);
      else this.status = 'ready';
    }
  }

  async addDemo(): Promise<void> {
    const demo = await loadDemoDataset();
    await this.refresh();
    await this.openDataset(demo.id);
  }

  private fail(error: unknown): void {
    this.status = 'error';
    this.error = error instanceof Error ? error.message : String(error);
  }
}

const lastOpenKey = 'au-review:last-open-dataset';

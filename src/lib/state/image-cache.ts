import type { ThumbnailStore } from '../store/thumbnails';
import { makeThumbnail } from '../workers/thumbnail-client';

export interface ImageCacheOptions {
  /** Thumbnails kept across reloads; without one, every visit shrinks every image again. */
  thumbnails?: Pick<ThumbnailStore, 'get' | 'put'>;
  /** The open dataset, whose thumbnails are looked up and stored (null: none is open). */
  datasetId?: () => string | null;
  /** Object URLs kept per kind (full images, thumbnails) before the oldest are revoked. */
  capacity?: number;
  /** Shrinks an image to a thumbnail; null when it cannot (SVG, undecodable formats). */
  shrink?: (blob: Blob) => Promise<Blob | null>;
}

/**
 * Object URLs for face images and their thumbnails, made on demand and revoked when
 * the open dataset changes or the cache grows past its bound, so thousands of grid
 * cells never pin thousands of decoded photos. Thumbnails are looked up in the
 * persistent store first and stored there when made, so a reload decodes nothing again.
 */
export class ImageCache {
  private readonly full = new Map<string, Promise<string | null>>();
  private readonly small = new Map<string, Promise<string | null>>();
  private readonly thumbnails: Pick<ThumbnailStore, 'get' | 'put'> | null;
  private readonly datasetId: () => string | null;
  private readonly capacity: number;
  private readonly shrink: (blob: Blob) => Promise<Blob | null>;
  /** Bumped by clear(): work begun before it must not store under the new dataset. */
  private generation = 0;

  constructor(
    private readonly load: (key: string) => Promise<Blob | undefined>,
    options: ImageCacheOptions = {},
  ) {
    this.thumbnails = options.thumbnails ?? null;
    this.datasetId = options.datasetId ?? (() => null);
    this.capacity = options.capacity ?? 600;
    this.shrink = options.shrink ?? ((blob) => makeThumbnail(blob));
  }

  /** The full image, for the canvas. */
  url(key: string): Promise<string | null> {
    return this.remember(this.full, key, () =>
      this.load(key).then((blob) => (blob ? URL.createObjectURL(blob) : null)),
    );
  }

  /**
   * A thumbnail for the grid: the stored one, else one made off the main thread (and
   * stored), else the original where it cannot be shrunk.
   */
  thumbnailUrl(key: string): Promise<string | null> {
    return this.remember(this.small, key, async () => {
      const datasetId = this.datasetId();
      const generation = this.generation;
      const saved = datasetId === null ? undefined : await this.lookUp(datasetId, key);
      if (saved) return URL.createObjectURL(saved);
      const blob = await this.load(key);
      if (!blob) return null;
      const thumbnail = await this.shrink(blob);
      // Stored only while the same dataset is still open (the loader reads the open one).
      // Not awaited: the grid shows it at once; a failed write (quota) only means it is
      // made again next time.
      const same = generation === this.generation && datasetId === this.datasetId();
      if (thumbnail && datasetId !== null && same)
        void this.thumbnails?.put(datasetId, key, thumbnail).catch(() => undefined);
      return URL.createObjectURL(thumbnail ?? blob);
    });
  }

  clear(): void {
    this.generation++;
    for (const cache of [this.full, this.small]) {
      for (const pending of cache.values()) void pending.then(revoke);
      cache.clear();
    }
  }

  private remember(
    cache: Map<string, Promise<string | null>>,
    key: string,
    make: () => Promise<string | null>,
  ): Promise<string | null> {
    const cached = cache.get(key);
    if (cached) {
      // Re-inserted to mark it as recently used.
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const pending = make();
    cache.set(key, pending);
    while (cache.size > this.capacity) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      const evicted = cache.get(oldest);
      cache.delete(oldest);
      void evicted?.then(revoke);
    }
    return pending;
  }

  /** The stored thumbnail; a store that fails to read is a miss, never a broken grid. */
  private async lookUp(datasetId: string, key: string): Promise<Blob | undefined> {
    if (!this.thumbnails) return undefined;
    try {
      return await this.thumbnails.get(datasetId, key);
    } catch {
      return undefined;
    }
  }
}

function revoke(url: string | null): void {
  if (url) URL.revokeObjectURL(url);
}

import { makeThumbnail } from '../workers/thumbnail-client';

/**
 * Object URLs for face images and their thumbnails, made on demand and revoked when
 * the open dataset changes or the cache grows past its bound, so thousands of grid
 * cells never pin thousands of decoded photos.
 */
export class ImageCache {
  private readonly full = new Map<string, Promise<string | null>>();
  private readonly small = new Map<string, Promise<string | null>>();

  constructor(
    private readonly load: (key: string) => Promise<Blob | undefined>,
    private readonly capacity = 600,
  ) {}

  /** The full image, for the canvas. */
  url(key: string): Promise<string | null> {
    return this.remember(this.full, key, () =>
      this.load(key).then((blob) => (blob ? URL.createObjectURL(blob) : null)),
    );
  }

  /** A thumbnail made off the main thread (or the original where it cannot be shrunk), for the grid. */
  thumbnailUrl(key: string): Promise<string | null> {
    return this.remember(this.small, key, async () => {
      const blob = await this.load(key);
      if (!blob) return null;
      const thumbnail = await makeThumbnail(blob);
      return URL.createObjectURL(thumbnail ?? blob);
    });
  }

  clear(): void {
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
}

function revoke(url: string | null): void {
  if (url) URL.revokeObjectURL(url);
}

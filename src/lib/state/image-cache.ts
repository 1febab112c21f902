/**
 * Object URLs for image blobs, made on demand and revoked when the open dataset
 * changes or the cache grows past its bound, so thousands of thumbnails never
 * pin thousands of blobs.
 */
export class ImageCache {
  private readonly urls = new Map<string, Promise<string | null>>();

  constructor(
    private readonly load: (key: string) => Promise<Blob | undefined>,
    private readonly capacity = 600,
  ) {}

  url(key: string): Promise<string | null> {
    const cached = this.urls.get(key);
    if (cached) {
      // Re-insert to mark as recently used.
      this.urls.delete(key);
      this.urls.set(key, cached);
      return cached;
    }
    const pending = this.load(key).then((blob) => (blob ? URL.createObjectURL(blob) : null));
    this.urls.set(key, pending);
    this.evict();
    return pending;
  }

  clear(): void {
    for (const pending of this.urls.values()) void pending.then(revoke);
    this.urls.clear();
  }

  private evict(): void {
    while (this.urls.size > this.capacity) {
      const oldest = this.urls.keys().next().value;
      if (oldest === undefined) return;
      const pending = this.urls.get(oldest);
      this.urls.delete(oldest);
      void pending?.then(revoke);
    }
  }
}

function revoke(url: string | null): void {
  if (url) URL.revokeObjectURL(url);
}

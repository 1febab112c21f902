import { getDb, type AuReviewDb } from './db';
import {
  THUMBNAIL_RECORD_VERSION,
  ThumbnailRecordSchema,
  type ThumbnailRecord,
} from './thumbnail-records';

export { THUMBNAIL_RECORD_VERSION, ThumbnailRecordSchema, type ThumbnailRecord };

/**
 * Grid thumbnails kept across reloads, so that a large image folder is decoded and
 * shrunk once, not on every visit. Only thumbnails the worker actually made are kept
 * (never the originals); the table is bounded and evicts the least recently used.
 */

/** What the image cache needs: one thumbnail by dataset and image key. */
export interface ThumbnailStore {
  /** The stored thumbnail, or undefined when there is none or its record is bad. */
  get(datasetId: string, key: string): Promise<Blob | undefined>;
  /** Stores a thumbnail (replacing one for the same image); ignored for an unknown dataset. */
  put(datasetId: string, key: string, thumbnail: Blob): Promise<void>;
  /** Writes the last-used times that get() queued (they are written in batches). */
  flush(): Promise<void>;
}

export interface ThumbnailStoreOptions {
  /** At most this many thumbnails are kept, over all datasets. */
  maxEntries?: number;
  /** How many to evict beyond the bound at once, so that eviction runs once per this many puts. */
  evictBatch?: number;
  /** A hit refreshes the last-used time only when it is older than this. */
  touchAfterMs?: number;
  /** Queued last-used times are written together after this delay. */
  touchDelayMs?: number;
  now?: () => number;
}

/**
 * 50,000 thumbnails over all datasets. A 192 px JPEG of a face is about 5-12 KB, so
 * the table holds at most about half a gigabyte: a small share of what browsers grant
 * an origin with persistent storage (which the app asks for, so the browser will not
 * clear it for us), and far less than the photos themselves. It covers a thorough pass
 * over a whole 50,000-image dataset, or the recently seen part of a larger one. The
 * bound is global, not per dataset, because storage quota is per origin: the space
 * goes to whatever is being looked at.
 */
export const MAX_THUMBNAILS = 50_000;
/** 2% of the bound: one count and one bulk delete per thousand puts at most. */
export const THUMBNAIL_EVICT_BATCH = 1_000;
const TOUCH_AFTER_MS = 60_000;
const TOUCH_DELAY_MS = 1_000;

export function createThumbnailStore(
  db: AuReviewDb,
  options: ThumbnailStoreOptions = {},
): ThumbnailStore {
  const maxEntries = options.maxEntries ?? MAX_THUMBNAILS;
  const evictBatch = Math.max(1, Math.min(options.evictBatch ?? THUMBNAIL_EVICT_BATCH, maxEntries));
  const touchAfterMs = options.touchAfterMs ?? TOUCH_AFTER_MS;
  const touchDelayMs = options.touchDelayMs ?? TOUCH_DELAY_MS;
  const now = options.now ?? Date.now;

  /**
   * Records stored, as far as this page knows: counted once, then raised by each put
   * (a replaced record counts twice, so it only ever overestimates) and recounted
   * exactly before anything is evicted.
   */
  let estimate: number | null = null;
  let evicting: Promise<void> | null = null;

  const touches = new Map<string, Set<string>>();
  let touchTimer: ReturnType<typeof setTimeout> | null = null;
  let touching: Promise<void> = Promise.resolve();

  function touch(datasetId: string, key: string): void {
    let keys = touches.get(datasetId);
    if (!keys) touches.set(datasetId, (keys = new Set()));
    keys.add(key);
    touchTimer ??= setTimeout(() => void flush(), touchDelayMs);
  }

  /** One bulk update for every queued touch: not a write per grid cell. */
  function flush(): Promise<void> {
    if (touchTimer !== null) clearTimeout(touchTimer);
    touchTimer = null;
    const keys = [...touches].flatMap(([datasetId, keys]) =>
      [...keys].map((key): [string, string] => [datasetId, key]),
    );
    touches.clear();
    if (keys.length > 0) {
      const usedAt = now();
      touching = touching
        .then(() => db.thumbnails.bulkUpdate(keys.map((key) => ({ key, changes: { usedAt } }))))
        // Only a hint for eviction: a failed refresh must never break showing the grid.
        .then(
          () => undefined,
          () => undefined,
        );
    }
    return touching;
  }

  /** Deletes the least recently used down to maxEntries - evictBatch, in one transaction. */
  function evict(): Promise<void> {
    evicting ??= db
      .transaction('rw', db.thumbnails, async () => {
        const count = await db.thumbnails.count();
        if (count <= maxEntries) return count;
        const oldest = await db.thumbnails
          .orderBy('usedAt')
          .limit(count - maxEntries + evictBatch)
          .primaryKeys();
        await db.thumbnails.bulkDelete(oldest);
        return count - oldest.length;
      })
      .then((left) => {
        estimate = left;
      })
      .finally(() => {
        evicting = null;
      });
    return evicting;
  }

  return {
    async get(datasetId, key) {
      const stored: unknown = await db.thumbnails.get([datasetId, key]);
      if (stored === undefined) return undefined;
      const r = ThumbnailRecordSchema.safeParse(stored);
      // A bad record is a miss: the caller makes the thumbnail again and replaces it.
      if (!r.success || r.data.datasetId !== datasetId || r.data.key !== key) return undefined;
      if (now() - r.data.usedAt >= touchAfterMs) touch(datasetId, key);
      return r.data.blob;
    },

    async put(datasetId, key, thumbnail) {
      const record = ThumbnailRecordSchema.parse({
        version: THUMBNAIL_RECORD_VERSION,
        datasetId,
        key,
        blob: thumbnail,
        usedAt: now(),
      } satisfies ThumbnailRecord);
      const stored = await db.transaction('rw', db.datasets, db.thumbnails, async () => {
        // A dataset deleted while its thumbnails were being made leaves none behind.
        if ((await db.datasets.where('id').equals(datasetId).count()) === 0) return false;
        await db.thumbnails.put(record);
        return true;
      });
      if (!stored) return;
      estimate = estimate === null ? await db.thumbnails.count() : estimate + 1;
      if (estimate > maxEntries) await evict();
    },

    flush,
  };
}

let defaultStore: ThumbnailStore | undefined;
const store = (): ThumbnailStore => (defaultStore ??= createThumbnailStore(getDb()));

/** The app's thumbnail store, on the shared connection (opened on first use). */
export const thumbnailStore: ThumbnailStore = {
  get: (datasetId, key) => store().get(datasetId, key),
  put: (datasetId, key, thumbnail) => store().put(datasetId, key, thumbnail),
  flush: () => store().flush(),
};

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImageCache, type ImageCacheOptions } from './image-cache';

/** A thumbnail store in memory that records what was asked of it. */
class FakeThumbnails {
  readonly saved = new Map<string, Blob>();
  readonly gets: string[] = [];
  readonly puts: string[] = [];
  failGet = false;
  failPut = false;

  async get(datasetId: string, key: string): Promise<Blob | undefined> {
    this.gets.push(`${datasetId}/${key}`);
    if (this.failGet) throw new Error('the store is broken');
    return this.saved.get(`${datasetId}/${key}`);
  }

  async put(datasetId: string, key: string, thumbnail: Blob): Promise<void> {
    this.puts.push(`${datasetId}/${key}`);
    if (this.failPut) throw new Error('quota exceeded');
    this.saved.set(`${datasetId}/${key}`, thumbnail);
  }
}

const photo = (key: string) => new Blob([`photo ${key}`], { type: 'image/png' });
const svg = (key: string) => new Blob([`<svg>${key}</svg>`], { type: 'image/svg+xml' });

/** Object URLs stand for their blobs, so a test can see which blob a URL shows. */
const shownBlobs = new Map<string, Blob>();
let nextUrl = 0;
const revoked: string[] = [];

beforeEach(() => {
  shownBlobs.clear();
  revoked.length = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${nextUrl++}`;
    shownBlobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => {
    revoked.push(url);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function shown(url: Promise<string | null>): Promise<string | null> {
  const resolved = await url;
  return resolved === null ? null : ((await shownBlobs.get(resolved)?.text()) ?? '(unknown url)');
}

function setUp(images: Record<string, Blob>, options: ImageCacheOptions = {}) {
  const store = new FakeThumbnails();
  let open: string | null = 'ds1';
  const loads: string[] = [];
  const shrinks: string[] = [];
  const cache = new ImageCache(
    async (key) => {
      loads.push(key);
      return images[key];
    },
    {
      thumbnails: store,
      datasetId: () => open,
      shrink: async (blob) => {
        shrinks.push(await blob.text());
        return blob.type === 'image/svg+xml'
          ? null
          : new Blob([`small ${await blob.text()}`], { type: 'image/jpeg' });
      },
      ...options,
    },
  );
  return {
    cache,
    store,
    loads,
    shrinks,
    openDataset(id: string | null) {
      cache.clear();
      open = id;
    },
  };
}

/** Lets the not-awaited store writes settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ImageCache thumbnails', () => {
  it('makes a thumbnail, shows it and stores it under the open dataset', async () => {
    const { cache, store, loads, shrinks } = setUp({ a: photo('a') });
    expect(await shown(cache.thumbnailUrl('a'))).toBe('small photo a');
    await settle();
    expect(store.gets).toEqual(['ds1/a']);
    expect(loads).toEqual(['a']);
    expect(shrinks).toEqual(['photo a']);
    expect(store.puts).toEqual(['ds1/a']);
    expect(await store.saved.get('ds1/a')?.text()).toBe('small photo a');
  });

  it('shows a stored thumbnail without loading or shrinking the image', async () => {
    const { cache, store, loads, shrinks } = setUp({ a: photo('a') });
    store.saved.set('ds1/a', new Blob(['kept from last visit'], { type: 'image/jpeg' }));
    expect(await shown(cache.thumbnailUrl('a'))).toBe('kept from last visit');
    expect(loads).toEqual([]);
    expect(shrinks).toEqual([]);
    expect(store.puts).toEqual([]);
  });

  it('after a reload (a new cache on the same store) nothing is shrunk again', async () => {
    const first = setUp({ a: photo('a') });
    await first.cache.thumbnailUrl('a');
    await settle();
    const reloaded = setUp({ a: photo('a') });
    for (const [key, blob] of first.store.saved) reloaded.store.saved.set(key, blob);
    expect(await shown(reloaded.cache.thumbnailUrl('a'))).toBe('small photo a');
    expect(reloaded.shrinks).toEqual([]);
  });

  it('asks the store once per key while the URL is held in memory', async () => {
    const { cache, store } = setUp({ a: photo('a') });
    const [x, y] = await Promise.all([cache.thumbnailUrl('a'), cache.thumbnailUrl('a')]);
    expect(x).toBe(y);
    expect(await cache.thumbnailUrl('a')).toBe(x);
    expect(store.gets).toEqual(['ds1/a']);
  });

  it('shows an image that cannot be shrunk as it is, and stores nothing', async () => {
    const { cache, store } = setUp({ face: svg('face') });
    expect(await shown(cache.thumbnailUrl('face'))).toBe('<svg>face</svg>');
    await settle();
    expect(store.puts).toEqual([]);
    expect(store.saved.size).toBe(0);
  });

  it('shows nothing and stores nothing for a missing image', async () => {
    const { cache, store, shrinks } = setUp({});
    expect(await cache.thumbnailUrl('none')).toBeNull();
    await settle();
    expect(shrinks).toEqual([]);
    expect(store.puts).toEqual([]);
  });

  it('keeps datasets apart: the same key in another dataset is its own thumbnail', async () => {
    const images: Record<string, Blob> = { a: photo('a in ds1') };
    const { cache, store, openDataset } = setUp(images);
    await cache.thumbnailUrl('a');
    openDataset('ds2');
    images.a = photo('a in ds2');
    expect(await shown(cache.thumbnailUrl('a'))).toBe('small photo a in ds2');
    await settle();
    expect(store.gets).toEqual(['ds1/a', 'ds2/a']);
    expect([...store.saved.keys()].sort()).toEqual(['ds1/a', 'ds2/a']);
  });

  it('does not store a thumbnail under a dataset opened while it was being made', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { cache, store, openDataset } = setUp(
      { a: photo('a') },
      {
        shrink: async (blob) => {
          await gate;
          return new Blob([`small ${await blob.text()}`], { type: 'image/jpeg' });
        },
      },
    );
    const pending = cache.thumbnailUrl('a');
    await settle();
    openDataset('ds2');
    release();
    await pending;
    await settle();
    expect(store.puts).toEqual([]);
  });

  it('with no dataset open, makes thumbnails without the store', async () => {
    const { cache, store, openDataset } = setUp({ a: photo('a') });
    openDataset(null);
    expect(await shown(cache.thumbnailUrl('a'))).toBe('small photo a');
    await settle();
    expect(store.gets).toEqual([]);
    expect(store.puts).toEqual([]);
  });

  it('a failing store is a miss on read and ignored on write', async () => {
    const { cache, store } = setUp({ a: photo('a') });
    store.failGet = true;
    store.failPut = true;
    expect(await shown(cache.thumbnailUrl('a'))).toBe('small photo a');
    await settle();
    expect(store.puts).toEqual(['ds1/a']);
  });

  it('without a store, thumbnails are made each time as before', async () => {
    const shrinks: string[] = [];
    const cache = new ImageCache(async (key) => photo(key), {
      shrink: async (blob) => {
        shrinks.push(await blob.text());
        return new Blob(['small'], { type: 'image/jpeg' });
      },
    });
    expect(await shown(cache.thumbnailUrl('a'))).toBe('small');
    cache.clear();
    await cache.thumbnailUrl('a');
    expect(shrinks).toEqual(['photo a', 'photo a']);
  });

  it('revokes the URLs of evicted entries and on clear()', async () => {
    const { cache } = setUp({ a: photo('a'), b: photo('b'), c: photo('c') }, { capacity: 2 });
    const a = await cache.thumbnailUrl('a');
    const b = await cache.thumbnailUrl('b');
    await cache.thumbnailUrl('c');
    await settle();
    expect(revoked).toEqual([a]);
    cache.clear();
    await settle();
    expect(revoked).toContain(b);
    expect(revoked).toHaveLength(3);
  });
});

describe('ImageCache full images', () => {
  it('are loaded as they are, never from the thumbnail store', async () => {
    const { cache, store, shrinks } = setUp({ a: photo('a') });
    expect(await shown(cache.url('a'))).toBe('photo a');
    expect(store.gets).toEqual([]);
    expect(shrinks).toEqual([]);
  });
});

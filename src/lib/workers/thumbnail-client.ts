let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (thumbnail: Blob | null) => void>();

/** A small JPEG of an image, made in a worker; null when the worker cannot decode it. */
export function makeThumbnail(blob: Blob, size = 192): Promise<Blob | null> {
  if (blob.type === 'image/svg+xml') return Promise.resolve(null);
  if (!worker) {
    worker = new Worker(new URL('./thumbnail.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ id: number; thumbnail: Blob | null }>) => {
      waiting.get(event.data.id)?.(event.data.thumbnail);
      waiting.delete(event.data.id);
    };
  }
  const id = nextId++;
  const running = worker;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    running.postMessage({ id, blob, size });
  });
}

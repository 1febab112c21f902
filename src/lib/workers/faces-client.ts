import type { FaceReading } from '../face-reading/reading';
import type { FaceModelLocation, FacesRequest, FacesResponse, ImageToRead } from './faces-protocol';

/**
 * A pool of face-reading workers, one per core up to `size`: the model runs on one
 * thread per worker, so two workers read about twice as fast on a 2-core machine while
 * the page, which only fetches images and stores results, stays responsive.
 */
export interface FaceReaderPool {
  readonly backend: string;
  readonly size: number;
  /** Reads a batch on the next free worker. */
  read(datasetId: string, images: ImageToRead[]): Promise<FaceReading[]>;
  close(): void;
}

/** Where the app serves the model's files: its own origin, beside index.html. */
export function appFaceModelLocation(base: string = import.meta.env.BASE_URL): FaceModelLocation {
  const root = new URL(base, globalThis.location.href);
  return {
    models: new URL('face-model/human/', root).href,
    wasm: new URL('face-model/wasm/', root).href,
  };
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export async function startFaceReaders(
  size: number,
  location: FaceModelLocation = appFaceModelLocation(),
): Promise<FaceReaderPool> {
  const slots: Slot[] = [];
  let backend = '';
  try {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(new URL('./faces.worker.ts', import.meta.url), { type: 'module' });
      slots.push({ worker, busy: false });
    }
    const answers = await Promise.all(
      slots.map(
        (slot) =>
          new Promise<FacesResponse>((resolve, reject) => {
            slot.worker.onmessage = (event: MessageEvent<FacesResponse>) => resolve(event.data);
            slot.worker.onerror = (event) =>
              reject(new Error(event.message || 'the face reader could not start'));
            slot.worker.postMessage({ type: 'load', location } satisfies FacesRequest);
          }),
      ),
    );
    for (const answer of answers) {
      if (answer.type === 'load-failed') throw new Error(answer.error);
      if (answer.type === 'loaded') backend = answer.backend;
    }
  } catch (error) {
    for (const slot of slots) slot.worker.terminate();
    throw error;
  }

  let nextBatch = 1;
  const freed: (() => void)[] = [];
  const takeSlot = async (): Promise<Slot> => {
    for (;;) {
      const free = slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => freed.push(resolve));
    }
  };
  let closed = false;
  return {
    backend,
    size: slots.length,
    async read(datasetId, images) {
      const slot = await takeSlot();
      if (closed) throw new Error('the face readers were closed');
      const batch = nextBatch++;
      try {
        return await new Promise<FaceReading[]>((resolve, reject) => {
          slot.worker.onmessage = (event: MessageEvent<FacesResponse>) => {
            const answer = event.data;
            if (answer.type === 'read' && answer.batch === batch) resolve(answer.readings);
            else if (answer.type === 'read-failed' && answer.batch === batch)
              reject(new Error(answer.error));
          };
          slot.worker.onerror = (event) =>
            reject(new Error(event.message || 'the face reader stopped'));
          slot.worker.postMessage({
            type: 'read',
            batch,
            datasetId,
            images,
          } satisfies FacesRequest);
        });
      } finally {
        slot.busy = false;
        freed.shift()?.();
      }
    },
    close() {
      closed = true;
      for (const slot of slots) slot.worker.terminate();
      for (const resolve of freed.splice(0)) resolve();
    },
  };
}

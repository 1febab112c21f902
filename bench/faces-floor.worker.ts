/// <reference lib="webworker" />
// eslint-disable-next-line layers/imports -- the floor runs the model bare, outside the app's layers
import { Human, type Config } from '@vladmandic/human';
import { humanConfig } from '../src/lib/workers/faces-config';

/**
 * The floor of reading faces (issue 18): decode each JPEG and run Human's detector, mesh
 * and (unless switched off) expression on it, with nothing else: no reading record, no
 * store, no batches, no page in between. The harness hands a worker all its images in
 * one message and times the answer. It runs the model as the app does (the shared
 * configuration in src/lib/workers/faces-config.ts) and holds none of the app's other
 * choices.
 */

export type FacesFloorRequest =
  | { type: 'load'; models: string; wasm: string; emotion: boolean }
  | { type: 'read'; images: Blob[] };

export type FacesFloorResponse =
  | { type: 'loaded'; backend: string }
  | { type: 'read'; ms: number; withFace: number; withMesh: number }
  | { type: 'failed'; error: string };

const MESH_POINTS = 468;

let human: Human | null = null;

function post(message: FacesFloorResponse): void {
  (self as unknown as Worker).postMessage(message);
}

self.onmessage = async (event: MessageEvent<FacesFloorRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'load') {
      const instance = new Human(
        humanConfig(
          { models: request.models, wasm: request.wasm },
          request.emotion,
        ) as Partial<Config>,
      );
      await instance.load();
      await instance.init();
      human = instance;
      post({ type: 'loaded', backend: instance.tf.getBackend() as string });
      return;
    }
    if (!human) throw new Error('the floor worker has no model loaded');
    const t0 = performance.now();
    let withFace = 0;
    let withMesh = 0;
    for (const blob of request.images) {
      const bitmap = await createImageBitmap(blob);
      const result = await human.detect(bitmap);
      bitmap.close();
      // Counted only as a check against the app's readings: the same model on the same
      // images must find the same faces.
      if (result.face.length > 0) withFace++;
      const largest = [...result.face].sort(
        (a, b) => (b.boxRaw[2] ?? 0) * (b.boxRaw[3] ?? 0) - (a.boxRaw[2] ?? 0) * (a.boxRaw[3] ?? 0),
      )[0];
      if (largest && largest.mesh.length === MESH_POINTS) withMesh++;
    }
    post({ type: 'read', ms: performance.now() - t0, withFace, withMesh });
  } catch (error) {
    post({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
};

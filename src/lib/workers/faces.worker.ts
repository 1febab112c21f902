/// <reference lib="webworker" />
import { Human, type Config, type FaceResult } from '@vladmandic/human';
import {
  FACE_MODEL_NAME,
  FACE_READING_VERSION,
  MESH_POINTS,
  READ_EXPRESSIONS,
  type FaceReading,
  type FoundFace,
} from '../face-reading/reading';
import type { FaceModelLocation, FacesRequest, FacesResponse } from './faces-protocol';
import { humanConfig } from './faces-config';

/**
 * Reads faces off images with Human (BlazeFace detection, the MediaPipe face mesh and
 * an expression classifier) on TensorFlow.js's WebAssembly backend: measured on this
 * app's 2-core machines it reads a 100 px face in about 40 ms, while WebGL falls back to
 * a software renderer without a GPU (1.4 s an image) and the plain CPU backend is
 * slower still. Each image is read on its own: Human's frame-to-frame caching, meant
 * for video, is switched off.
 */

/** Larger photos are shrunk to this longest side first: the detector works at 256 px anyway. */
const MAX_SIDE = 1024;

let human: Human | null = null;

function post(message: FacesResponse): void {
  (self as unknown as Worker).postMessage(message);
}

async function load(location: FaceModelLocation): Promise<void> {
  try {
    const instance = new Human(humanConfig(location) as Partial<Config>);
    await instance.load();
    await instance.init();
    human = instance;
    post({ type: 'loaded', backend: instance.tf.getBackend() as string });
  } catch (error) {
    post({ type: 'load-failed', error: error instanceof Error ? error.message : String(error) });
  }
}

async function decode(blob: Blob): Promise<{ bitmap: ImageBitmap; width: number; height: number }> {
  const probe = await createImageBitmap(blob);
  const { width, height } = probe;
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  if (scale === 1) return { bitmap: probe, width, height };
  probe.close();
  const bitmap = await createImageBitmap(blob, {
    resizeWidth: Math.max(1, Math.round(width * scale)),
    resizeHeight: Math.max(1, Math.round(height * scale)),
    resizeQuality: 'high',
  });
  return { bitmap, width, height };
}

function area(face: FaceResult): number {
  return (face.boxRaw[2] ?? 0) * (face.boxRaw[3] ?? 0);
}

async function readOne(datasetId: string, key: string, blob: Blob): Promise<FaceReading> {
  const empty: FaceReading = {
    version: FACE_READING_VERSION,
    datasetId,
    imageKey: key,
    model: FACE_MODEL_NAME,
    width: 0,
    height: 0,
    failure: null,
    faces: [],
    mesh: null,
    expression: null,
  };
  let decoded: { bitmap: ImageBitmap; width: number; height: number };
  try {
    decoded = await decode(blob);
  } catch {
    return {
      ...empty,
      failure: `not an image the browser can decode (${blob.type || 'unknown type'})`,
    };
  }
  const { bitmap, width, height } = decoded;
  const result = await (human as Human).detect(bitmap);
  const readWidth = bitmap.width;
  const readHeight = bitmap.height;
  bitmap.close();
  const faces = [...result.face].sort((a, b) => area(b) - area(a));
  const found: FoundFace[] = faces.map((f) => ({
    score: clamp(f.score, 0, 1),
    box: [
      clamp(f.boxRaw[0] ?? 0, -1, 2),
      clamp(f.boxRaw[1] ?? 0, -1, 2),
      clamp(f.boxRaw[2] ?? 0, 0, 3),
      clamp(f.boxRaw[3] ?? 0, 0, 3),
    ],
  }));
  const main = faces[0];
  let mesh: Float32Array | null = null;
  let expression: Float32Array | null = null;
  if (main && main.mesh.length === MESH_POINTS) {
    mesh = new Float32Array(MESH_POINTS * 2);
    main.mesh.forEach((point, p) => {
      mesh![p * 2] = (point[0] ?? 0) / readWidth;
      mesh![p * 2 + 1] = (point[1] ?? 0) / readHeight;
    });
  }
  if (main?.emotion && main.emotion.length > 0) {
    expression = new Float32Array(READ_EXPRESSIONS.length);
    for (const { emotion, score } of main.emotion) {
      const at = (READ_EXPRESSIONS as readonly string[]).indexOf(emotion);
      if (at >= 0) expression[at] = score;
    }
    const total = expression.reduce((a, b) => a + b, 0);
    if (total > 0)
      for (let e = 0; e < expression.length; e++) expression[e] = expression[e]! / total;
    else expression = null;
  }
  return { ...empty, width, height, faces: found, mesh, expression };
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low;
}

self.onmessage = async (event: MessageEvent<FacesRequest>) => {
  const request = event.data;
  if (request.type === 'load') return load(request.location);
  if (!human) {
    post({ type: 'read-failed', batch: request.batch, error: 'the face model is not loaded' });
    return;
  }
  try {
    const readings: FaceReading[] = [];
    for (const image of request.images)
      readings.push(await readOne(request.datasetId, image.key, image.blob));
    post({ type: 'read', batch: request.batch, readings });
  } catch (error) {
    post({
      type: 'read-failed',
      batch: request.batch,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};

import type { FaceReading } from '../face-reading/reading';

/**
 * The face reader's messages. The page sends images in small batches; the worker
 * answers each batch with one reading per image, in order. Where the model's files
 * are served from is the page's to say (the app's own origin, never elsewhere).
 */

export interface FaceModelLocation {
  /** Folder URL of the model's graph and weight files (ends with '/'). */
  models: string;
  /** Folder URL of TensorFlow.js's WebAssembly binaries (ends with '/'). */
  wasm: string;
}

export interface ImageToRead {
  key: string;
  blob: Blob;
}

export type FacesRequest =
  | { type: 'load'; location: FaceModelLocation }
  | { type: 'read'; batch: number; datasetId: string; images: ImageToRead[] };

export type FacesResponse =
  | { type: 'loaded'; backend: string }
  | { type: 'load-failed'; error: string }
  | { type: 'read'; batch: number; readings: FaceReading[] }
  | { type: 'read-failed'; batch: number; error: string };

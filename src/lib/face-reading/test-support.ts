import { FACE_MODEL_NAME, FACE_READING_VERSION, MESH_POINTS, type FaceReading } from './reading';

/** A reading of a 100x100 image with one face; override what a case is about. */
export function readingOf(patch: Partial<FaceReading> = {}): FaceReading {
  const mesh = new Float32Array(MESH_POINTS * 2);
  // A face filling the middle of the image: points spread over 0.2-0.8.
  for (let p = 0; p < MESH_POINTS; p++) {
    mesh[p * 2] = 0.2 + (0.6 * (p % 20)) / 19;
    mesh[p * 2 + 1] = 0.2 + (0.6 * Math.floor(p / 20)) / 23;
  }
  return {
    version: FACE_READING_VERSION,
    datasetId: 'd',
    imageKey: 'a.jpg',
    model: FACE_MODEL_NAME,
    width: 100,
    height: 100,
    failure: null,
    faces: [{ score: 0.98, box: [0.15, 0.15, 0.7, 0.7] }],
    mesh,
    expression: Float32Array.from([0, 0, 0, 0.9, 0, 0.05, 0.05]),
    ...patch,
  };
}

/** The same mesh moved by dx, dy (image coordinates). */
export function shiftedMesh(mesh: Float32Array, dx: number, dy: number): Float32Array {
  return Float32Array.from(mesh, (v, i) => v + (i % 2 === 0 ? dx : dy));
}

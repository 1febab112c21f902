import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputFile } from '../../labels/types';
import { OPENFACE_AUS, openFaceAuName } from './read';

/** Test support only (Node): the hand-written OpenFace files beside this one, and files made in code. */

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture by its path under fixtures/, given the name `name` (the path by default). */
export function openFaceFixture(path: string, name = path): InputFile {
  return { name, bytes: new Uint8Array(readFileSync(join(FIXTURES, path))) };
}

/** The AUs OpenFace 2 writes an intensity for (all but AU28). */
export const INTENSITY_AUS = OPENFACE_AUS.filter((au) => au !== 28);

/** FaceLandmarkImg's header: `face, confidence`, then every AU's `_r` and `_c` columns. */
export const IMAGE_HEADER = [
  'face',
  'confidence',
  ...INTENSITY_AUS.map((au) => `${openFaceAuName(au)}_r`),
  ...OPENFACE_AUS.map((au) => `${openFaceAuName(au)}_c`),
].join(', ');

/** One FaceLandmarkImg row: face 0 (or `face`) showing the AUs `present` (intensity 2.5 each). */
export function imageRow(present: ReadonlySet<number>, face = 0): string {
  return [
    String(face),
    '0.98',
    ...INTENSITY_AUS.map((au) => (present.has(au) ? '2.50' : '0.00')),
    ...OPENFACE_AUS.map((au) => (present.has(au) ? '1' : '0')),
  ].join(', ');
}

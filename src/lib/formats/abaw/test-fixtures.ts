import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InputFile } from '../../labels/types';

/** Test support only (Node): this folder's fixtures, as the importer receives them. */

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture, named by its path under fixtures/ (its folders give the split). */
export function abawFixture(path: string): InputFile {
  return { name: path, bytes: new Uint8Array(readFileSync(FIXTURES + path)) };
}

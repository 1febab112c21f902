import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { AuValue, LabelColumns, LabelRecord } from './records';
import type { InputFile } from './types';
import { textAt } from './text-column';

/** Test support only (Node): loads fixture files as the importer receives them. */

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Small hand-written files, see tests/fixtures/README.md. */
export const FIXTURES_DIR = join(REPO_ROOT, 'tests/fixtures');

/** The real RAF-CE label files, shared beside the repository (never edited). */
export const RAFCE_REAL_DIR =
  process.env.RAFCE_FIXTURES ?? resolve(REPO_ROOT, '../shared/fixtures/raf-ce');

/** A fixture under tests/fixtures, named by its path there (folders matter to detection). */
export function fixture(path: string): InputFile {
  return { name: path, bytes: new Uint8Array(readFileSync(join(FIXTURES_DIR, path))) };
}

export const REAL_RAFCE_NAMES = [
  'RAFCE_emolabel.txt',
  'RAFCE_AUlabel.txt',
  'RAFCE_partition.txt',
] as const;

/**
 * RAF-DB's terms allow research use, not redistribution: the real files cannot ship with
 * the repository. Tests that need them run only where they are (CI has them and requires
 * them; a fresh clone skips those tests, loudly, see tests/real-fixtures.ts).
 */
export const HAS_REAL_RAFCE = REAL_RAFCE_NAMES.every((name) =>
  existsSync(join(RAFCE_REAL_DIR, name)),
);

/** `describe`, skipped where the real RAF-CE files are absent. */
export const describeRealRafCe = describe.skipIf(!HAS_REAL_RAFCE);

/** `it`, skipped where the real RAF-CE files are absent. */
export const itRealRafCe = it.skipIf(!HAS_REAL_RAFCE);

/**
 * A real RAF-CE file; where the files are absent, an empty file, so that a test module
 * still loads and only its tests marked with `describeRealRafCe`/`itRealRafCe` are skipped.
 */
export function realRafCeFile(name: (typeof REAL_RAFCE_NAMES)[number]): InputFile {
  if (!HAS_REAL_RAFCE) return { name, bytes: new Uint8Array(0) };
  return { name, bytes: new Uint8Array(readFileSync(join(RAFCE_REAL_DIR, name))) };
}

/** An in-memory file from text (UTF-8). */
export function textFile(name: string, text: string): InputFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

/** The rows as one object each (-1: the file gives no class or split), for tests. */
export function recordsOf(read: { rows: LabelColumns }): LabelRecord[] {
  const { rows } = read;
  const records: LabelRecord[] = [];
  for (let r = 0; r < rows.count; r++) {
    const record: LabelRecord = {
      line: rows.lines[r] as number,
      image: textAt(rows.names, r),
      classId: rows.classIds[r] as number,
      split: rows.splits[r] as number,
    };
    const auId = rows.auIds[r] as number;
    if (auId >= 0) record.au = rows.auValues[auId] as AuValue;
    records.push(record);
  }
  return records;
}

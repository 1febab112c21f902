import type { SampleTable } from '../labels/types';
import type { SamplePage } from './records';

/**
 * SampleTable <-> pages of columns. Pure (no Dexie). Pages own their buffers (slices,
 * never subarray views): structured clone of a view would store its whole buffer.
 */

export const DEFAULT_PAGE_SIZE = 10_000;

/**
 * Throws a clear Error when the columns disagree with count. (A name or AU text that
 * holds '\n' would break a page's one-per-line strings: the page check on saving,
 * SamplePageSchema, counts them, and the readers never accept one.)
 */
export function assertSampleTable(table: SampleTable): void {
  const n = table.count;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`SampleTable.count is invalid: ${n}`);
  const lengths: [string, number, number][] = [
    ['names', table.names.length, n],
    ['classIds', table.classIds.length, n],
    ['splits', table.splits.length, n],
    ['auStatus', table.auStatus.length, n],
    ['auRaw', table.auRaw.length, n],
    ['auMask', table.auMask.length, 2 * n],
    ['flags', table.flags.length, n],
  ];
  for (const [column, actual, expected] of lengths)
    if (actual !== expected)
      throw new Error(`SampleTable.${column} has ${actual} entries, expected ${expected}`);
}

/** Samples [start, end) as a new table; start/end follow Array.prototype.slice (negatives, clamping). Copies. */
export function sliceTable(table: SampleTable, start = 0, end = table.count): SampleTable {
  const from = clampIndex(start, table.count);
  const to = Math.max(from, clampIndex(end, table.count));
  return {
    count: to - from,
    names: table.names.slice(from, to),
    classIds: table.classIds.slice(from, to),
    splits: table.splits.slice(from, to),
    auStatus: table.auStatus.slice(from, to),
    auRaw: table.auRaw.slice(from, to),
    auMask: table.auMask.slice(2 * from, 2 * to),
    flags: table.flags.slice(from, to),
  };
}

function clampIndex(i: number, length: number): number {
  const t = Math.trunc(i) || 0;
  return t < 0 ? Math.max(length + t, 0) : Math.min(t, length);
}

/** Splits a table into pages of pageSize samples (the last one shorter). An empty table has no pages. */
export function tableToPages(
  datasetId: string,
  table: SampleTable,
  pageSize = DEFAULT_PAGE_SIZE,
): SamplePage[] {
  if (!Number.isSafeInteger(pageSize) || pageSize < 1)
    throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
  assertSampleTable(table);
  const pages: SamplePage[] = [];
  for (let index = 0, from = 0; from < table.count; index++, from += pageSize) {
    const to = Math.min(from + pageSize, table.count);
    pages.push({
      datasetId,
      index,
      count: to - from,
      names: table.names.slice(from, to).join('\n'),
      classIds: table.classIds.slice(from, to),
      splits: table.splits.slice(from, to),
      auStatus: table.auStatus.slice(from, to),
      auRaw: table.auRaw.slice(from, to).join('\n'),
      auMask: table.auMask.slice(2 * from, 2 * to),
      flags: table.flags.slice(from, to),
    });
  }
  return pages;
}

/** Concatenates pages given in index order (0, 1, 2, ...) into one table. */
export function pagesToTable(pages: readonly SamplePage[]): SampleTable {
  let count = 0;
  pages.forEach((p, i) => {
    if (p.index !== i) throw new Error(`pagesToTable: expected page ${i}, got page ${p.index}`);
    count += p.count;
  });
  const table = allocateTable(count);
  let at = 0;
  for (const p of pages) {
    copyPageInto(table, p, at);
    at += p.count;
  }
  return table;
}

/** A table of count samples to fill page by page (copyPageInto). */
export function allocateTable(count: number): SampleTable {
  return {
    count,
    names: new Array<string>(count),
    classIds: new Int16Array(count),
    splits: new Int8Array(count),
    auStatus: new Uint8Array(count),
    auRaw: new Array<string>(count),
    auMask: new Uint32Array(2 * count),
    flags: new Uint8Array(count),
  };
}

/** Copies a page's samples into the table from sample `at` on. */
export function copyPageInto(table: SampleTable, p: SamplePage, at: number): void {
  const names = p.names.split('\n');
  const auRaw = p.auRaw.split('\n');
  if (names.length !== p.count || auRaw.length !== p.count || p.classIds.length !== p.count)
    throw new Error(`pagesToTable: page ${p.index} does not hold ${p.count} samples`);
  if (at + p.count > table.count)
    throw new Error(`copyPageInto: page ${p.index} does not fit at sample ${at}`);
  for (let i = 0; i < p.count; i++) {
    table.names[at + i] = names[i]!;
    table.auRaw[at + i] = auRaw[i]!;
  }
  table.classIds.set(p.classIds, at);
  table.splits.set(p.splits, at);
  table.auStatus.set(p.auStatus, at);
  table.auMask.set(p.auMask, 2 * at);
  table.flags.set(p.flags, at);
}

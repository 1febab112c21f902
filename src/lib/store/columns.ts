import type { SampleTable } from '../labels/types';
import type { SamplePage } from './records';
import {
  TextColumnPages,
  columnLength,
  joinedRange,
  sliceTextColumn,
  type TextColumn,
} from '../labels/text-column';

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
    ['names', columnLength(table.names), n],
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
    names: sliceTextColumn(table.names, from, to),
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
      names: joinedRange(table.names, from, to),
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
  const filling = allocateTable(count);
  let at = 0;
  for (const p of pages) {
    copyPageInto(filling, p, at);
    at += p.count;
  }
  return finishTable(filling);
}

/**
 * A table being filled page by page (copyPageInto), then finished (finishTable): the
 * names arrive as each page's text and become one column at the end.
 */
export interface TableFilling {
  table: Omit<SampleTable, 'names'>;
  names: TextColumnPages;
}

/** A table of count samples to fill page by page. */
export function allocateTable(count: number): TableFilling {
  return { table: allocateColumns(count), names: new TextColumnPages(count) };
}

export function finishTable(filling: TableFilling): SampleTable {
  const names: TextColumn = filling.names.build();
  return { ...filling.table, names };
}

function allocateColumns(count: number): Omit<SampleTable, 'names'> {
  return {
    count,
    classIds: new Int16Array(count),
    splits: new Int8Array(count),
    auStatus: new Uint8Array(count),
    auRaw: new Array<string>(count),
    auMask: new Uint32Array(2 * count),
    flags: new Uint8Array(count),
  };
}

/** Copies a page's samples into the table from sample `at` on. */
export function copyPageInto(filling: TableFilling, p: SamplePage, at: number): void {
  const { table } = filling;
  const auRaw = p.auRaw.split('\n');
  if (auRaw.length !== p.count || p.classIds.length !== p.count)
    throw new Error(`pagesToTable: page ${p.index} does not hold ${p.count} samples`);
  if (at + p.count > table.count)
    throw new Error(`copyPageInto: page ${p.index} does not fit at sample ${at}`);
  if (!filling.names.put(at, p.count, p.names))
    throw new Error(`pagesToTable: page ${p.index} does not hold ${p.count} samples`);
  for (let i = 0; i < p.count; i++) table.auRaw[at + i] = auRaw[i]!;
  table.classIds.set(p.classIds, at);
  table.splits.set(p.splits, at);
  table.auStatus.set(p.auStatus, at);
  table.auMask.set(p.auMask, 2 * at);
  table.flags.set(p.flags, at);
}

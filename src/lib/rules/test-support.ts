import { AuStatus, SampleFlag, type SampleTable } from '../labels/types';
import { maskOf } from './mask';
import { textColumnOf } from '../labels/text-column';

/** Test support only: a SampleTable from readable rows. */
export interface TestRow {
  classId: number;
  /** AUs present; null = the AU label is `null`; undefined = absent (no AU value). */
  aus?: number[] | null;
  split?: number;
  unknownToken?: boolean;
}

export function tableOf(rows: readonly TestRow[]): SampleTable {
  const auMask = new Uint32Array(rows.length * 2);
  rows.forEach((row, i) => {
    const { lo, hi } = maskOf(row.aus ?? []);
    auMask[2 * i] = lo;
    auMask[2 * i + 1] = hi;
  });
  return {
    count: rows.length,
    names: textColumnOf(rows.map((_, i) => `${String(i + 1).padStart(4, '0')}.jpg`)),
    classIds: Int16Array.from(rows.map((r) => r.classId)),
    splits: Int8Array.from(rows.map((r) => r.split ?? 0)),
    auStatus: Uint8Array.from(
      rows.map((r) =>
        r.aus === undefined ? AuStatus.absent : r.aus === null ? AuStatus.null : AuStatus.coded,
      ),
    ),
    auRaw: rows.map((r) =>
      r.aus === undefined
        ? ''
        : r.aus === null
          ? 'null'
          : r.aus.join('+') + (r.unknownToken ? '+X9' : ''),
    ),
    auMask,
    flags: Uint8Array.from(rows.map((r) => (r.unknownToken ? SampleFlag.unknownAuToken : 0))),
  };
}

/**
 * The comparator sort the radix sort replaced (NaN last, ties by index), kept as the
 * order applyFilter and sortIndicesByKey must give.
 */
export function comparatorSort(
  indices: Int32Array,
  values: Float32Array,
  direction: 1 | -1,
): number[] {
  return Array.from(
    indices.slice().sort((x, y) => {
      const a = values[x] as number;
      const b = values[y] as number;
      const an = Number.isNaN(a);
      const bn = Number.isNaN(b);
      if (an || bn) return an === bn ? x - y : an ? 1 : -1;
      return (a - b) * direction || x - y;
    }),
  );
}

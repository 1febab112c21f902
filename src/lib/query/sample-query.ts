import { AuStatus, SampleFlag, type SampleTable } from '../labels/types';

/** A simple selection of samples; richer filters build on it. */
export interface SampleQuery {
  /** Class id, or null for every class. */
  classId: number | null;
  /** Split id, or null for every split. */
  split: number | null;
  /** 'null': only `null` AU labels; 'coded': only coded ones. */
  auStatus: 'any' | 'null' | 'coded' | 'absent';
  image: 'any' | 'with' | 'without';
  /** Case-insensitive substring of the image name. */
  nameContains: string;
}

export const ALL_SAMPLES: SampleQuery = {
  classId: null,
  split: null,
  auStatus: 'any',
  image: 'any',
  nameContains: '',
};

const statusCode = { null: AuStatus.null, coded: AuStatus.coded, absent: AuStatus.absent } as const;

/** Indices of the samples that match, in the dataset's order. One pass over the columns. */
export function selectSamples(table: SampleTable, query: SampleQuery): Int32Array {
  const out = new Int32Array(table.count);
  const needle = query.nameContains.trim().toLowerCase();
  const wantStatus = query.auStatus === 'any' ? -1 : statusCode[query.auStatus];
  let n = 0;
  for (let i = 0; i < table.count; i++) {
    if (query.classId !== null && table.classIds[i] !== query.classId) continue;
    if (query.split !== null && table.splits[i] !== query.split) continue;
    if (wantStatus >= 0 && table.auStatus[i] !== wantStatus) continue;
    if (query.image !== 'any') {
      const has = ((table.flags[i] ?? 0) & SampleFlag.hasImage) !== 0;
      if (has !== (query.image === 'with')) continue;
    }
    if (needle && !(table.names[i] ?? '').toLowerCase().includes(needle)) continue;
    out[n++] = i;
  }
  return out.slice(0, n);
}

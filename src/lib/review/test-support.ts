import { auMaskWords, isNullAuValue, parseAuString } from '../labels/au';
import { emptySampleTable } from '../labels/table';
import { AuStatus, type SampleTable } from '../labels/types';
import type { Decision, FinalLabels } from './decision';
import type { EntryMeta } from './history';
import { textAt, textColumnOf } from '../labels/text-column';

/** Test support only: tables and decisions from readable values. */

export interface RawRow {
  classId: number;
  /** The AU value as a file writes it; undefined = absent. */
  au?: string;
}

export function tableOfRaw(rows: readonly RawRow[]): SampleTable {
  const table = {
    ...emptySampleTable(rows.length),
    names: textColumnOf(rows.map((_, i) => `${String(i + 1).padStart(4, '0')}.jpg`)),
  };
  rows.forEach((row, i) => {
    table.classIds[i] = row.classId;
    table.splits[i] = 0;
    if (row.au === undefined) return;
    table.auRaw[i] = row.au;
    if (isNullAuValue(row.au)) {
      table.auStatus[i] = AuStatus.null;
      return;
    }
    table.auStatus[i] = AuStatus.coded;
    const [lo, hi] = auMaskWords(parseAuString(row.au).tokens);
    table.auMask[2 * i] = lo;
    table.auMask[2 * i + 1] = hi;
  });
  return table;
}

export function decision(
  fields: Pick<Decision, 'id' | 'sample' | 'kind'> & Partial<Decision>,
  table?: SampleTable,
): Decision {
  return {
    version: 1,
    datasetId: 'ds',
    sampleName: table ? textAt(table.names, fields.sample) : '',
    reviewer: 'ana',
    at: 1_700_000_000_000,
    ...fields,
  };
}

let metaCounter = 0;
export function meta(id?: string): EntryMeta {
  metaCounter += 1;
  return {
    id: id ?? `e${metaCounter}`,
    datasetId: 'ds',
    at: 1_700_000_000_000 + metaCounter,
    reviewer: 'ana',
  };
}

/** Every column of final labels, and the id of each sample's decision, as plain values to compare. */
export function finalLabelColumns(final: FinalLabels) {
  return {
    count: final.count,
    state: Array.from(final.state),
    classIds: Array.from(final.classIds),
    auStatus: Array.from(final.auStatus),
    auRaw: [...final.auRaw],
    auMask: Array.from(final.auMask),
    flagReason: Array.from(final.flagReason),
    // One past the end too: no decision there.
    decisionIds: Array.from({ length: final.count + 1 }, (_, i) => final.decisionOf(i)?.id ?? null),
  };
}

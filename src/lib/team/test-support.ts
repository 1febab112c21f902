import { auMaskWords, parseAuString } from '../labels/au';
import { AuStatus, type SampleTable } from '../labels/types';
import type { Decision } from '../review/decision';
import { textColumnOf } from '../labels/text-column';
import { toBase64Url } from './signature';

/** Test support only: a SampleTable from readable rows (AU text as in a label file; undefined = absent). */
export function tableOf(
  rows: readonly { classId: number; au?: string; split?: number }[],
): SampleTable {
  const auMask = new Uint32Array(rows.length * 2);
  rows.forEach((row, i) => {
    if (row.au === undefined) return;
    const parsed = parseAuString(row.au);
    const [lo, hi] = auMaskWords(parsed.tokens);
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
        r.au === undefined
          ? AuStatus.absent
          : parseAuString(r.au).status === 'null'
            ? AuStatus.null
            : AuStatus.coded,
      ),
    ),
    auRaw: rows.map((r) => r.au ?? ''),
    auMask,
    flags: new Uint8Array(rows.length),
  };
}

/** Test support only: a decision with defaults. */
export function decision(
  reviewer: string,
  sample: number,
  kind: Decision['kind'],
  extra: Partial<Decision> = {},
): Decision {
  return {
    version: 1,
    id: `${reviewer}-${sample}-${kind}`,
    datasetId: 'ds1',
    sample,
    sampleName: `${String(sample + 1).padStart(4, '0')}.jpg`,
    kind,
    reviewer,
    at: 1000 + sample,
    ...extra,
  };
}

/** Test support only: a fixed, valid signing key per reviewer (32 bytes from the name). */
export function testKeys(reviewers: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    reviewers.map((r) => [
      r,
      toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => r.charCodeAt(i % r.length) ^ i)),
    ]),
  );
}

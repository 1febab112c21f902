import { describe, expect, it } from 'vitest';
import { AuStatus, SampleFlag, type SampleTable } from '../labels/types';
import { textColumnOf } from '../labels/text-column';
import { ANY_SAMPLE, refineSamples, type SampleQuery } from './sample-query';
import type { FaceFinding } from '../face-reading/findings';

function table(): SampleTable {
  const rows = [
    { name: '0001.jpg', image: true },
    { name: '0002.jpg', image: false },
    { name: '0003.jpg', image: true },
    { name: 'test_0004.jpg', image: false },
  ];
  return {
    count: rows.length,
    names: textColumnOf(rows.map((r) => r.name)),
    classIds: new Int16Array(rows.length),
    splits: new Int8Array(rows.length),
    auStatus: new Uint8Array(rows.length).fill(AuStatus.coded),
    auRaw: rows.map(() => '12'),
    auMask: new Uint32Array(rows.length * 2),
    flags: Uint8Array.from(rows.map((r) => (r.image ? SampleFlag.hasImage : 0))),
  };
}

describe('refineSamples', () => {
  it.each<[string, Partial<SampleQuery>, number[], number[]]>([
    ['everything', {}, [0, 1, 2, 3], [0, 1, 2, 3]],
    ['keeps the given order', {}, [3, 0, 2], [3, 0, 2]],
    ['with an image', { image: 'with' }, [0, 1, 2, 3], [0, 2]],
    ['without an image', { image: 'without' }, [0, 1, 2, 3], [1, 3]],
    ['name substring, any case', { nameContains: 'TEST' }, [0, 1, 2, 3], [3]],
    ['only among the given indices', { image: 'with' }, [1, 2], [2]],
    ['conditions combine', { image: 'without', nameContains: '0002' }, [0, 1, 2, 3], [1]],
    ['nothing matches', { nameContains: 'zzz' }, [0, 1, 2, 3], []],
    ['images the face model has not read', { face: 'unread' }, [0, 1, 2, 3], [3]],
    ['read with no finding', { face: 'clean' }, [0, 1, 2, 3], [0]],
    ['read with any finding', { face: 'any-finding' }, [0, 1, 2, 3], [1, 2]],
    ['one finding', { face: 'no-face' }, [0, 1, 2, 3], [1]],
    [
      'a finding combines with the image',
      { face: 'face-too-small', image: 'with' },
      [0, 1, 2, 3],
      [2],
    ],
  ])('%s', (_, query, from, expected) => {
    const result = refineSamples(
      table(),
      Int32Array.from(from),
      { ...ANY_SAMPLE, ...query },
      (i) => faceFindings[i] ?? null,
    );
    expect(Array.from(result)).toEqual(expected);
  });
});

/** Sample 0 read clean, 1 no face, 2 small and cut off, 3 not read. */
const faceFindings: (FaceFinding[] | null)[] = [
  [],
  ['no-face'],
  ['face-too-small', 'face-cut-off'],
  null,
];

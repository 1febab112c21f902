import { describe, expect, it } from 'vitest';
import { AuStatus, SampleFlag, type SampleTable } from '../labels/types';
import { ALL_SAMPLES, selectSamples, type SampleQuery } from './sample-query';

function table(): SampleTable {
  const rows = [
    { name: '0001.jpg', classId: 0, split: 0, status: AuStatus.coded, image: true },
    { name: '0002.jpg', classId: 5, split: 2, status: AuStatus.null, image: false },
    { name: '0003.jpg', classId: 5, split: 0, status: AuStatus.coded, image: true },
    { name: 'test_0004.jpg', classId: 10, split: 1, status: AuStatus.absent, image: false },
  ];
  return {
    count: rows.length,
    names: rows.map((r) => r.name),
    classIds: Int16Array.from(rows.map((r) => r.classId)),
    splits: Int8Array.from(rows.map((r) => r.split)),
    auStatus: Uint8Array.from(rows.map((r) => r.status)),
    auRaw: rows.map((r) => (r.status === AuStatus.null ? 'null' : '')),
    auMask: new Uint32Array(rows.length * 2),
    flags: Uint8Array.from(rows.map((r) => (r.image ? SampleFlag.hasImage : 0))),
  };
}

describe('selectSamples', () => {
  it.each<[string, Partial<SampleQuery>, number[]]>([
    ['everything', {}, [0, 1, 2, 3]],
    ['one class', { classId: 5 }, [1, 2]],
    ['one split', { split: 0 }, [0, 2]],
    ['null AU labels only', { auStatus: 'null' }, [1]],
    ['coded AU labels only', { auStatus: 'coded' }, [0, 2]],
    ['no AU label at all', { auStatus: 'absent' }, [3]],
    ['with an image', { image: 'with' }, [0, 2]],
    ['without an image', { image: 'without' }, [1, 3]],
    ['name substring, any case', { nameContains: 'TEST' }, [3]],
    ['conditions combine', { classId: 5, image: 'with' }, [2]],
    ['nothing matches', { classId: 13 }, []],
  ])('%s', (_, query, expected) => {
    expect(Array.from(selectSamples(table(), { ...ALL_SAMPLES, ...query }))).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { LOW_SPACE_BYTES, formatBytes, storageLevel } from './space';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

describe('storageLevel', () => {
  it.each([
    ['plenty free', { usage: 1 * GB, quota: 100 * GB }, 99 * GB, false],
    ['less than 10% free of a large quota', { usage: 95 * GB, quota: 100 * GB }, 5 * GB, true],
    ['under 200 MB free of a small quota', { usage: 100 * MB, quota: 250 * MB }, 150 * MB, true],
    [
      'exactly the threshold is not low',
      { usage: 0, quota: 2 * LOW_SPACE_BYTES },
      2 * LOW_SPACE_BYTES,
      false,
    ],
    ['over quota counts as nothing free', { usage: 3 * GB, quota: 2 * GB }, 0, true],
    ['no quota known is low', { usage: 0, quota: 0 }, 0, true],
    ['NaN is treated as nothing', { usage: Number.NaN, quota: 10 * GB }, 10 * GB, false],
  ])('%s', (_, estimate, free, low) => {
    const level = storageLevel(estimate);
    expect(level.free).toBe(free);
    expect(level.low).toBe(low);
  });

  it('reports the share used', () => {
    expect(storageLevel({ usage: 25, quota: 100 }).usedShare).toBe(0.25);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1536, '1.5 KB'],
    [10 * 1024 * 1024, '10 MB'],
    [200.5 * 1024 * 1024, '201 MB'],
    [1.25 * 1024 ** 3, '1.25 GB'],
    [-1, '? bytes'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

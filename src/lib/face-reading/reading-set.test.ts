import { describe, expect, it } from 'vitest';
import { FACE_MODEL_NAME } from './reading';
import { findingsByKey, imagesToRead, readingsByKey, withReadings } from './reading-set';
import { readingOf } from './test-support';

const a = readingOf({ imageKey: 'a' });
const b = readingOf({ imageKey: 'b', faces: [], mesh: null, expression: null });
const oldModel = readingOf({ imageKey: 'c', model: 'an older face model' });

describe('imagesToRead', () => {
  it.each<[string, string[], string[], number]>([
    ['nothing read yet', ['x', 'y'], ['x', 'y'], 0],
    ['each image once, however many samples share it', ['x', 'x', 'y', 'x'], ['x', 'y'], 0],
    ['images read before are reused', ['a', 'x', 'b'], ['x'], 2],
    ['a reading by another model is read again', ['c', 'a'], ['c'], 1],
    ['no samples', [], [], 0],
  ])('%s', (_name, keys, todo, reused) => {
    expect(imagesToRead(keys, readingsByKey([a, b, oldModel]), FACE_MODEL_NAME)).toEqual({
      todo,
      reused,
    });
  });
});

describe('readings by key', () => {
  it('adds a batch without touching the map it came from', () => {
    const before = readingsByKey([a]);
    const newer = readingOf({ imageKey: 'a', width: 60, height: 60 });
    const after = withReadings(before, [newer, b]);
    expect(before.size).toBe(1);
    expect(after.size).toBe(2);
    expect(after.get('a')?.width).toBe(60);
  });

  it('gives every image its findings', () => {
    const findings = findingsByKey(readingsByKey([a, b]));
    expect(findings.get('a')).toEqual([]);
    expect(findings.get('b')).toEqual(['no-face']);
  });
});

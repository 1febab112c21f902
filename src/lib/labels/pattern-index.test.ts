import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classColumnLookup, PatternIndex } from './pattern-index';

describe('PatternIndex', () => {
  it.each([
    [
      'a new pattern gets the next number',
      [
        [1, 0],
        [2, 0],
        [1, 1],
      ],
      [0, 1, 2],
    ],
    [
      'a pattern seen before keeps its number',
      [
        [5, 7],
        [0, 0],
        [5, 7],
        [0, 0],
      ],
      [0, 1, 0, 1],
    ],
    [
      'the words are unsigned (a signed high bit is the same word)',
      [
        [-1, 0],
        [0xffffffff, 0],
      ],
      [0, 0],
    ],
    [
      'the two words are not interchangeable',
      [
        [1, 2],
        [2, 1],
      ],
      [0, 1],
    ],
  ] as const)('%s', (_, pairs, expected) => {
    const index = new PatternIndex();
    expect(pairs.map(([lo, hi]) => index.idOf(lo, hi))).toEqual(expected);
    expect(index.size).toBe(new Set(expected).size);
  });

  it('numbers patterns as a Map of their words would, through every growth of its table', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 3000,
        }),
        (pairs) => {
          const index = new PatternIndex();
          const reference = new Map<string, number>();
          for (const [lo, hi] of pairs) {
            const key = `${lo}/${hi}`;
            if (!reference.has(key)) reference.set(key, reference.size);
            const id = index.idOf(lo * 2654435761, hi);
            expect(id).toBe(reference.get(key));
            expect(index.lowWord(id)).toBe((lo * 2654435761) >>> 0);
            expect(index.highWord(id)).toBe(hi);
          }
          expect(index.size).toBe(reference.size);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('classColumnLookup', () => {
  it.each([
    [[3, 0, 7], 3, 0],
    [[3, 0, 7], 7, 2],
    [[3, 0, 7], 5, -1],
    [[3, 0, 7], -1, -1],
    [[-2, 32767], -2, 0],
    [[-2, 32767], 32767, 1],
  ])('classes %j: id %i is column %i', (classIds, id, column) => {
    expect(classColumnLookup(classIds)(id)).toBe(column);
  });
});

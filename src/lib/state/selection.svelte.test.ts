import { describe, expect, it } from 'vitest';
import { Selection } from './selection.svelte';

describe('Selection', () => {
  const shown = Int32Array.from([7, 3, 5, 1, 9]);

  it.each<[string, [number, boolean][], number[]]>([
    ['one click selects', [[5, false]], [5]],
    [
      'a second click deselects',
      [
        [5, false],
        [5, false],
      ],
      [],
    ],
    [
      'shift-click selects the range in grid order',
      [
        [3, false],
        [1, true],
      ],
      [1, 3, 5],
    ],
    [
      'shift-click backwards',
      [
        [9, false],
        [5, true],
      ],
      [1, 5, 9],
    ],
    ['shift-click with no anchor toggles one', [[5, true]], [5]],
    [
      'a range from a deselected anchor deselects',
      [
        [7, false],
        [3, false],
        [9, false],
        [3, false],
        [9, true],
      ],
      [7],
    ],
  ])('%s', (_, clicks, expected) => {
    const selection = new Selection();
    for (const [index, range] of clicks) selection.toggle(index, 10, shown, range);
    expect(selection.indices()).toEqual(expected);
    expect(selection.count).toBe(expected.length);
  });

  it('selects everything shown and clears', () => {
    const selection = new Selection();
    selection.selectAll(10, shown);
    expect(selection.indices()).toEqual([1, 3, 5, 7, 9]);
    expect(selection.has(3)).toBe(true);
    selection.clear();
    expect(selection.count).toBe(0);
    expect(selection.has(3)).toBe(false);
  });
});

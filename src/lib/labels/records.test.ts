import { describe, expect, it } from 'vitest';
import { ImagesSeen } from './records';

describe('ImagesSeen', () => {
  it.each<[string, string[], (number | undefined)[]]>([
    [
      'ascending names are all new',
      ['0001.jpg', '0002.jpg', '0003.jpg'],
      [undefined, undefined, undefined],
    ],
    ['a repeat right after', ['0001.jpg', '0001.jpg'], [undefined, 1]],
    [
      'a repeat after the order breaks',
      ['0002.jpg', '0003.jpg', '0001.jpg', '0002.jpg'],
      [undefined, undefined, undefined, 1],
    ],
    [
      'unsorted names without repeats',
      ['b.jpg', 'a.jpg', 'c.jpg', 'd.jpg'],
      [undefined, undefined, undefined, undefined],
    ],
    [
      'a repeat of a name seen before the order broke',
      ['a.jpg', 'c.jpg', 'b.jpg', 'c.jpg', 'a.jpg'],
      [undefined, undefined, undefined, 2, 1],
    ],
    ['a repeat seen twice keeps its first line', ['x.jpg', 'x.jpg', 'x.jpg'], [undefined, 1, 1]],
  ])('%s', (_, images, expected) => {
    const seen = new ImagesSeen();
    expect(images.map((image, i) => seen.firstLineOrAdd(image, i + 1))).toEqual(expected);
  });
});

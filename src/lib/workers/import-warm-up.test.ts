import { describe, expect, it } from 'vitest';
import { warmUpImport, warmUpVideoImport } from './import-warm-up';

describe('warmUpImport', () => {
  it.each([
    [1_000, 1],
    [30_000, 30],
  ])(
    'reads %i made-up samples through the RAF-CE import and checks their %i pages',
    (lines, pages) => {
      expect(warmUpImport(lines)).toBe(pages);
    },
  );
});

describe('warmUpVideoImport', () => {
  it('reads every made-up frame through the ABAW reader', () => {
    expect(warmUpVideoImport(3, 1_000)).toBe(3_000);
  });
});

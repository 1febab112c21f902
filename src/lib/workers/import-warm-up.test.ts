import { describe, expect, it } from 'vitest';
import { warmUpImport } from './import-warm-up';

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

import { describe, expect, it } from 'vitest';
import type { Decision } from '../review/decision';
import { originalOutcome, outcomeOf, sameOutcome } from './outcome';
import { auCorrection as au, decision, tableOf } from './test-support';

describe('outcomeOf', () => {
  const table = tableOf([
    { classId: 2, au: '1+2+5B+26' },
    { classId: 4, au: 'null' },
    { classId: 5 },
  ]);
  it.each<[string, Decision, number, number | null, number[] | null]>([
    ['accept keeps the original', decision('a', 0, 'accept'), 0, 2, [1, 2, 5, 26]],
    [
      'flag keeps the original',
      decision('a', 0, 'flag', { flagReason: 'au-wrong' }),
      0,
      2,
      [1, 2, 5, 26],
    ],
    ['discard removes the sample', decision('a', 0, 'discard'), 0, null, null],
    [
      'correct class only',
      decision('a', 0, 'correct', { correction: { classId: 7 } }),
      0,
      7,
      [1, 2, 5, 26],
    ],
    [
      'correct AUs: side, intensity, AD ignored',
      decision('a', 0, 'correct', { correction: au('L12B+AD19+25+12') }),
      0,
      2,
      [12, 25],
    ],
    [
      'correct AUs to not coded',
      decision('a', 0, 'correct', { correction: { au: { status: 'null' } } }),
      0,
      2,
      null,
    ],
    ['accept a not-coded sample', decision('a', 1, 'accept'), 1, 4, null],
    ['code a not-coded sample', decision('a', 1, 'correct', { correction: au('4') }), 1, 4, [4]],
    ['accept a sample without AU value', decision('a', 2, 'accept'), 2, 5, null],
  ])('%s', (_name, d, sample, classId, aus) => {
    expect(outcomeOf(d, table, sample)).toEqual({ classId, aus });
  });
});

describe('outcomeOf reads a corrected AU text as the table reads its own', () => {
  const table = tableOf([{ classId: 1, au: 'L12+AD19+70' }]);
  const corrected = (raw: string) =>
    outcomeOf(decision('a', 0, 'correct', { correction: au(raw) }), table, 0).aus;

  it.each<[string, number[]]>([
    ['L12', [12]],
    ['12B', [12]],
    ['AD19', []],
    ['70', []],
    ['0', []],
    ['x+4', [4]],
  ])('%j sets %j', (raw, aus) => {
    expect(corrected(raw)).toEqual(aus);
  });

  it('gives an accepted original and its own text corrected in again the same AUs', () => {
    expect(originalOutcome(table, 0)).toEqual({ classId: 1, aus: [12] });
    expect(corrected('L12+AD19+70')).toEqual(originalOutcome(table, 0).aus);
  });
});

describe('sameOutcome', () => {
  const outcome = (kind: Decision['kind'], classId: number | null, aus: number[] | null) => ({
    kind,
    classId,
    aus,
  });
  it.each<[string, ReturnType<typeof outcome>, ReturnType<typeof outcome>, boolean]>([
    ['same kind, class, AUs', outcome('correct', 1, [12]), outcome('correct', 1, [12]), true],
    ['other kind', outcome('accept', 1, [12]), outcome('flag', 1, [12]), false],
    ['other class', outcome('correct', 1, [12]), outcome('correct', 2, [12]), false],
    ['other AUs', outcome('correct', 1, [12]), outcome('correct', 1, [12, 25]), false],
    ['no AU vs not coded', outcome('correct', 1, []), outcome('correct', 1, null), false],
    ['both not coded', outcome('correct', 1, null), outcome('correct', 1, null), true],
  ])('%s', (_name, a, b, same) => {
    expect(sameOutcome(a, b)).toBe(same);
  });

  it('counts corrections to L12 and to 12 as the same', () => {
    const table = tableOf([{ classId: 0, au: '4' }]);
    const of = (raw: string) => ({
      kind: 'correct' as const,
      ...outcomeOf(decision('a', 0, 'correct', { correction: au(raw) }), table, 0),
    });
    expect(sameOutcome(of('L12'), of('12'))).toBe(true);
    expect(sameOutcome(of('L12+AD19'), of('12C'))).toBe(true);
    expect(sameOutcome(of('12'), of('12+25'))).toBe(false);
  });
});

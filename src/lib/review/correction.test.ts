import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAFCE_SCHEME } from '../labels/schemes';
import { AuStatus } from '../labels/types';
import { auDisplay, ausOfAuLabel, describeCorrection, toggleAu } from './correction';
import { SampleState } from './decision';
import { originalLabel, type SampleLabel } from './decisions';
import { decision, tableOfRaw } from './test-support';

describe('toggleAu', () => {
  it.each([
    // [raw, au, expected, why]
    ['1+2+25', 12, '1+2+12+25', 'added in ascending place'],
    ['1+2+12+25', 12, '1+2+25', 'removed'],
    ['4+9', 1, '1+4+9', 'added first'],
    ['1+2', 26, '1+2+26', 'added last'],
    ['L12+25', 12, '25', 'side variant removed'],
    ['12+12B+R12+25', 12, '25', 'every spelling removed'],
    ['5B+26', 5, '26', 'intensity variant removed'],
    ['t23', 23, '', 'lower-case token is still AU 23; last AU removed leaves empty'],
    ['L10+B22+T24', 17, 'L10+17+B22+T24', 'others keep their spelling'],
    ['null', 4, '4', 'not coded starts from no AUs'],
    ['NULL ', 4, '4', 'null in any case'],
    ['', 4, '4', 'absent starts from no AUs'],
    ['1+X9', 4, '1+4+X9', 'unknown token kept, new AU after the last AU'],
    ['X9', 4, 'X9+4', 'only unknown tokens: appended'],
    ['AD19+1', 19, 'AD19+1+19', 'an action descriptor is not the AU'],
    ['1 + 2 + 5B ', 26, '1+2+5B+26', 'spaces around tokens dropped'],
    ['1++2', 4, '1+2+4', 'empty token dropped'],
    ['25+1', 12, '12+25+1', 'unsorted input: before the first higher AU'],
    ['26+26', 26, '', 'duplicates removed together'],
  ])('toggleAu(%j, %i) = %j (%s)', (raw, au, expected) => {
    expect(toggleAu(raw, au)).toBe(expected);
  });

  it.each([0, -1, 1.5, NaN])('refuses %d', (au) => {
    expect(() => toggleAu('1', au)).toThrow(RangeError);
  });

  it('toggling twice restores a sorted plain AU string', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 64 }),
        (aus, au) => {
          const raw = [...aus].sort((a, b) => a - b).join('+');
          expect(toggleAu(toggleAu(raw, au), au)).toBe(raw);
        },
      ),
    );
  });

  it('the result lists the AU exactly when it was absent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1', 'L2', '4B', '12', 'R12', 'T24', 'AD19', 'X9', '25'), {
          maxLength: 8,
        }),
        fc.constantFrom(1, 2, 4, 12, 19, 24, 25, 43),
        (tokens, au) => {
          const raw = tokens.join('+');
          const has = (text: string) =>
            text
              .split('+')
              .some(
                (t) =>
                  t !== '' &&
                  /^[LRBT]?(\d+)[A-E]?$/.test(t) &&
                  parseInt(t.replace(/^[LRBT]/, ''), 10) === au,
              );
          expect(has(toggleAu(raw, au))).toBe(!has(raw));
        },
      ),
    );
  });
});

describe('auDisplay', () => {
  it.each([
    [AuStatus.null, 'null', 'not coded'],
    [AuStatus.null, 'NULL', 'not coded'],
    [AuStatus.absent, '', 'no AU label'],
    [AuStatus.coded, '', 'no AUs'],
    [AuStatus.coded, ' 1+2+25 ', '1+2+25'],
  ] as const)('status %i raw %j -> %j', (auStatus, auRaw, expected) => {
    expect(auDisplay({ auStatus, auRaw })).toBe(expected);
  });
});

describe('describeCorrection', () => {
  const table = tableOfRaw([{ classId: 3, au: '4+15' }]);
  const original = originalLabel(table, 0);
  const corrected: SampleLabel = {
    classId: 2,
    auStatus: AuStatus.coded,
    auRaw: '1+4+15+20',
    state: SampleState.corrected,
  };

  it.each([
    {
      name: 'class and AUs corrected',
      decision: decision({
        id: 'd',
        sample: 0,
        kind: 'correct',
        correction: { classId: 2, au: { status: 'coded', raw: '1+4+15+20' } },
      }),
      before: original,
      summary: 'Class Sadly angry → Sadly fearful; AUs 4+15 → 1+4+15+20 (+1, +20)',
      added: [1, 20],
      removed: [],
    },
    {
      name: 'AUs set to not coded',
      decision: decision({
        id: 'd',
        sample: 0,
        kind: 'correct',
        correction: { au: { status: 'null' } },
      }),
      before: original,
      summary: 'AUs 4+15 → not coded (-4, -15)',
      added: [],
      removed: [4, 15],
    },
    {
      name: 'correction without a change',
      decision: decision({ id: 'd', sample: 0, kind: 'correct', correction: {} }),
      before: original,
      summary: 'Corrected without a change: Sadly angry, AUs 4+15',
      added: [],
      removed: [],
    },
    {
      name: 'accept',
      decision: decision({ id: 'd', sample: 0, kind: 'accept' }),
      before: original,
      summary: 'Accepted: Sadly angry, AUs 4+15',
      added: [],
      removed: [],
    },
    {
      name: 'accept after a correction returns to the original',
      decision: decision({ id: 'd', sample: 0, kind: 'accept' }),
      before: corrected,
      summary:
        'Accepted original: Class Sadly fearful → Sadly angry; AUs 1+4+15+20 → 4+15 (-1, -20)',
      added: [],
      removed: [1, 20],
    },
    {
      name: 'flag with reason',
      decision: decision({ id: 'd', sample: 0, kind: 'flag', flagReason: 'occluded' }),
      before: original,
      summary: 'Flagged: Occluded',
      added: [],
      removed: [],
    },
    {
      name: 'discard after a correction says the labels went back',
      decision: decision({ id: 'd', sample: 0, kind: 'discard' }),
      before: corrected,
      summary:
        'Discarded (labels back to original: Class Sadly fearful → Sadly angry; AUs 1+4+15+20 → 4+15 (-1, -20))',
      added: [],
      removed: [1, 20],
    },
  ])('$name', ({ decision: d, before, summary, added, removed }) => {
    const description = describeCorrection(original, d, RAFCE_SCHEME, before);
    expect(description.summary).toBe(summary);
    expect(description.addedAus).toEqual(added);
    expect(description.removedAus).toEqual(removed);
  });

  it('names unknown classes readably', () => {
    const d = decision({ id: 'd', sample: 0, kind: 'correct', correction: { classId: 40 } });
    const description = describeCorrection(original, d, RAFCE_SCHEME);
    expect(description.classChanged).toBe(true);
    expect(description.classTo).toContain('class 40');
    expect(description.auChanged).toBe(false);
  });
});

describe('ausOfAuLabel: the one AU reading of the review screens', () => {
  it.each<[string, string | null, number[]]>([
    ['plain AUs, sorted', '12+1+2', [1, 2, 12]],
    ['a side is the AU', 'L12', [12]],
    ['an intensity is the AU', '12B', [12]],
    ['an action descriptor is no AU', 'AD19+12', [12]],
    ['AU 19 itself is', '19', [19]],
    ['a visibility code is no AU', '70', []],
    ['FACS neutral sets none', '0', []],
    ['duplicates once', '26+26+L26', [26]],
    ['unknown tokens set none', 'L12L+BL18+x+4', [4]],
    ['the null label', null, []],
  ])('%s: %s', (_, raw, aus) => {
    expect(ausOfAuLabel(raw === null ? { status: 'null' } : { status: 'coded', raw })).toEqual(aus);
  });

  it('no label at all sets none', () => {
    expect(ausOfAuLabel(null)).toEqual([]);
  });
});

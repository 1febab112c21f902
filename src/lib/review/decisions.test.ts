import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskToAus } from '../labels/au';
import { AuStatus } from '../labels/types';
import { FlagReasonSchema, SampleState, type Decision, type FinalLabels } from './decision';
import {
  applyDecisionsInPlace,
  countStates,
  finalLabel,
  labelAfterDecision,
  NO_FLAG_REASON,
  normalizedAuText,
  originalLabel,
  resolveFinalLabels,
  staleDecisions,
} from './decisions';
import { decision, finalLabelColumns, tableOfRaw } from './test-support';
import { textAt } from '../labels/text-column';

const table = tableOfRaw([
  { classId: 0, au: '1+2+12+25' }, // 0
  { classId: 3, au: 'L12+25 ' }, // 1: odd spacing and a side
  { classId: 5, au: 'NULL' }, // 2: not coded, upper-case spelling
  { classId: 7 }, // 3: AU absent
  { classId: 10, au: '4+9+10' }, // 4
]);

/** Final label of sample i as a plain object. */
function row(decisions: Decision[], i: number) {
  const final = resolveFinalLabels(table, decisions);
  return {
    ...finalLabel(final, i),
    aus: maskToAus(final.auMask, i),
    flagReason: final.flagReason[i],
  };
}

describe('resolveFinalLabels', () => {
  it('without decisions, equals the original table', () => {
    const final = resolveFinalLabels(table, []);
    expect(final.count).toBe(table.count);
    expect(Array.from(final.state)).toEqual([0, 0, 0, 0, 0]);
    expect(final.classIds).toEqual(table.classIds);
    expect(final.auStatus).toEqual(table.auStatus);
    expect(final.auRaw).toEqual(table.auRaw);
    expect(final.auMask).toEqual(table.auMask);
    expect(Array.from(final.flagReason)).toEqual(new Array(5).fill(NO_FLAG_REASON));
    expect(final.decisionOf(0)).toBeUndefined();
  });

  it('copies the columns: the original table is never written', () => {
    const before = structuredClone(table);
    resolveFinalLabels(table, [
      decision({
        id: 'c',
        sample: 0,
        kind: 'correct',
        correction: { classId: 2, au: { status: 'null' } },
      }),
    ]);
    expect(table).toEqual(before);
  });

  it.each<{
    name: string;
    decisions: Decision[];
    sample: number;
    expected: Partial<ReturnType<typeof row>>;
  }>([
    {
      name: 'accept keeps labels',
      decisions: [decision({ id: 'a', sample: 0, kind: 'accept' })],
      sample: 0,
      expected: {
        state: SampleState.accepted,
        classId: 0,
        auRaw: '1+2+12+25',
        aus: [1, 2, 12, 25],
      },
    },
    {
      name: 'correct the class only',
      decisions: [decision({ id: 'c', sample: 0, kind: 'correct', correction: { classId: 9 } })],
      sample: 0,
      expected: {
        state: SampleState.corrected,
        classId: 9,
        auRaw: '1+2+12+25',
        aus: [1, 2, 12, 25],
      },
    },
    {
      name: 'correct the AUs: raw re-parsed into mask and status',
      decisions: [
        decision({
          id: 'c',
          sample: 0,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: ' 1+2+L12B+43 ' } },
        }),
      ],
      sample: 0,
      expected: { classId: 0, auStatus: AuStatus.coded, auRaw: '1+2+L12B+43', aus: [1, 2, 12, 43] },
    },
    {
      name: 'same AUs written differently keep the original text',
      decisions: [
        decision({
          id: 'c',
          sample: 1,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: 'l12+25' } },
        }),
      ],
      sample: 1,
      expected: { state: SampleState.corrected, auRaw: 'L12+25 ', aus: [12, 25] },
    },
    {
      name: 'a changed side is a change',
      decisions: [
        decision({
          id: 'c',
          sample: 1,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: '12+25' } },
        }),
      ],
      sample: 1,
      expected: { auRaw: '12+25', aus: [12, 25] },
    },
    {
      name: 'coded -> not coded',
      decisions: [
        decision({ id: 'c', sample: 0, kind: 'correct', correction: { au: { status: 'null' } } }),
      ],
      sample: 0,
      expected: { auStatus: AuStatus.null, auRaw: 'null', aus: [] },
    },
    {
      name: 'a coded value typed as null means not coded',
      decisions: [
        decision({
          id: 'c',
          sample: 0,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: 'Null' } },
        }),
      ],
      sample: 0,
      expected: { auStatus: AuStatus.null, auRaw: 'null', aus: [] },
    },
    {
      name: 'not coded stays not coded: the file spelling is kept',
      decisions: [
        decision({ id: 'c', sample: 2, kind: 'correct', correction: { au: { status: 'null' } } }),
      ],
      sample: 2,
      expected: { auStatus: AuStatus.null, auRaw: 'NULL' },
    },
    {
      name: 'not coded -> coded',
      decisions: [
        decision({
          id: 'c',
          sample: 2,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: '4+15' } },
        }),
      ],
      sample: 2,
      expected: { auStatus: AuStatus.coded, auRaw: '4+15', aus: [4, 15] },
    },
    {
      name: 'absent -> coded',
      decisions: [
        decision({
          id: 'c',
          sample: 3,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: '1+4+20+25' } },
        }),
      ],
      sample: 3,
      expected: { auStatus: AuStatus.coded, auRaw: '1+4+20+25', aus: [1, 4, 20, 25] },
    },
    {
      name: 'all AUs removed: coded with no AUs, never "not coded"',
      decisions: [
        decision({
          id: 'c',
          sample: 4,
          kind: 'correct',
          correction: { au: { status: 'coded', raw: '' } },
        }),
      ],
      sample: 4,
      expected: { auStatus: AuStatus.coded, auRaw: '', aus: [] },
    },
    {
      name: 'flag keeps labels and records the reason',
      decisions: [decision({ id: 'f', sample: 4, kind: 'flag', flagReason: 'bad-crop' })],
      sample: 4,
      expected: {
        state: SampleState.flagged,
        classId: 10,
        auRaw: '4+9+10',
        flagReason: FlagReasonSchema.options.indexOf('bad-crop'),
      },
    },
    {
      name: 'flag without a reason',
      decisions: [decision({ id: 'f', sample: 4, kind: 'flag' })],
      sample: 4,
      expected: { state: SampleState.flagged, flagReason: NO_FLAG_REASON },
    },
    {
      name: 'a correction in a flag decision is not applied',
      decisions: [
        decision({
          id: 'f',
          sample: 4,
          kind: 'flag',
          flagReason: 'other',
          correction: { classId: 1 },
        }),
      ],
      sample: 4,
      expected: { state: SampleState.flagged, classId: 10 },
    },
    {
      name: 'discard keeps labels',
      decisions: [decision({ id: 'x', sample: 4, kind: 'discard' })],
      sample: 4,
      expected: { state: SampleState.discarded, classId: 10, auRaw: '4+9+10' },
    },
    {
      name: 'the latest decision wins; a flag after a correction shows the originals',
      decisions: [
        decision({ id: 'c', sample: 0, kind: 'correct', correction: { classId: 9 } }),
        decision({ id: 'f', sample: 0, kind: 'flag', flagReason: 'ambiguous' }),
      ],
      sample: 0,
      expected: { state: SampleState.flagged, classId: 0 },
    },
    {
      name: 'log order decides, not the timestamp',
      decisions: [
        decision({ id: 'late', sample: 0, kind: 'discard', at: 2_000 }),
        decision({ id: 'early', sample: 0, kind: 'accept', at: 1_000 }),
      ],
      sample: 0,
      expected: { state: SampleState.accepted },
    },
    {
      name: 'decisions of other samples do not leak',
      decisions: [decision({ id: 'x', sample: 1, kind: 'discard' })],
      sample: 0,
      expected: { state: SampleState.untouched, flagReason: NO_FLAG_REASON },
    },
  ])('$name', ({ decisions, sample, expected }) => {
    expect(row(decisions, sample)).toMatchObject(expected);
  });

  it('decisionOf gives the decision in effect', () => {
    const first = decision({ id: 'a', sample: 0, kind: 'accept' });
    const second = decision({ id: 'b', sample: 0, kind: 'discard' });
    const final = resolveFinalLabels(table, [first, second]);
    expect(final.decisionOf(0)).toBe(second);
    expect(final.decisionOf(1)).toBeUndefined();
    expect(final.decisionOf(99)).toBeUndefined();
  });

  it('skips stale decisions (outside the table, or another image) and lists them', () => {
    const decisions = [
      decision({ id: 'out', sample: 5, kind: 'discard' }),
      decision({ id: 'moved', sample: 0, kind: 'discard', sampleName: '9999.jpg' }),
      decision({ id: 'ok', sample: 1, kind: 'discard' }, table),
    ];
    const final = resolveFinalLabels(table, decisions);
    expect(Array.from(final.state)).toEqual([0, SampleState.discarded, 0, 0, 0]);
    expect(staleDecisions(table, decisions).map((s) => s.decision.id)).toEqual(['out', 'moved']);
  });

  it('counts states', () => {
    const final = resolveFinalLabels(table, [
      decision({ id: 'a', sample: 0, kind: 'accept' }),
      decision({ id: 'b', sample: 1, kind: 'discard' }),
      decision({ id: 'c', sample: 2, kind: 'discard' }),
    ]);
    expect(countStates(final)).toEqual([2, 1, 0, 0, 2]);
  });
});

describe('labelAfterDecision', () => {
  it('applies to the original, like resolveFinalLabels', () => {
    const d = decision({
      id: 'c',
      sample: 1,
      kind: 'correct',
      correction: { classId: 2, au: { status: 'coded', raw: '12+25' } },
    });
    const final = resolveFinalLabels(table, [d]);
    expect(labelAfterDecision(originalLabel(table, 1), d)).toEqual(finalLabel(final, 1));
  });

  it('originalLabel refuses samples outside the table', () => {
    expect(() => originalLabel(table, 5)).toThrow(RangeError);
  });
});

describe('normalizedAuText', () => {
  it.each([
    ['1+2+25', '1+2+25'],
    [' 1 + 2+25 ', '1+2+25'],
    ['l12+t24', 'L12+T24'],
    ['5b', '5B'],
    ['1++2', '1+2'],
    ['1+X9+2', '1+X9+2'],
    ['NULL', 'null'],
    ['2+1', '2+1'],
    ['26+26', '26+26'],
  ])('%j -> %j', (raw, expected) => {
    expect(normalizedAuText(raw)).toBe(expected);
  });
});

describe('applyDecisionsInPlace', () => {
  const correctAu = (id: string, sample: number, raw: string) =>
    decision({ id, sample, kind: 'correct', correction: { au: { status: 'coded', raw } } });

  it.each<{
    name: string;
    before: Decision[];
    appended: Decision[];
    sample: number;
    expected: Partial<ReturnType<typeof row>>;
  }>([
    {
      name: 'a first decision on an untouched sample',
      before: [],
      appended: [decision({ id: 'a', sample: 0, kind: 'accept' })],
      sample: 0,
      expected: { state: SampleState.accepted, classId: 0, auRaw: '1+2+12+25' },
    },
    {
      name: 'a flag after a correction shows the originals again',
      before: [
        decision({
          id: 'c',
          sample: 0,
          kind: 'correct',
          correction: { classId: 9, au: { status: 'null' } },
        }),
      ],
      appended: [decision({ id: 'f', sample: 0, kind: 'flag', flagReason: 'occluded' })],
      sample: 0,
      expected: {
        state: SampleState.flagged,
        classId: 0,
        auStatus: AuStatus.coded,
        auRaw: '1+2+12+25',
        aus: [1, 2, 12, 25],
        flagReason: FlagReasonSchema.options.indexOf('occluded'),
      },
    },
    {
      name: 'an accept after a flag clears the flag reason',
      before: [decision({ id: 'f', sample: 4, kind: 'flag', flagReason: 'bad-crop' })],
      appended: [decision({ id: 'a', sample: 4, kind: 'accept' })],
      sample: 4,
      expected: { state: SampleState.accepted, flagReason: NO_FLAG_REASON },
    },
    {
      name: 'a class correction after an AU correction puts the original AUs back',
      before: [correctAu('c1', 0, '4+15')],
      appended: [decision({ id: 'c2', sample: 0, kind: 'correct', correction: { classId: 2 } })],
      sample: 0,
      expected: { classId: 2, auRaw: '1+2+12+25', aus: [1, 2, 12, 25] },
    },
    {
      name: 'the same AUs written differently after a change keep the original text',
      before: [correctAu('c1', 1, '12+25')],
      appended: [correctAu('c2', 1, 'l12+25')],
      sample: 1,
      expected: { state: SampleState.corrected, auRaw: 'L12+25 ', aus: [12, 25] },
    },
    {
      name: 'not coded -> coded -> not coded keeps the file spelling',
      before: [correctAu('c1', 2, '4+15')],
      appended: [
        decision({ id: 'c2', sample: 2, kind: 'correct', correction: { au: { status: 'null' } } }),
      ],
      sample: 2,
      expected: { auStatus: AuStatus.null, auRaw: 'NULL', aus: [] },
    },
    {
      name: 'an AU correction of an absent value, then a discard',
      before: [correctAu('c1', 3, '1+4')],
      appended: [decision({ id: 'x', sample: 3, kind: 'discard' })],
      sample: 3,
      expected: { state: SampleState.discarded, auStatus: AuStatus.absent, auRaw: '', aus: [] },
    },
    {
      name: 'in one batch, the later decision on a sample wins',
      before: [],
      appended: [
        decision({ id: 'x', sample: 4, kind: 'discard' }),
        decision({ id: 'c', sample: 4, kind: 'correct', correction: { classId: 1 } }),
      ],
      sample: 4,
      expected: { state: SampleState.corrected, classId: 1 },
    },
    {
      name: 'a decision outside the table is skipped',
      before: [decision({ id: 'a', sample: 1, kind: 'accept' })],
      appended: [decision({ id: 'out', sample: 5, kind: 'discard' })],
      sample: 1,
      expected: { state: SampleState.accepted },
    },
    {
      name: 'a decision naming another image is skipped: the earlier one stays in effect',
      before: [decision({ id: 'a', sample: 1, kind: 'accept' })],
      appended: [decision({ id: 'moved', sample: 1, kind: 'discard', sampleName: '9999.jpg' })],
      sample: 1,
      expected: { state: SampleState.accepted },
    },
    {
      name: 'decisions of other samples do not leak',
      before: [decision({ id: 'f', sample: 0, kind: 'flag', flagReason: 'other' })],
      appended: [decision({ id: 'x', sample: 1, kind: 'discard' })],
      sample: 0,
      expected: {
        state: SampleState.flagged,
        flagReason: FlagReasonSchema.options.indexOf('other'),
      },
    },
  ])('$name', ({ before, appended, sample, expected }) => {
    const final = applyDecisionsInPlace(resolveFinalLabels(table, before), table, appended);
    expect({
      ...finalLabel(final, sample),
      aus: maskToAus(final.auMask, sample),
      flagReason: final.flagReason[sample],
    }).toMatchObject(expected);
    expect(finalLabelColumns(final)).toEqual(
      finalLabelColumns(resolveFinalLabels(table, [...before, ...appended])),
    );
  });

  it('writes the columns in place and returns a new wrapper of new views on them', () => {
    const first = resolveFinalLabels(table, []);
    const d = decision({ id: 'x', sample: 2, kind: 'discard' });
    const next = applyDecisionsInPlace(first, table, [d]);
    expect(next).not.toBe(first);
    for (const column of ['state', 'classIds', 'auStatus', 'auMask', 'flagReason'] as const) {
      expect(next[column]).not.toBe(first[column]);
      expect(next[column].buffer).toBe(first[column].buffer);
    }
    expect(next.auRaw).toBe(first.auRaw);
    // The earlier wrapper shares the data, so it shows the decision too.
    expect(first.state[2]).toBe(SampleState.discarded);
    expect(first.decisionOf(2)).toBe(d);
    expect(next.decisionOf(2)).toBe(d);
  });

  it('never writes the original table', () => {
    const before = structuredClone(table);
    applyDecisionsInPlace(resolveFinalLabels(table, []), table, [
      correctAu('c', 0, '4'),
      decision({ id: 'c2', sample: 3, kind: 'correct', correction: { classId: 1 } }),
    ]);
    expect(table).toEqual(before);
  });

  it('refuses final labels it cannot extend', () => {
    const foreign: FinalLabels = { ...resolveFinalLabels(table, []), decisionOf: () => undefined };
    expect(() => applyDecisionsInPlace(foreign, table, [])).toThrow(/resolveFinalLabels/);
    const other = tableOfRaw([{ classId: 0 }]);
    expect(() => applyDecisionsInPlace(resolveFinalLabels(other, []), table, [])).toThrow(
      /same dataset/,
    );
  });

  it('one decision at a time equals a full resolve over all of them (property)', () => {
    const names = Array.from({ length: table.count }, (_, i) => textAt(table.names, i));
    const auArb = fc.constantFrom(
      { status: 'null' as const },
      ...[
        '1+2+12+25',
        ' 1 + 2+12+25',
        'l12+25',
        'L12+25 ',
        '12+25',
        'null',
        'NULL',
        '',
        '4+9+10',
        '43+X9',
      ].map((raw) => ({ status: 'coded' as const, raw })),
    );
    const decisionArb = fc
      .record({
        // One past the table: a stale decision now and then.
        sample: fc.integer({ min: 0, max: table.count }),
        name: fc.constantFrom('own', 'none', 'other'),
        kind: fc.constantFrom<Decision['kind']>('accept', 'correct', 'flag', 'discard'),
        classId: fc.option(fc.integer({ min: -1, max: 12 }), { nil: undefined }),
        au: fc.option(auArb, { nil: undefined }),
        withCorrection: fc.boolean(),
        flagReason: fc.option(fc.constantFrom(...FlagReasonSchema.options), { nil: undefined }),
      })
      .map(({ sample, name, kind, classId, au, withCorrection, flagReason }): Decision => ({
        ...decision({ id: '', sample, kind }),
        sampleName:
          name === 'own' ? (names[sample] ?? '') : name === 'other' ? 'elsewhere.jpg' : '',
        ...(withCorrection
          ? { correction: { ...(classId !== undefined ? { classId } : {}), ...(au ? { au } : {}) } }
          : {}),
        ...(flagReason ? { flagReason } : {}),
      }));
    fc.assert(
      fc.property(fc.array(decisionArb, { maxLength: 30 }), fc.nat(), (drawn, cut) => {
        const decisions = drawn.map((d, k) => ({ ...d, id: `d${k}` }));
        const start = cut % (decisions.length + 1);
        let final = resolveFinalLabels(table, decisions.slice(0, start));
        for (let k = start; k < decisions.length; k++) {
          final = applyDecisionsInPlace(final, table, [decisions[k] as Decision]);
          expect(finalLabelColumns(final)).toEqual(
            finalLabelColumns(resolveFinalLabels(table, decisions.slice(0, k + 1))),
          );
        }
        expect(finalLabelColumns(final)).toEqual(
          finalLabelColumns(resolveFinalLabels(table, decisions)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('in batches equals a full resolve too (property)', () => {
    const decisionArb = fc
      .record({
        sample: fc.integer({ min: 0, max: table.count - 1 }),
        kind: fc.constantFrom<Decision['kind']>('accept', 'correct', 'flag', 'discard'),
        classId: fc.integer({ min: 0, max: 12 }),
      })
      .map(({ sample, kind, classId }) =>
        decision({
          id: '',
          sample,
          kind,
          ...(kind === 'correct'
            ? { correction: { classId, au: { status: 'coded', raw: `${classId + 1}` } } }
            : {}),
          ...(kind === 'flag' ? { flagReason: 'ambiguous' } : {}),
        }),
      );
    fc.assert(
      fc.property(
        fc.array(fc.array(decisionArb, { minLength: 1, maxLength: 6 }), { maxLength: 6 }),
        (batches) => {
          let k = 0;
          const numbered = batches.map((batch) => batch.map((d) => ({ ...d, id: `d${k++}` })));
          let final = resolveFinalLabels(table, []);
          for (const batch of numbered) final = applyDecisionsInPlace(final, table, batch);
          expect(finalLabelColumns(final)).toEqual(
            finalLabelColumns(resolveFinalLabels(table, numbered.flat())),
          );
        },
      ),
    );
  });
});

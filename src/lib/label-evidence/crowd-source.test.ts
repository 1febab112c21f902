import { describe, expect, it } from 'vitest';
import { RAFCE_SCHEME, RAFDB_BASIC_SCHEME } from '../labels/schemes';
import type { BasicEmotion, LabelScheme } from '../labels/types';
import { CROWD_EMOTIONS, CrowdDistributionSchema, type CrowdDistribution } from './crowd-file';
import {
  crowdAgreement,
  crowdClassMapCheck,
  crowdOpinions,
  crowdRates,
  type CrowdAgreement,
} from './crowd-source';
import { opinionOf } from './opinion';

/** Rows in file order: surprise, fear, disgust, happy, sad, anger; null = no row. */
type Row = readonly [number, number, number, number, number, number];

function crowdOf(rows: readonly (Row | null)[], fileName = 'distribution.txt'): CrowdDistribution {
  const shares = new Float32Array(rows.length * 6).fill(NaN);
  const has = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    if (!row) return;
    shares.set(row, i * 6);
    has[i] = 1;
  });
  return CrowdDistributionSchema.parse({
    version: 1,
    fileName,
    emotions: CROWD_EMOTIONS,
    shares,
    has,
    matched: rows.filter(Boolean).length,
  });
}

const HAPPY_SURPRISED: Row = [0.4, 0, 0, 0.5, 0.1, 0];
const FEAR_SURPRISED: Row = [0.45, 0.35, 0.05, 0.05, 0.1, 0];
const SAD_ANGRY: Row = [0, 0, 0.1, 0, 0.5, 0.4];

describe('crowdAgreement', () => {
  it.each<[string, Row, BasicEmotion[], CrowdAgreement]>([
    [
      'components hold the top two places',
      HAPPY_SURPRISED,
      ['happy', 'surprise'],
      { componentShare: 0.9, leads: 'yes', leading: ['happy', 'surprise'] },
    ],
    [
      'components in either order',
      HAPPY_SURPRISED,
      ['surprise', 'happy'],
      { componentShare: 0.9, leads: 'yes', leading: ['happy', 'surprise'] },
    ],
    [
      'components tied with each other, above the rest',
      [0.45, 0, 0, 0.45, 0.1, 0],
      ['happy', 'surprise'],
      { componentShare: 0.9, leads: 'yes', leading: ['surprise', 'happy'] },
    ],
    [
      'a component tied with another emotion for second place',
      [0.3, 0.3, 0, 0.4, 0, 0],
      ['happy', 'surprise'],
      { componentShare: 0.7, leads: 'tie', leading: ['happy', 'surprise'] },
    ],
    [
      'the same tie, the component listed after the emotion it ties',
      [0.3, 0.3, 0, 0.4, 0, 0],
      ['happy', 'fear'],
      { componentShare: 0.7, leads: 'tie', leading: ['happy', 'surprise'] },
    ],
    [
      'a tie within 1e-6',
      [0.3, 0.3000005, 0, 0.3999995, 0, 0],
      ['happy', 'surprise'],
      { componentShare: 0.6999995, leads: 'tie', leading: ['happy', 'fear'] },
    ],
    [
      'no votes for the second component: a tie at zero with four others',
      [0, 0, 0, 1, 0, 0],
      ['happy', 'surprise'],
      { componentShare: 1, leads: 'tie', leading: ['happy', 'surprise'] },
    ],
    [
      'another emotion ahead of a component by 0.01',
      [0.29, 0.3, 0, 0.41, 0, 0],
      ['happy', 'surprise'],
      { componentShare: 0.7, leads: 'no', leading: ['happy', 'fear'] },
    ],
    [
      'a crowd leading with another pair',
      FEAR_SURPRISED,
      ['happy', 'surprise'],
      { componentShare: 0.5, leads: 'no', leading: ['surprise', 'fear'] },
    ],
    [
      'one component: the top place',
      [0.1, 0, 0, 0.7, 0.2, 0],
      ['happy'],
      { componentShare: 0.7, leads: 'yes', leading: ['happy'] },
    ],
    [
      'one component tied for the top place',
      [0.5, 0, 0, 0.5, 0, 0],
      ['happy'],
      { componentShare: 0.5, leads: 'tie', leading: ['surprise'] },
    ],
    [
      'one component in second place',
      [0.1, 0, 0, 0.7, 0.2, 0],
      ['sad'],
      { componentShare: 0.2, leads: 'no', leading: ['happy'] },
    ],
    [
      'a component the crowd does not rate',
      [0.1, 0, 0, 0.7, 0.2, 0],
      ['neutral'],
      { componentShare: 0, leads: 'no', leading: ['happy'] },
    ],
    [
      'a rated and an unrated component',
      [0.1, 0, 0, 0.7, 0.2, 0],
      ['happy', 'contempt'],
      { componentShare: 0.7, leads: 'no', leading: ['happy', 'sad'] },
    ],
    [
      'no components',
      [0.1, 0, 0, 0.7, 0.2, 0],
      [],
      { componentShare: 0, leads: 'no', leading: [] },
    ],
  ])('%s', (_label, row, components, expected) => {
    const got = crowdAgreement(row, components);
    expect(got.leads).toBe(expected.leads);
    expect(got.leading).toEqual(expected.leading);
    expect(got.componentShare).toBeCloseTo(expected.componentShare, 9);
  });

  it('reads a float32 row as stored', () => {
    const row = Float32Array.from([0.3, 0.3, 0, 0.4, 0, 0]);
    expect(crowdAgreement(row, ['happy', 'fear']).leads).toBe('tie');
  });

  it.each<[BasicEmotion[], boolean]>([
    [['happy', 'surprise'], true],
    [['anger'], true],
    [['neutral'], false],
    [['happy', 'contempt'], false],
    [[], false],
  ])('crowdRates(%j) is %s', (components, expected) => {
    expect(crowdRates(components)).toBe(expected);
  });
});

const SMALL_SCHEME: LabelScheme = {
  id: 'small',
  name: 'Small',
  classes: [
    { id: 0, name: 'Happily surprised', components: ['happy', 'surprise'] },
    { id: 1, name: 'Sadly angry', components: ['sad', 'anger'] },
    { id: 2, name: 'Neutral', components: ['neutral'] },
    { id: 3, name: 'Unknown', components: [] },
  ],
};

describe('crowdOpinions', () => {
  it.each<[string, LabelScheme, Row, number[]]>([
    [
      'compound and unrated classes',
      SMALL_SCHEME,
      HAPPY_SURPRISED,
      // (0.5+0.01)(0.4+0.01), (0.1+0.01)(0+0.01), 0.01, 0.01; total 0.2302
      [0.2091 / 0.2302, 0.0011 / 0.2302, 0.01 / 0.2302, 0.01 / 0.2302],
    ],
    [
      'RAF-DB basic',
      RAFDB_BASIC_SCHEME,
      [0.1, 0, 0, 0.7, 0.2, 0],
      // surprise, fear, disgust, happy, sad, anger (share + 0.01), neutral 0.01; total 1.07
      [0.11 / 1.07, 0.01 / 1.07, 0.01 / 1.07, 0.71 / 1.07, 0.21 / 1.07, 0.01 / 1.07, 0.01 / 1.07],
    ],
    [
      'RAF-CE, a pair the crowd splits evenly',
      { ...RAFCE_SCHEME, classes: RAFCE_SCHEME.classes.slice(0, 2) },
      [0.5, 0, 0.5, 0, 0, 0],
      // happy+surprise: 0.01 x 0.51; happy+disgust: 0.01 x 0.51
      [0.5, 0.5],
    ],
  ])('%s', (_label, scheme, row, expected) => {
    const opinions = crowdOpinions(crowdOf([row]), scheme, Int16Array.from([-1]));
    expect(opinions.classIds).toEqual(scheme.classes.map((c) => c.id));
    const probs = Array.from(opinionOf(opinions, 0) ?? []);
    expect(probs).toHaveLength(expected.length);
    probs.forEach((p, c) => expect(p).toBeCloseTo(expected[c] as number, 6));
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('gives one row per sample with crowd votes, in sample order, and measures agreement', () => {
    const crowd = crowdOf(
      [HAPPY_SURPRISED, null, HAPPY_SURPRISED, SAD_ANGRY, [0.3, 0.3, 0, 0.4, 0, 0], SAD_ANGRY],
      'RAF-ML/distribution.txt',
    );
    // 0 agrees; 1 has no row; 2 is labelled Sadly angry (disagrees); 3 is neutral (not
    // judged); 4 ties for second place (agrees); 5's label is not in the scheme.
    const classIds = Int16Array.from([0, 0, 1, 2, 0, 9]);
    const opinions = crowdOpinions(crowd, SMALL_SCHEME, classIds);
    expect(opinions.kind).toBe('crowd');
    expect(opinions.name).toBe('Crowd votes (RAF-ML/distribution.txt)');
    expect(Array.from(opinions.rowOf)).toEqual([0, -1, 1, 2, 3, 4]);
    expect(opinions.probs).toHaveLength(5 * 4);
    expect(opinionOf(opinions, 1)).toBeNull();
    expect(Array.from(opinionOf(opinions, 2) ?? [])).toEqual(
      Array.from(opinionOf(opinions, 0) ?? []),
    );
    expect(opinions.quality).toEqual({
      measure: "share of 3 samples whose given class's components are the crowd's leading emotions",
      value: 2 / 3,
      samples: 3,
    });
  });

  it('has no quality figure when no sample with votes has a class the crowd rates', () => {
    const opinions = crowdOpinions(crowdOf([SAD_ANGRY]), SMALL_SCHEME, Int16Array.from([2]));
    expect(opinions.quality.value).toBeNull();
    expect(opinions.quality.samples).toBe(0);
  });

  it('leaves the crowd unchanged', () => {
    const crowd = crowdOf([HAPPY_SURPRISED]);
    const before = Array.from(crowd.shares);
    crowdOpinions(crowd, SMALL_SCHEME, Int16Array.from([0]));
    expect(Array.from(crowd.shares)).toEqual(before);
  });
});

/** RAF-CE with the names (and so the components) of ids 0 and 7 swapped. */
const SWAPPED_SCHEME: LabelScheme = {
  ...RAFCE_SCHEME,
  classes: RAFCE_SCHEME.classes.map((c) => {
    const other = c.id === 0 ? 7 : c.id === 7 ? 0 : c.id;
    const named = RAFCE_SCHEME.classes.find((d) => d.id === other) ?? c;
    return { ...named, id: c.id };
  }),
};

/** n samples of each class with the row that class's crowd gives. */
function dataset(groups: readonly [classId: number, row: Row, n: number][]) {
  const rows: Row[] = [];
  const ids: number[] = [];
  for (const [classId, row, n] of groups)
    for (let i = 0; i < n; i++) {
      rows.push(row);
      ids.push(classId);
    }
  return { crowd: crowdOf(rows), classIds: Int16Array.from(ids) };
}

describe('crowdClassMapCheck', () => {
  // Ids as RAF-CE writes them: 0 Happily surprised, 7 Fearfully surprised, 3 Sadly angry.
  // Classes of 20: the check judges no class on fewer than MIN_CLASS_MAP_SAMPLES.
  const { crowd, classIds } = dataset([
    [0, HAPPY_SURPRISED, 20],
    [7, FEAR_SURPRISED, 16],
    // Fear ties happy for second place: a tie for Fearfully surprised, and as much one
    // for Happily surprised.
    [7, [0.4, 0.3, 0, 0.3, 0, 0], 4],
    [3, SAD_ANGRY, 5],
  ]);

  it('finds nothing wrong with the right names', () => {
    const checks = crowdClassMapCheck(crowd, classIds, RAFCE_SCHEME);
    expect(checks.map((c) => c.classId)).toEqual(RAFCE_SCHEME.classes.map((c) => c.id));
    expect(checks.filter((c) => c.suspect)).toEqual([]);
    const byId = new Map(checks.map((c) => [c.classId, c]));
    expect(byId.get(0)).toEqual({
      classId: 0,
      name: 'Happily surprised',
      samples: 20,
      leadShare: 1,
      mostCommonLeading: ['surprise', 'happy'],
      mostCommonShare: 1,
      rated: true,
      suspect: false,
      suggestedClassId: null,
    });
    // 16 lead with surprise and fear outright, 4 with a tie broken their way.
    expect(byId.get(7)).toMatchObject({
      samples: 20,
      leadShare: 1,
      mostCommonLeading: ['surprise', 'fear'],
      mostCommonShare: 1,
      suspect: false,
    });
    expect(byId.get(3)).toMatchObject({ samples: 5, leadShare: 1, suspect: false });
    expect(byId.get(1)).toMatchObject({
      samples: 0,
      leadShare: 0,
      mostCommonLeading: [],
      mostCommonShare: 0,
      suspect: false,
      suggestedClassId: null,
    });
  });

  it('flags two swapped class names, each pointing to the other', () => {
    const checks = crowdClassMapCheck(crowd, classIds, SWAPPED_SCHEME);
    expect(
      checks
        .filter((c) => c.suspect)
        .map((c) => [c.classId, c.name, c.leadShare, c.mostCommonShare, c.suggestedClassId]),
    ).toEqual([
      [0, 'Fearfully surprised', 0, 1, 7],
      // The 4 ties count for the wrong name too, but 0.2 stays below 0.3.
      [7, 'Happily surprised', 0.2, 1, 0],
    ]);
  });

  it.each<[string, [number, Row, number][], boolean, number | null]>([
    [
      '4 of 20 lead with the class, 10 with Fearfully surprised',
      [
        [0, HAPPY_SURPRISED, 4],
        [0, FEAR_SURPRISED, 10],
        [0, SAD_ANGRY, 6],
      ],
      true,
      7,
    ],
    [
      'the same shares over 10 samples: too few to judge a class-name map',
      [
        [0, HAPPY_SURPRISED, 2],
        [0, FEAR_SURPRISED, 5],
        [0, SAD_ANGRY, 3],
      ],
      false,
      null,
    ],
    [
      '6 of 20 lead with the class: not below 0.3',
      [
        [0, HAPPY_SURPRISED, 6],
        [0, FEAR_SURPRISED, 14],
      ],
      false,
      null,
    ],
    [
      '8 of 20 lead with another class: not above 0.4',
      [
        [0, HAPPY_SURPRISED, 4],
        [0, FEAR_SURPRISED, 8],
        [0, SAD_ANGRY, 8],
      ],
      false,
      null,
    ],
    [
      'the most common leading pair is no class of the scheme',
      [[0, [0, 0, 0, 0.5, 0, 0.5], 20]],
      false,
      null,
    ],
  ])('%s', (_label, groups, suspect, suggested) => {
    const { crowd: c, classIds: ids } = dataset(groups);
    const check = crowdClassMapCheck(c, ids, RAFCE_SCHEME).find((x) => x.classId === 0);
    expect(check?.suspect).toBe(suspect);
    expect(check?.suggestedClassId).toBe(suggested);
  });

  it('does not judge a class the crowd cannot rate', () => {
    const { crowd: c, classIds: ids } = dataset([
      [7, [0.1, 0, 0, 0.7, 0.2, 0], 10],
      [4, [0.1, 0, 0, 0.7, 0.2, 0], 10],
    ]);
    const checks = crowdClassMapCheck(c, ids, RAFDB_BASIC_SCHEME);
    expect(checks.find((x) => x.classId === 7)).toMatchObject({
      name: 'Neutral',
      samples: 10,
      rated: false,
      leadShare: 0,
      mostCommonLeading: ['happy'],
      mostCommonShare: 1,
      suspect: false,
      suggestedClassId: null,
    });
    expect(checks.find((x) => x.classId === 4)).toMatchObject({ leadShare: 1, suspect: false });
  });
});

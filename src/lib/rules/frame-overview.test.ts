import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupFrames } from '../labels/groups';
import { textColumnOf } from '../labels/text-column';
import { LabelSchemeSchema, type SampleTable } from '../labels/types';
import { buildFrameOverview } from './frame-overview';
import { tableOf, type TestRow } from './test-support';

const scheme = LabelSchemeSchema.parse({
  id: 't',
  name: 't',
  classes: [
    { id: 0, name: 'Smile', components: [] },
    { id: 1, name: 'Frown', components: [] },
  ],
});

/** A made-up subject rule: the video name's part before '_'; `anon*` says none. */
const subjectOf = (video: string): string | null =>
  video.startsWith('anon') ? null : (video.split('_')[0] ?? null);

function frameTable(rows: readonly (TestRow & { name: string })[]): SampleTable {
  return { ...tableOf(rows), names: textColumnOf(rows.map((r) => r.name)) };
}

describe('buildFrameOverview', () => {
  const table = frameTable([
    { name: 'F001_T1/00001.jpg', classId: 0, aus: [12] },
    { name: 'F001_T1/00002.jpg', classId: 0, aus: null },
    { name: 'F001_T2/00001.jpg', classId: 1, aus: [4] },
    { name: 'F002_T1/00001.jpg', classId: -1, aus: null },
    { name: 'anon1/00001.jpg', classId: 1 },
    { name: 'still.jpg', classId: 0, aus: null },
  ]);
  const overview = buildFrameOverview(table, groupFrames(table.names, subjectOf), scheme);

  it('counts per video: frames, null AU labels, classes most first', () => {
    expect(overview.videos).toEqual([
      {
        name: 'F001_T1',
        subject: 'F001',
        videos: 1,
        samples: 2,
        nullCount: 1,
        nullShare: 0.5,
        classes: [{ classId: 0, name: 'Smile', count: 2 }],
      },
      {
        name: 'F001_T2',
        subject: 'F001',
        videos: 1,
        samples: 1,
        nullCount: 0,
        nullShare: 0,
        classes: [{ classId: 1, name: 'Frown', count: 1 }],
      },
      {
        name: 'F002_T1',
        subject: 'F002',
        videos: 1,
        samples: 1,
        nullCount: 1,
        nullShare: 1,
        classes: [{ classId: -1, name: '(no emotion label)', count: 1 }],
      },
      {
        name: 'anon1',
        subject: null,
        videos: 1,
        samples: 1,
        nullCount: 0,
        nullShare: 0,
        classes: [{ classId: 1, name: 'Frown', count: 1 }],
      },
    ]);
  });

  it('counts per subject over its videos, then the videos of no known subject', () => {
    expect(overview.subjects.map((s) => [s.name, s.videos, s.samples, s.nullCount])).toEqual([
      ['F001', 2, 3, 1],
      ['F002', 1, 1, 1],
      [null, 1, 1, 0],
    ]);
    expect(overview.subjects[0]?.classes).toEqual([
      { classId: 0, name: 'Smile', count: 2 },
      { classId: 1, name: 'Frown', count: 1 },
    ]);
  });

  it('counts the samples of no video apart', () => {
    expect(overview.outsideVideos).toBe(1);
  });

  it('has no row of unknown subjects when every video names one', () => {
    const known = frameTable([{ name: 'F001_T1/1.jpg', classId: 0 }]);
    const result = buildFrameOverview(known, groupFrames(known.names, subjectOf), scheme);
    expect(result.subjects.map((s) => s.name)).toEqual(['F001']);
  });

  const rowsArb = fc.array(
    fc.record({
      name: fc
        .tuple(fc.constantFrom('S1_a', 'S1_b', 'S2_a', 'anon', ''), fc.nat(50))
        .map(([video, frame]) => (video ? `${video}/${frame}.jpg` : `${frame}.jpg`)),
      classId: fc.integer({ min: -1, max: 2 }),
      aus: fc.oneof(fc.constant(null), fc.constant(undefined), fc.constant<number[]>([12])),
    }),
    { maxLength: 120 },
  );

  it('agrees with a plain recount, and its rows add up to the table', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const t = frameTable(rows);
        const groups = groupFrames(t.names, subjectOf);
        const result = buildFrameOverview(t, groups, scheme);
        const videoOfName = (name: string) =>
          name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : null;
        for (const row of result.videos) {
          const mine = rows.filter((r) => videoOfName(r.name) === row.name);
          expect(row.samples).toBe(mine.length);
          expect(row.nullCount).toBe(mine.filter((r) => r.aus === null).length);
          expect(row.subject).toBe(subjectOf(row.name));
          for (const c of row.classes)
            expect(c.count).toBe(mine.filter((r) => r.classId === c.classId).length);
          expect(row.classes.reduce((sum, c) => sum + c.count, 0)).toBe(mine.length);
        }
        const total = (list: { samples: number }[]) => list.reduce((a, r) => a + r.samples, 0);
        expect(total(result.videos) + result.outsideVideos).toBe(rows.length);
        expect(total(result.subjects)).toBe(total(result.videos));
        for (const subject of result.subjects) {
          const mine = result.videos.filter((v) => v.subject === subject.name);
          expect(subject.videos).toBe(mine.length);
          expect(subject.nullCount).toBe(mine.reduce((a, v) => a + v.nullCount, 0));
        }
      }),
    );
  });
});

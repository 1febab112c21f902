import { describe, expect, it, vi } from 'vitest';
import { TeamState } from './team.svelte';
import type { DatasetLibrary } from './library.svelte';
import type { DecisionInput } from './review.svelte';
import { listTeamBundles } from '../store/team';
import { tableOf } from '../team/test-support';
import { newReviewSet } from '../review/review-set';
import type { Decision } from '../review/decision';
import { ausOfText, cleanInput, latestDecisions, newSessionId, withTime } from './team-support';

const table = tableOf([
  { classId: 0, au: '1+2+25' },
  { classId: 1, au: 'null' },
  { classId: 2, au: '4+15' },
  { classId: 0, au: '6+12' },
]);

/** Just what TeamState reads of the library: the open dataset, its table and review. */
function fakeLibrary(datasetId: string) {
  const decided: DecisionInput[][] = [];
  const library = {
    openId: datasetId,
    open: {
      id: datasetId,
      name: 'Demo',
      scheme: { id: 'raf-ce', name: 'RAF-CE', classes: [{ id: 0, name: 'A', components: [] }] },
      splitNames: {},
    },
    table,
    images: { url: vi.fn(async () => null) },
    review: {
      reviewer: 'Lee',
      active: [] as Decision[],
      reviewSets: [
        newReviewSet(
          { id: 'set1', datasetId, name: 'Four', createdAt: 1, kind: 'filter', stratified: false },
          [0, 1, 2, 3],
        ),
      ],
      decide: vi.fn(async (inputs: DecisionInput[]) => {
        decided.push(inputs);
        return true;
      }),
    },
  };
  return { library: library as unknown as DatasetLibrary, decided };
}

describe('TeamState, lead and reviewers in one test', () => {
  it('splits a set, reviews blind, merges idempotently, refuses strangers, adjudicates', async () => {
    const datasetId = `ds-${crypto.randomUUID()}`;
    const { library, decided } = fakeLibrary(datasetId);
    const lead = new TeamState(library);
    await lead.load(datasetId);
    expect(
      await lead.createSession({
        reviewSetId: 'set1',
        reviewers: ['Ada', 'Ada'],
        overlap: 2,
        seed: 1,
      }),
    ).toContain('reviewer "Ada" is listed twice');
    expect(lead.sessions).toEqual([]);
    expect(
      await lead.createSession({
        reviewSetId: 'set1',
        reviewers: ['Ada', 'Bo'],
        overlap: 2,
        seed: 1,
      }),
    ).toEqual([]);
    const sessionId = lead.sessionId ?? '';
    expect(lead.session?.session.assignments.map((a) => a.samples)).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ]);

    // Each reviewer in a browser of their own (another TeamState; the store is shared here,
    // so each removes the assignment after exporting).
    const bundles: { name: string; text: string }[] = [];
    const kinds: Record<string, Decision['kind'][]> = {
      Ada: ['accept', 'accept', 'discard', 'accept'],
      Bo: ['accept', 'flag', 'discard', 'accept'],
    };
    for (const reviewer of ['Ada', 'Bo']) {
      const file = await lead.assignmentFile(reviewer, false);
      if (!file) throw new Error('no assignment file');
      const browser = new TeamState(fakeLibrary('their-own').library);
      await browser.load(null);
      const bad = await browser.openAssignment({ name: 'x.json', text: '{"format": 1' });
      expect(bad.ok).toBe(false);
      expect(bad.messages[0]).toMatch(/^x\.json is not valid JSON at line 1/);
      expect(browser.assignments).toEqual([]);
      expect((await browser.openAssignment(file)).ok).toBe(true);
      const record = browser.assignment;
      if (!record) throw new Error('not opened');
      for (const [i, sample] of record.assignment.samples.entries()) {
        const kind = kinds[reviewer]?.[i] ?? 'accept';
        expect(await browser.reviewerDecide(sessionId, sample, { kind, note: ' ' }, 1000)).toBe(
          true,
        );
      }
      const bundle = browser.bundleFile(sessionId);
      if (!bundle) throw new Error('no bundle');
      const parsed = JSON.parse(bundle.text) as { decisions: Decision[]; durationsMs: unknown };
      expect(parsed.decisions.map((d) => [d.datasetId, d.reviewer])).toEqual(
        Array.from({ length: 4 }, () => [datasetId, reviewer]),
      );
      expect(parsed.durationsMs).toHaveLength(4);
      bundles.push(bundle);
      await browser.removeAssignment(sessionId);
    }

    const first = await lead.importBundles([bundles[1] as { name: string; text: string }]);
    expect(first[0]?.messages[0]).toMatch(/4 new decision\(s\) from Bo/);
    const again = await lead.importBundles(bundles);
    expect(again.map((o) => o.messages[0])).toEqual([
      expect.stringMatching(/4 new decision\(s\) from Ada/),
      expect.stringMatching(/already imported, nothing changed/),
    ]);
    const stored = await listTeamBundles(sessionId);
    const strangers = await lead.importBundles([
      { name: 'other.json', text: (bundles[0]?.text ?? '').replace(sessionId, 'team-other') },
      { name: 'notes.txt', text: 'hello' },
    ]);
    expect(strangers.map((o) => o.ok)).toEqual([false, false]);
    expect(strangers[0]?.messages[0]).toMatch(/other\.json belongs to review session team-other/);
    expect(await listTeamBundles(sessionId)).toEqual(stored);

    expect(lead.report?.overall).toMatchObject({ samples: 4, compared: 4, unanimous: 3 });
    expect(lead.conflicts.map((c) => c.sample.sample)).toEqual([1]);
    const conflict = lead.conflicts[0];
    if (!conflict) throw new Error('no conflict');
    expect(await lead.adjudicate(conflict.sample, { from: 'Bo' })).toBe(true);
    expect(decided[0]).toEqual([
      {
        sample: 1,
        kind: 'flag',
        flagReason: 'other',
        note: 'adjudicated: chose Bo',
        reviewSetId: sessionId,
      },
    ]);
    expect(await lead.applyAgreed()).toBe(true);
    expect(decided[1]?.map((d) => [d.sample, d.kind])).toEqual([
      [0, 'accept'],
      [2, 'discard'],
      [3, 'accept'],
    ]);
  });
});

describe('team support', () => {
  it.each([
    ['1+2+25', [1, 2, 25]],
    ['L12B+12+AD19+6', [6, 12]],
    ['null', null],
    ['', []],
  ])('ausOfText(%j) = %j', (raw, aus) => {
    expect(ausOfText(raw)).toEqual(aus);
  });

  it('keeps only what a decision of its kind carries', () => {
    expect(cleanInput({ kind: 'accept', flagReason: 'occluded', note: '  ' })).toEqual({
      kind: 'accept',
    });
    expect(cleanInput({ kind: 'flag', note: ' why ' })).toEqual({
      kind: 'flag',
      flagReason: 'other',
      note: 'why',
    });
  });

  it('adds time per sample and picks the latest decision per sample', () => {
    const d = (id: string, sample: number, at: number) =>
      ({ id, sample, at }) as unknown as Decision;
    expect(latestDecisions([d('a', 1, 5), d('b', 1, 3), d('c', 2, 1)]).get(1)?.id).toBe('a');
    const record = { durations: [{ sample: 1, ms: 100 }] } as Parameters<typeof withTime>[0];
    expect(withTime(withTime(record, 1, 50.4), 2, 10).durations).toEqual([
      { sample: 1, ms: 150 },
      { sample: 2, ms: 10 },
    ]);
    expect(newSessionId(Date.UTC(2025, 0, 2), 'abcd-ef12-3456')).toBe('team-20250102-abcdef12');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { TeamLeadState, TeamReviewerState } from './team.svelte';
import type { DatasetLibrary } from './library.svelte';
import type { DecisionInput } from './review.svelte';
import { listTeamBundles, saveAssignment, saveTeamSession } from '../store/team';
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

/** Just what the team states read of the library: the open dataset, its table and review. */
function fakeLibrary(datasetId: string) {
  const decided: DecisionInput[][] = [];
  const library = {
    openId: datasetId,
    open: {
      id: datasetId,
      name: 'Demo',
      scheme: {
        id: 'raf-ce',
        name: 'RAF-CE',
        classes: ['A', 'B', 'C'].map((name, id) => ({ id, name, components: [] })),
      },
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

describe('team review, lead and reviewers in one test', () => {
  it('splits a set, reviews blind, merges idempotently, refuses strangers, adjudicates', async () => {
    const datasetId = `ds-${crypto.randomUUID()}`;
    const { library, decided } = fakeLibrary(datasetId);
    const lead = new TeamLeadState(library);
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

    // Each reviewer in a browser of their own (another reviewer state; the store is shared here,
    // so each removes the assignment after exporting).
    const bundles: { name: string; text: string }[] = [];
    const kinds: Record<string, Decision['kind'][]> = {
      Ada: ['accept', 'accept', 'discard', 'accept'],
      Bo: ['accept', 'flag', 'discard', 'accept'],
    };
    for (const reviewer of ['Ada', 'Bo']) {
      const file = await lead.assignmentFile(reviewer, false);
      if (!file) throw new Error('no assignment file');
      const browser = new TeamReviewerState(fakeLibrary('their-own').library);
      await browser.load();
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
      // What the lead would refuse, the reviewer's app refuses first (and stores nothing).
      const before = browser.assignment?.decisions.length;
      const sample = record.assignment.samples[0];
      if (!sample) throw new Error('no sample');
      const injected = { status: 'coded' as const, raw: '4+15\nINJECTED_LINE.jpg 99' };
      expect(
        await browser.reviewerDecide(
          sessionId,
          sample,
          { kind: 'correct', correction: { au: injected } },
          1,
        ),
      ).toBe(false);
      expect(browser.error).toMatch(
        /^0001\.jpg: not saved: this decision sets AU text .* contains a line break$/,
      );
      expect(browser.assignment?.decisions.length).toBe(before);
      const bundle = await browser.bundleFile(sessionId);
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

    // Bo sends a bundle in Ada's name: refused by its signature, nothing stored changes.
    const forged = JSON.parse(bundles[1]?.text ?? '') as Record<string, unknown> & {
      decisions: Decision[];
    };
    const asAda = {
      ...forged,
      reviewer: 'Ada',
      decisions: forged.decisions.map((d) => ({
        ...d,
        reviewer: 'Ada',
        id: `${d.id}-x`,
        at: d.at + 1,
      })),
    };
    const [refused] = await lead.importBundles([{ name: 'ada.json', text: JSON.stringify(asAda) }]);
    expect(refused).toEqual({
      fileName: 'ada.json',
      ok: false,
      messages: [
        "ada.json: signature does not match reviewer Ada's key: the file was edited or is not theirs",
      ],
    });
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

describe('team review with records stored by older versions', () => {
  const sample = (index: number) => ({
    index,
    name: `${index}.jpg`,
    classId: 0,
    auRaw: '',
    auStatus: 'absent' as const,
    split: 0,
  });

  it('shows an assignment stored with repeated samples and classes once each', async () => {
    const sessionId = `team-old-${crypto.randomUUID()}`;
    await saveAssignment({
      version: 1,
      sessionId,
      datasetId: 'ds-old',
      fileName: 'old.json',
      openedAt: Number.MAX_SAFE_INTEGER, // listed first
      assignment: {
        format: 'au-review-assignment',
        version: 1,
        sessionId,
        datasetId: 'ds-old',
        datasetName: 'Old',
        lead: 'Lee',
        reviewer: 'Ada',
        createdAt: 1,
        schemeId: 'raf-ce',
        classes: [
          { id: 0, name: 'A' },
          { id: 0, name: 'A again' },
          { id: 1, name: 'B' },
        ],
        samples: [sample(0), sample(1), sample(1), sample(2), sample(0), sample(3), sample(4)],
      },
      decisions: [],
      durations: [],
      startedAt: null,
    });
    const browser = new TeamReviewerState(fakeLibrary('their-own').library);
    await browser.load();
    const shown = browser.assignments.find((a) => a.sessionId === sessionId)?.assignment;
    expect(shown?.samples.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    expect(shown?.classes.map((c) => c.name)).toEqual(['A', 'B']);
    // It holds no key, so no bundle can be made from it; the reviewer is told why.
    expect(await browser.bundleFile(sessionId)).toBeNull();
    expect(browser.error).toMatch(
      /^old\.json is an assignment file version 1, which holds no signing key/,
    );
    await browser.removeAssignment(sessionId);
  });

  it('gives no assignment file for a session made before keys existed', async () => {
    const datasetId = `ds-${crypto.randomUUID()}`;
    const sessionId = `team-old-${crypto.randomUUID()}`;
    await saveTeamSession({
      version: 1,
      id: sessionId,
      datasetId,
      session: {
        format: 'au-review-session',
        version: 1,
        sessionId,
        seed: 1,
        overlap: 1,
        reviewers: ['Ada'],
        assignments: [{ reviewer: 'Ada', samples: [0, 1] }],
        datasetId,
        datasetName: 'Demo',
        lead: 'Lee',
        createdAt: 1,
      },
    });
    const lead = new TeamLeadState(fakeLibrary(datasetId).library);
    await lead.load(datasetId);
    expect(lead.sessionId).toBe(sessionId);
    expect(await lead.assignmentFile('Ada', false)).toBeNull();
    expect(lead.error).toMatch(/holds no signing key for Ada: .* Create a new session\.$/);
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

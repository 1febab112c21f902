import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAFCE_SCHEME } from '../labels/schemes';
import type { Decision } from './decision';
import { resolveFinalLabels } from './decisions';
import {
  activeDecisions,
  applyDecide,
  canRedo,
  canUndo,
  HistoryEntrySchema,
  redo,
  replayHistory,
  sampleHistory,
  undo,
  type HistoryEntry,
} from './history';
import { decision, meta, tableOfRaw } from './test-support';

const table = tableOfRaw([
  { classId: 3, au: '4+15' },
  { classId: 0, au: '1+2+12+25' },
  { classId: 5, au: 'null' },
  { classId: 10 },
]);

/** A tiny editor over the pure functions: what the state layer will do with IndexedDB. */
class Editor {
  log: HistoryEntry[] = [];
  decisions: Decision[] = [];
  decide(...ds: Decision[]): HistoryEntry {
    const entry = applyDecide(this.log, ds, meta());
    this.decisions.push(...ds);
    this.log.push(entry);
    return entry;
  }
  undo(): HistoryEntry | null {
    const entry = undo(this.log, meta());
    if (entry) this.log.push(entry);
    return entry;
  }
  redo(): HistoryEntry | null {
    const entry = redo(this.log, meta());
    if (entry) this.log.push(entry);
    return entry;
  }
  active(): string[] {
    return activeDecisions(this.log, this.decisions).map((d) => d.id);
  }
}

const accept = (id: string, sample = 0) => decision({ id, sample, kind: 'accept' }, table);

describe('HistoryEntrySchema', () => {
  const base = { version: 1, id: 'e', datasetId: 'ds', at: 1, reviewer: 'ana' };
  it.each([
    [{ ...base, kind: 'decide', decisionIds: ['d1', 'd2'] }, true],
    [{ ...base, kind: 'decide', decisionIds: [] }, false],
    [{ ...base, kind: 'decide', decisionIds: ['d1'], targets: 'e0' }, false],
    [{ ...base, kind: 'undo', decisionIds: [], targets: 'e0' }, true],
    [{ ...base, kind: 'undo', decisionIds: [] }, false],
    [{ ...base, kind: 'redo', decisionIds: [], targets: 'e0' }, true],
    [{ ...base, version: 2, kind: 'undo', decisionIds: [], targets: 'e0' }, false],
  ])('%j valid: %s', (entry, valid) => {
    expect(HistoryEntrySchema.safeParse(entry).success).toBe(valid);
  });

  it('the entries the functions make are valid', () => {
    const editor = new Editor();
    editor.decide(accept('a'), accept('b', 1));
    editor.undo();
    editor.redo();
    for (const entry of editor.log) expect(HistoryEntrySchema.parse(entry)).toEqual(entry);
  });
});

describe('undo and redo', () => {
  it.each<{
    name: string;
    steps: (e: Editor) => void;
    active: string[];
    canUndo: boolean;
    canRedo: boolean;
  }>([
    { name: 'empty log', steps: () => {}, active: [], canUndo: false, canRedo: false },
    {
      name: 'decide twice',
      steps: (e) => {
        e.decide(accept('a'));
        e.decide(accept('b'));
      },
      active: ['a', 'b'],
      canUndo: true,
      canRedo: false,
    },
    {
      name: 'undo the latest',
      steps: (e) => {
        e.decide(accept('a'));
        e.decide(accept('b'));
        e.undo();
      },
      active: ['a'],
      canUndo: true,
      canRedo: true,
    },
    {
      name: 'undo everything',
      steps: (e) => {
        e.decide(accept('a'));
        e.decide(accept('b'));
        e.undo();
        e.undo();
      },
      active: [],
      canUndo: false,
      canRedo: true,
    },
    {
      name: 'redo in order',
      steps: (e) => {
        e.decide(accept('a'));
        e.decide(accept('b'));
        e.undo();
        e.undo();
        e.redo();
      },
      active: ['a'],
      canUndo: true,
      canRedo: true,
    },
    {
      name: 'a new decision clears the redo branch',
      steps: (e) => {
        e.decide(accept('a'));
        e.decide(accept('b'));
        e.undo();
        e.decide(accept('c'));
      },
      active: ['a', 'c'],
      canUndo: true,
      canRedo: false,
    },
    {
      name: 'a bulk decision undoes as one step',
      steps: (e) => {
        e.decide(accept('a'));
        e.decide(accept('b1', 1), accept('b2', 2), accept('b3', 3));
        e.undo();
      },
      active: ['a'],
      canUndo: true,
      canRedo: true,
    },
  ])('$name', ({ steps, active, canUndo: undoable, canRedo: redoable }) => {
    const editor = new Editor();
    steps(editor);
    expect(editor.active()).toEqual(active);
    expect(canUndo(editor.log)).toBe(undoable);
    expect(canRedo(editor.log)).toBe(redoable);
  });

  it('returns null when there is nothing to undo or redo', () => {
    const editor = new Editor();
    expect(editor.undo()).toBeNull();
    expect(editor.redo()).toBeNull();
    editor.decide(accept('a'));
    expect(editor.redo()).toBeNull();
    editor.undo();
    expect(editor.undo()).toBeNull();
  });

  it('undoes and redoes 150 steps', () => {
    const editor = new Editor();
    for (let i = 0; i < 150; i++) editor.decide(accept(`d${i}`, i % table.count));
    for (let i = 0; i < 150; i++) expect(editor.undo()).not.toBeNull();
    expect(editor.active()).toEqual([]);
    for (let i = 0; i < 150; i++) expect(editor.redo()).not.toBeNull();
    expect(editor.active()).toEqual(Array.from({ length: 150 }, (_, i) => `d${i}`));
  });

  it('undo and redo target the decide entry', () => {
    const editor = new Editor();
    const step = editor.decide(accept('a'));
    expect(editor.undo()).toMatchObject({ kind: 'undo', targets: step.id, decisionIds: [] });
    expect(editor.redo()).toMatchObject({ kind: 'redo', targets: step.id });
  });

  it('applyDecide refuses an empty step and a decision already logged', () => {
    const editor = new Editor();
    editor.decide(accept('a'));
    expect(() => applyDecide(editor.log, [], meta())).toThrow();
    expect(() => applyDecide(editor.log, [accept('a')], meta())).toThrow(/already/);
    expect(() => applyDecide(editor.log, [accept('b'), accept('b')], meta())).toThrow(/twice/);
  });

  it('replay is lenient with entries appended by two tabs', () => {
    const d = (id: string, decisionIds: string[]): HistoryEntry => ({
      version: 1,
      id,
      datasetId: 'ds',
      at: 0,
      reviewer: 'ana',
      kind: 'decide',
      decisionIds,
    });
    const u = (id: string, kind: 'undo' | 'redo', targets: string): HistoryEntry => ({
      ...d(id, []),
      kind,
      targets,
    });
    const log: HistoryEntry[] = [
      d('e1', ['a']),
      d('e2', ['b']),
      d('e2', ['b']), // stored twice
      u('u1', 'undo', 'e1'), // not the top: still undoes e1
      u('u2', 'undo', 'e1'), // already undone: ignored
      u('r1', 'redo', 'nope'), // unknown: ignored
    ];
    const state = replayHistory(log);
    expect(state.done).toEqual(['e2']);
    expect(state.redoable).toEqual(['e1']);
    expect(activeDecisions(log, [accept('a'), accept('b')]).map((x) => x.id)).toEqual(['b']);
  });

  it('activeDecisions skips ids without a stored decision and decisions no entry names', () => {
    const editor = new Editor();
    editor.decide(accept('a'), accept('b', 1));
    expect(
      activeDecisions(editor.log, [accept('b', 1), accept('stray', 2)]).map((x) => x.id),
    ).toEqual(['b']);
  });
});

// ---------------------------------------------------------------------------
// Properties

type Op = { kind: 'decide'; samples: number[] } | { kind: 'undo' } | { kind: 'redo' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('decide' as const),
    samples: fc.array(fc.integer({ min: 0, max: table.count - 1 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.constant({ kind: 'undo' as const }),
  fc.constant({ kind: 'redo' as const }),
);
const kinds = ['accept', 'correct', 'flag', 'discard'] as const;

function run(ops: Op[]): Editor {
  const editor = new Editor();
  let n = 0;
  for (const op of ops) {
    if (op.kind === 'undo') editor.undo();
    else if (op.kind === 'redo') editor.redo();
    else {
      editor.decide(
        ...op.samples.map((sample) => {
          n += 1;
          const kind = kinds[n % kinds.length] as (typeof kinds)[number];
          return decision(
            {
              id: `d${n}`,
              sample,
              kind,
              ...(kind === 'correct'
                ? {
                    correction: {
                      classId: n % 14,
                      au: { status: 'coded' as const, raw: `${(n % 27) + 1}+25` },
                    },
                  }
                : {}),
              ...(kind === 'flag' ? { flagReason: 'ambiguous' as const } : {}),
            },
            table,
          );
        }),
      );
    }
  }
  return editor;
}

describe('history properties', () => {
  it('matches a model of two stacks', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const editor = new Editor();
        const done: string[][] = [];
        let redoable: string[][] = [];
        let n = 0;
        for (const op of ops) {
          if (op.kind === 'decide') {
            const ds = op.samples.map((sample) => accept(`m${++n}`, sample));
            editor.decide(...ds);
            done.push(ds.map((d) => d.id));
            redoable = [];
          } else if (op.kind === 'undo') {
            const step = done.pop();
            expect(editor.undo() !== null).toBe(step !== undefined);
            if (step) redoable.push(step);
          } else {
            const step = redoable.pop();
            expect(editor.redo() !== null).toBe(step !== undefined);
            if (step) done.push(step);
          }
          expect(editor.active()).toEqual(done.flat());
          expect(canUndo(editor.log)).toBe(done.length > 0);
          expect(canRedo(editor.log)).toBe(redoable.length > 0);
        }
      }),
    );
  });

  it('undo after a decide restores the previous active set; redo restores the decide', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 30 }),
        fc.array(fc.nat(table.count - 1), { minLength: 1, maxLength: 4 }),
        (ops, samples) => {
          const editor = run(ops);
          const before = editor.active();
          editor.decide(...samples.map((s, k) => accept(`new${k}`, s)));
          const decided = editor.active();
          expect(editor.undo()).not.toBeNull();
          expect(editor.active()).toEqual(before);
          expect(editor.redo()).not.toBeNull();
          expect(editor.active()).toEqual(decided);
        },
      ),
    );
  });

  it('any undo restores the active set of the step before', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const editor = run(ops);
        if (!canUndo(editor.log)) return;
        const now = editor.active();
        editor.undo();
        const afterUndo = editor.active();
        expect(afterUndo.length).toBeLessThan(now.length);
        expect(now.slice(0, afterUndo.length)).toEqual(afterUndo);
        editor.redo();
        expect(editor.active()).toEqual(now);
      }),
    );
  });

  it('final labels after decide + undo equal the originals', () => {
    fc.assert(
      fc.property(
        fc.array(
          opArb.filter((op) => op.kind === 'decide'),
          { minLength: 1, maxLength: 10 },
        ),
        (ops) => {
          const editor = run(ops);
          for (let i = 0; i < ops.length; i++) editor.undo();
          const final = resolveFinalLabels(table, activeDecisions(editor.log, editor.decisions));
          expect(Array.from(final.state).every((s) => s === 0)).toBe(true);
          expect(final.classIds).toEqual(table.classIds);
          expect(final.auStatus).toEqual(table.auStatus);
          expect(final.auRaw).toEqual(table.auRaw);
          expect(final.auMask).toEqual(table.auMask);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------

describe('sampleHistory', () => {
  it('tells one sample’s story, undone decisions included', () => {
    const editor = new Editor();
    editor.decide(
      decision(
        {
          id: 'fix',
          sample: 0,
          kind: 'correct',
          reviewer: 'ana',
          at: 1000,
          correction: { classId: 2, au: { status: 'coded', raw: '1+4+15+20' } },
          note: 'fear brows',
        },
        table,
      ),
    );
    editor.decide(decision({ id: 'other', sample: 1, kind: 'accept' }, table));
    editor.decide(
      decision(
        { id: 'flag', sample: 0, kind: 'flag', flagReason: 'occluded', reviewer: 'ben', at: 2000 },
        table,
      ),
      decision({ id: 'bulk2', sample: 1, kind: 'discard' }, table),
    );
    editor.undo(); // undoes the bulk step with the flag
    editor.decide(
      decision(
        { id: 'nc', sample: 0, kind: 'correct', correction: { au: { status: 'null' } } },
        table,
      ),
    );

    const items = sampleHistory(0, editor.log, editor.decisions, table, RAFCE_SCHEME);
    expect(items.map((i) => [i.decisionId, i.status])).toEqual([
      ['fix', 'superseded'],
      ['flag', 'undone'],
      ['nc', 'in-effect'],
    ]);
    const [fix, flag, nc] = items;
    expect(fix).toMatchObject({
      reviewer: 'ana',
      at: 1000,
      kind: 'correct',
      bulk: false,
      from: { classId: 3, className: 'Sadly angry', au: '4+15' },
      to: { classId: 2, className: 'Sadly fearful', au: '1+4+15+20' },
      note: 'fear brows',
      summary: 'Class Sadly angry → Sadly fearful; AUs 4+15 → 1+4+15+20 (+1, +20)',
    });
    expect(flag).toMatchObject({
      reviewer: 'ben',
      bulk: true,
      flagReason: 'occluded',
      flagReasonLabel: 'Occluded',
      from: { className: 'Sadly fearful' },
      to: { className: 'Sadly angry', au: '4+15' },
      undoneBy: 'ana',
    });
    expect(flag?.undoneAt).toBeTypeOf('number');
    // After the undo the correction was in effect again: that is what "nc" replaced.
    expect(nc).toMatchObject({
      from: { className: 'Sadly fearful', au: '1+4+15+20' },
      to: { className: 'Sadly angry', au: 'not coded' },
      undoneBy: null,
    });
  });

  it('is empty for an untouched sample and marks a redone decision in effect', () => {
    const editor = new Editor();
    editor.decide(accept('a', 1));
    editor.undo();
    editor.redo();
    expect(sampleHistory(0, editor.log, editor.decisions, table, RAFCE_SCHEME)).toEqual([]);
    const items = sampleHistory(1, editor.log, editor.decisions, table, RAFCE_SCHEME);
    expect(items.map((i) => [i.decisionId, i.status, i.undoneBy])).toEqual([
      ['a', 'in-effect', null],
    ]);
  });

  it('agrees with resolveFinalLabels about the decision in effect', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const editor = run(ops);
        const final = resolveFinalLabels(table, activeDecisions(editor.log, editor.decisions));
        for (let s = 0; s < table.count; s++) {
          const inEffect = sampleHistory(
            s,
            editor.log,
            editor.decisions,
            table,
            RAFCE_SCHEME,
          ).filter((i) => i.status === 'in-effect');
          expect(inEffect.map((i) => i.decisionId)).toEqual(
            final.decisionOf(s) ? [final.decisionOf(s)?.id] : [],
          );
        }
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYMAP, type KeyEventLike } from '../review/keymap';
import {
  firstUndecided,
  memoryPosition,
  ReviewSession,
  type DecisionSink,
  type SessionDecision,
  type ShownLabels,
  type SteppedDecision,
} from './review-session.svelte';

/** A sink that records every call, over samples s0, s1 ... with the labels given. */
class FakeSink implements DecisionSink {
  calls: string[] = [];
  decisions: { position: number; decision: SessionDecision }[] = [];
  decided = new Set<number>();
  busy = false;
  canUndo = true;
  canRedo = true;
  refuse = false;
  undone: SteppedDecision | null = null;

  constructor(
    private readonly labels: ShownLabels[],
    readonly can = { undo: true, redo: true },
  ) {}

  get length() {
    return this.labels.length;
  }
  nameAt(position: number) {
    return `s${position}.jpg`;
  }
  labelsAt(position: number) {
    return this.labels[position] ?? null;
  }
  isDecided(position: number) {
    return this.decided.has(position);
  }
  async decide(position: number, decision: SessionDecision) {
    this.calls.push(`decide ${position} ${decision.kind}`);
    if (this.refuse) return false;
    this.decisions.push({ position, decision });
    this.decided.add(position);
    return true;
  }
  async undo() {
    this.calls.push('undo');
    return this.undone;
  }
  async redo() {
    this.calls.push('redo');
    return this.undone;
  }
  async leaving(position: number) {
    this.calls.push(`leave ${position}`);
  }
}

const coded = (raw: string, classId = 0): ShownLabels => ({
  classId,
  au: { status: 'coded', raw },
});

function sessionOver(labels: ShownLabels[], can?: { undo: boolean; redo: boolean }) {
  const sink = new FakeSink(labels, can);
  const position = memoryPosition();
  let left = 0;
  const session = new ReviewSession(sink, () => DEFAULT_KEYMAP, position, {
    leave: () => left++,
  });
  return { sink, session, position, left: () => left };
}

/** A key as the browser reports it: `shift+u` is Shift and `U`, `mod+z` is Ctrl and `z`. */
function keyEvent(key: string): KeyEventLike {
  const parts = key.split('+');
  const name = parts.pop() as string;
  const shift = parts.includes('shift');
  return {
    key: shift && name.length === 1 ? name.toUpperCase() : name,
    ctrlKey: parts.includes('mod'),
    metaKey: false,
    shiftKey: shift,
    altKey: false,
  };
}

async function press(session: ReviewSession, ...keys: string[]): Promise<boolean[]> {
  const ours = keys.map((key) => session.key(keyEvent(key)));
  await session.settled();
  return ours;
}

describe('ReviewSession: every decision key decides and moves on', () => {
  it.each<[string, string[], string[], number]>([
    ['accept', ['a'], ['decide 0 accept', 'leave 0'], 1],
    ['discard', ['d'], ['decide 0 discard', 'leave 0'], 1],
    ['flag: AU wrong', ['1'], ['decide 0 flag', 'leave 0'], 1],
    ['flag: other', ['6'], ['decide 0 flag', 'leave 0'], 1],
    ['not coded', ['n'], ['decide 0 correct', 'leave 0'], 1],
    [
      'three in a row',
      ['a', 'd', 'a'],
      ['decide 0 accept', 'leave 0', 'decide 1 discard', 'leave 1', 'decide 2 accept', 'leave 2'],
      3,
    ],
    ['next and previous do not decide', ['j', 'j', 'k'], ['leave 0', 'leave 1', 'leave 2'], 1],
    [
      'AU entry stages, accept saves the correction',
      ['c', '2', '6', 'Enter', 'a'],
      ['decide 0 correct', 'leave 0'],
      1,
    ],
  ])('%s', async (_, keys, calls, position) => {
    const { sink, session } = sessionOver([coded('1+2'), coded('12'), coded('4'), coded('6')]);
    await press(session, ...keys);
    expect(sink.calls).toEqual(calls);
    expect(session.position).toBe(position);
  });

  it('saves the flag reason of each flag key, and the AUs typed as a correction', async () => {
    const { sink, session } = sessionOver([coded('1+2'), coded('12')]);
    await press(session, '2', 'c', '2', '6', 'Enter', '9', 'Enter', 'Enter', 'a');
    expect(sink.decisions).toEqual([
      { position: 0, decision: { kind: 'flag', flagReason: 'emotion-wrong' } },
      {
        position: 1,
        decision: { kind: 'correct', correction: { au: { status: 'coded', raw: '9+12+26' } } },
      },
    ]);
  });

  it('n keeps a class change already staged and saves both', async () => {
    const { sink, session } = sessionOver([coded('1+2', 3)]);
    session.setClass(5);
    await press(session, 'n');
    expect(sink.decisions[0]?.decision).toEqual({
      kind: 'correct',
      correction: { classId: 5, au: { status: 'null' } },
    });
  });

  it('e opens the class chooser; the class picked is the decision, and keys wait meanwhile', async () => {
    const { sink, session } = sessionOver([coded('1+2', 3), coded('4', 1)]);
    const ours = await press(session, 'e', 'a');
    expect(ours).toEqual([true, false]);
    expect(session.choosingClass).toBe(true);
    expect(sink.calls).toEqual([]);
    await session.chooseClass(7);
    expect(sink.decisions).toEqual([
      { position: 0, decision: { kind: 'correct', correction: { classId: 7 } } },
    ]);
    expect(session.position).toBe(1);
    expect(session.choosingClass).toBe(false);
    // Picking the class the sample already has accepts it.
    await press(session, 'e');
    await session.chooseClass(1);
    expect(sink.decisions[1]).toEqual({ position: 1, decision: { kind: 'accept' } });
  });

  it('Escape closes the chooser, then drops the draft, then leaves', async () => {
    const { session, left } = sessionOver([coded('1')]);
    await press(session, 'e', 'Escape');
    expect(session.choosingClass).toBe(false);
    session.toggleAu(4);
    await press(session, 'Escape');
    expect(session.draft).toBeNull();
    expect(left()).toBe(0);
    await press(session, 'Escape');
    expect(left()).toBe(1);
  });

  it('the note goes with the decision, trimmed, and a new sample starts with none', async () => {
    const { sink, session } = sessionOver([coded('1'), coded('2')]);
    session.note = '  brow lowered ';
    await press(session, 'a');
    expect(sink.decisions[0]?.decision).toEqual({ kind: 'accept', note: 'brow lowered' });
    expect(session.note).toBe('');
  });

  it('a refused decision stays on the sample with its draft', async () => {
    const { sink, session } = sessionOver([coded('1'), coded('2')]);
    sink.refuse = true;
    session.toggleAu(12);
    await press(session, 'a');
    expect(session.position).toBe(0);
    expect(session.draft).toEqual({ au: { status: 'coded', raw: '1+12' } });
  });

  it('keys past the last sample decide nothing; previous still works', async () => {
    const { sink, session } = sessionOver([coded('1')]);
    await press(session, 'a', 'a', 'd', '1', 'n');
    expect(sink.calls).toEqual(['decide 0 accept', 'leave 0']);
    expect(session.done).toBe(true);
    await press(session, 'k');
    expect(session.position).toBe(0);
  });
});

describe('ReviewSession: keys are ours or not, at once', () => {
  it.each<[string, string[], boolean[]]>([
    ['a decision key', ['a'], [true]],
    ['a canvas zoom key', ['0'], [false]],
    ['a digit inside the AU entry is the entry s, even 0', ['c', '0'], [true, true]],
    ['a letter nobody binds', ['q'], [false]],
    ['Escape always', ['Escape'], [true]],
    ['the help key', ['?'], [true]],
  ])('%s', async (_, keys, ours) => {
    const { session } = sessionOver([coded('1'), coded('2')]);
    expect(await press(session, ...keys)).toEqual(ours);
  });

  it('keys typed in a text field are the field s', () => {
    const { session } = sessionOver([coded('1')]);
    const input = { tagName: 'INPUT' } as unknown as EventTarget;
    expect(session.key({ ...keyEvent('a'), target: input })).toBe(false);
  });

  it('keydown: Escape leaves a text field, and a key of ours is kept from the page', async () => {
    const { session } = sessionOver([coded('1'), coded('2')]);
    let blurred = 0;
    let prevented = 0;
    const input = { tagName: 'INPUT', blur: () => blurred++ } as unknown as EventTarget;
    const event = (key: string, target: EventTarget | null) => ({
      ...keyEvent(key),
      target,
      preventDefault: () => prevented++,
      stopImmediatePropagation: () => {},
    });
    session.keydown(event('Escape', input));
    expect(blurred).toBe(1);
    expect(prevented).toBe(0);
    session.keydown(event('a', null));
    await session.settled();
    expect(prevented).toBe(1);
    expect(session.position).toBe(1);
    session.keydown(event('q', null));
    expect(prevented).toBe(1);
  });

  it('while help is shown only ? and Escape are ours', async () => {
    const { session, sink } = sessionOver([coded('1')]);
    expect(await press(session, '?', 'a')).toEqual([true, false]);
    expect(session.showHelp).toBe(true);
    expect(sink.calls).toEqual([]);
    await press(session, 'Escape');
    expect(session.showHelp).toBe(false);
  });
});

describe('ReviewSession: undo shows what it undid', () => {
  it('undo with a draft drops the draft first, and the sink is not asked', async () => {
    const { sink, session } = sessionOver([coded('1'), coded('2')]);
    session.toggleAu(4);
    await press(session, 'u');
    expect(session.draft).toBeNull();
    expect(sink.calls).toEqual([]);
    expect(session.notice).toMatch(/Dropped the correction/);
  });

  it('undo moves to the sample it undid and says so', async () => {
    const { sink, session } = sessionOver([coded('1'), coded('2'), coded('3')]);
    await press(session, 'a', 'a');
    sink.undone = { name: 's1.jpg', position: 1 };
    await press(session, 'u');
    expect(session.position).toBe(1);
    expect(session.notice).toBe('Undid the decision on s1.jpg.');
    await press(session, 'shift+u');
    expect(sink.calls.slice(-3)).toEqual(['undo', 'leave 2', 'redo']);
    expect(session.notice).toBe('Redid the decision on s1.jpg.');
  });

  it('an undone decision outside the set is named, and the position stays', async () => {
    const { sink, session } = sessionOver([coded('1'), coded('2')]);
    sink.undone = { name: 'other.jpg', position: -1 };
    await press(session, 'j', 'mod+z');
    expect(session.position).toBe(1);
    expect(session.notice).toBe('Undid the decision on other.jpg, which is not in this set.');
  });

  it('a sink without undo says so instead of ignoring the key', async () => {
    const { sink, session } = sessionOver([coded('1')], { undo: false, redo: false });
    await press(session, 'u');
    expect(sink.calls).toEqual([]);
    expect(session.notice).toMatch(/Undo is not available here/);
    await press(session, 'shift+u');
    expect(session.notice).toMatch(/Redo is not available here/);
  });
});

describe('ReviewSession: a set resumes at its first undecided sample', () => {
  it.each<[string, number[], number]>([
    ['none decided', [], 0],
    ['the first two decided', [0, 1], 2],
    ['a gap', [0, 2], 1],
    ['all decided: the end', [0, 1, 2], 3],
  ])('%s', async (_, decided, expected) => {
    const { sink, session } = sessionOver([coded('1'), coded('2'), coded('3')]);
    for (const position of decided) sink.decided.add(position);
    expect(firstUndecided(sink)).toBe(expected);
    await session.resume();
    expect(session.position).toBe(expected);
  });
});

describe('ReviewSession: the labels shown are the draft over the sample', () => {
  it('toggles AUs from the sample s own label and shows the class staged', () => {
    const { session } = sessionOver([coded('1+2', 3)]);
    session.toggleAu(2);
    session.toggleAu(25);
    session.setClass(4);
    expect(session.shown).toEqual({ classId: 4, au: { status: 'coded', raw: '1+25' } });
    session.dropDraft();
    expect(session.shown).toEqual(coded('1+2', 3));
  });

  it('AUs typed after not coded start from nothing', () => {
    const { session } = sessionOver([{ classId: 0, au: { status: 'null' } }]);
    session.toggleAu(12);
    expect(session.shown?.au).toEqual({ status: 'coded', raw: '12' });
  });
});

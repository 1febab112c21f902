import { describe, expect, it } from 'vitest';
import type { AssignmentRecord } from '../store/team';
import { assignmentSink, type AssignmentDecisions } from './assignment-sink';
import type { ReviewerInput } from './team-support';

const samples = [
  { index: 40, name: '0041.jpg', classId: 2, auStatus: 'coded', auRaw: '4+7' },
  { index: 7, name: '0008.jpg', classId: 5, auStatus: 'null', auRaw: '' },
];
const record = {
  sessionId: 's1',
  assignment: { samples },
  decisions: [],
} as unknown as AssignmentRecord;

function fakeTeam() {
  const calls: string[] = [];
  const decided = new Map<number, unknown>();
  const team: AssignmentDecisions = {
    busy: false,
    async reviewerDecide(sessionId, sample, input: ReviewerInput, elapsedMs) {
      calls.push(`decide ${sessionId} ${sample.index} ${input.kind} ${elapsedMs}ms`);
      decided.set(sample.index, input);
      return true;
    },
    async addTime(sessionId, sample, elapsedMs) {
      calls.push(`time ${sessionId} ${sample} ${elapsedMs}ms`);
    },
    latestDecisions: () => decided,
  };
  return { team, calls };
}

describe('assignmentSink', () => {
  it('gives each sample its labels, stores decisions by the lead s index, and times each sample', async () => {
    const { team, calls } = fakeTeam();
    let clock = 1000;
    const sink = assignmentSink(
      () => team,
      () => record,
      () => clock,
    );
    expect(sink.can).toEqual({ undo: false, redo: false });
    expect(sink.length).toBe(2);
    expect(sink.labelsAt(0)).toEqual({ classId: 2, au: { status: 'coded', raw: '4+7' } });
    expect(sink.labelsAt(1)).toEqual({ classId: 5, au: { status: 'null' } });
    expect(sink.labelsAt(2)).toBeNull();
    clock = 1500;
    expect(await sink.decide(0, { kind: 'flag', flagReason: 'occluded', note: 'hand' })).toBe(true);
    expect(sink.isDecided(0)).toBe(true);
    expect(sink.isDecided(1)).toBe(false);
    clock = 1800;
    await sink.leaving?.(1);
    expect(calls).toEqual(['decide s1 40 flag 500ms', 'time s1 7 300ms']);
    expect(await sink.undo()).toBeNull();
  });
});

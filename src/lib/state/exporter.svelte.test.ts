import { describe, expect, it } from 'vitest';
import { LabelFlag } from '../label-evidence/assess';
import { RAFCE_SCHEME, RAFCE_SPLIT_NAMES } from '../labels/schemes';
import type { SampleTable } from '../labels/types';
import type { Decision, FinalLabels } from '../review/decision';
import { resolveFinalLabels } from '../review/decisions';
import { decision, tableOf } from '../team/test-support';
import type { ExportRequest } from '../workers/export-protocol';
import {
  ExportSession,
  exportFileName,
  type ExportGrid,
  type ExportSource,
} from './exporter.svelte';

/** Just what the export reads of the library, as state so that the preview follows it. */
class FakeSource implements ExportSource {
  open = $state.raw<ExportSource['open']>({
    id: 'ds1',
    name: 'RAF CE/test',
    format: 'raf-ce',
    scheme: RAFCE_SCHEME,
    splitNames: RAFCE_SPLIT_NAMES,
    sourceFiles: [],
    csv: undefined,
  });
  table = $state.raw<SampleTable | null>(null);
  check = $state.raw<ExportSource['check']>(null);
  issues = $state.raw<ExportSource['issues']>(null);
  analysing = $state(false);
  review = $state.raw<{ final: FinalLabels | null; active: Decision[] }>({
    final: null,
    active: [],
  });

  decide(decisions: Decision[]): void {
    const table = this.table as SampleTable;
    this.review = { final: resolveFinalLabels(table, decisions), active: decisions };
  }
}

class FakeGrid implements ExportGrid {
  indices = $state.raw(new Int32Array(0));
  picked = $state.raw<number[]>([]);
  selection = {
    count: 0,
    indices: () => this.picked,
  };
  pick(indices: number[]): void {
    this.picked = indices;
    this.selection.count = indices.length;
  }
}

/** A worker that answers when told to, and records what it was asked. */
class FakeBuilder {
  requests: Omit<ExportRequest, 'id'>[] = [];
  private answer: ((zip: Uint8Array) => void) | null = null;
  private fail: ((error: Error) => void) | null = null;
  build = (request: Omit<ExportRequest, 'id'>): Promise<Uint8Array> => {
    this.requests.push(request);
    return new Promise((resolve, reject) => {
      this.answer = resolve;
      this.fail = reject;
    });
  };
  finish(zip: Uint8Array): void {
    this.answer?.(zip);
  }
  reject(message: string): void {
    this.fail?.(new Error(message));
  }
}

function setup() {
  const source = new FakeSource();
  source.table = tableOf([
    { classId: 0, au: '1+2+12+25', split: 0 },
    { classId: 1, au: 'null', split: 0 },
    { classId: 5, au: '4+15', split: 1 },
    { classId: 10, au: '4+9+10', split: 2 },
  ]);
  const grid = new FakeGrid();
  const builder = new FakeBuilder();
  const saved: { fileName: string; zip: Uint8Array }[] = [];
  const session = new ExportSession(
    () => source,
    () => grid,
    { build: builder.build, save: (fileName, zip) => saved.push({ fileName, zip }) },
  );
  return { source, grid, builder, saved, session };
}

describe('ExportSession: the preview', () => {
  it('keeps every sample by default, and shows nothing with no dataset open', () => {
    const { session, source } = setup();
    expect(session.selection).toMatchObject({ keptCount: 4, removedCount: 0 });
    expect(session.policy.subset).toBeNull();
    expect(session.canExport).toBe(true);
    source.open = null;
    expect(session.selection).toBeNull();
    expect(session.canExport).toBe(false);
  });

  it('exports the filter’s samples, ascending, or the grid’s selection', () => {
    const { session, grid } = setup();
    grid.indices = Int32Array.from([3, 0]);
    grid.pick([2]);
    session.scope = 'filter';
    expect(session.policy.subset).toEqual(Int32Array.from([0, 3]));
    expect(session.selection).toMatchObject({ keptCount: 2 });
    expect(session.selection?.byReason['outside-subset']).toBe(2);
    session.scope = 'selection';
    expect(session.policy.subset).toEqual(Int32Array.from([2]));
    expect(session.selection?.keptCount).toBe(1);
    grid.pick([]);
    expect(session.selection?.keptCount).toBe(0);
    expect(session.canExport).toBe(false);
  });

  it('drops flagged samples of the reasons ticked, and keeps them when unticked', () => {
    const { session, source } = setup();
    source.decide([decision('me', 1, 'flag', { flagReason: 'occluded' })]);
    expect(session.selection?.keptCount).toBe(4);
    session.dropFlagged('occluded', true);
    session.dropFlagged('bad-crop', true);
    expect(session.options.dropFlagged).toEqual(['occluded', 'bad-crop']);
    expect(session.selection?.byReason.flagged).toBe(1);
    session.dropFlagged('occluded', false);
    expect(session.options.dropFlagged).toEqual(['bad-crop']);
    expect(session.selection?.keptCount).toBe(4);
  });

  it('drops null AU labels when asked, and says so', () => {
    const { session } = setup();
    session.options.nullAu = 'drop';
    expect(session.selection?.byReason['null-au']).toBe(1);
    expect(session.sentences).toContain('Samples whose AU label is null (not coded) are dropped.');
  });

  it.each<[string, number | null]>([
    ['', null],
    ['  ', null],
    ['0.5', 0.5],
    ['0', 0],
    ['abc', null],
  ])('reads the minimum score %j as %j', (text, minScore) => {
    const { session } = setup();
    session.options.minScore = 0.9;
    session.setMinScore(text);
    expect(session.options.minScore).toBe(minScore);
  });

  it('drops samples under the minimum check score', () => {
    const { session, source } = setup();
    source.check = { score: Float32Array.from([0.9, 0.2, NaN, 0.6]) };
    session.setMinScore('0.5');
    expect(session.selection?.byReason['low-score']).toBe(1);
    expect(session.selection?.keptCount).toBe(3);
  });

  it('counts stored labels that cannot be written', () => {
    const { session, source } = setup();
    source.table = tableOf([
      { classId: 0, au: '1+2' },
      { classId: 99, au: '4' },
    ]);
    expect(session.invalidCount).toBe(1);
    expect(session.selection?.keptCount).toBe(1);
  });
});

describe('ExportSession: the evidence hint', () => {
  it('says why nothing is dropped before the evidence is computed', () => {
    const { session, source } = setup();
    expect(session.evidenceHint).toBe(
      'The evidence is not computed yet; no sample is dropped for it.',
    );
    source.analysing = true;
    expect(session.evidenceHint).toBe(
      'The evidence is being computed; until then no sample is dropped for it.',
    );
  });

  it('counts what the option would drop and what reviewers keep', () => {
    const { session, source } = setup();
    const likely = LabelFlag['likely-mislabelled'];
    source.issues = { flagged: Uint8Array.from([likely, likely, 0, likely]) };
    expect(session.evidenceHint).toBe('Would drop 3 samples.');
    source.decide([decision('me', 0, 'accept')]);
    expect(session.evidenceHint).toBe(
      'Would drop 2 samples. 1 accepted or corrected by a reviewer stay.',
    );
    session.options.dropLikelyMislabelled = true;
    expect(session.evidenceHint).toBe(
      'Drops 2 samples. 1 accepted or corrected by a reviewer stay.',
    );
    expect(session.selection?.byReason['likely-mislabelled']).toBe(2);
  });
});

describe('ExportSession: writing the zip', () => {
  it('asks the builder for what the preview shows, then saves the zip', async () => {
    const { session, source, grid, builder, saved } = setup();
    const flagged = Uint8Array.from([0, 0, 0, 0]);
    const decisions = [decision('me', 2, 'discard')];
    source.decide(decisions);
    source.issues = { flagged };
    grid.indices = Int32Array.from([2, 1]);
    session.scope = 'filter';
    session.options.beta = 0.99;

    const writing = session.exportZip();
    expect(session.busy).toBe(true);
    expect(session.canExport).toBe(false);
    expect(builder.requests).toHaveLength(1);
    const request = builder.requests[0];
    expect(request).toMatchObject({
      dataset: 'RAF CE/test',
      datasetId: 'ds1',
      format: 'raf-ce',
      scheme: RAFCE_SCHEME,
      splitNames: RAFCE_SPLIT_NAMES,
      sourceFiles: [],
      csv: null,
      decisions,
      checkScore: null,
      flagged,
    });
    expect(request?.policy).toMatchObject({ beta: 0.99, subset: Int32Array.from([1, 2]) });

    builder.finish(Uint8Array.from([1, 2, 3]));
    await writing;
    expect(saved).toEqual([
      { fileName: 'RAF_CE_test-export.zip', zip: Uint8Array.from([1, 2, 3]) },
    ]);
    expect(session.saved).toEqual({ fileName: 'RAF_CE_test-export.zip', bytes: 3 });
    expect(session.busy).toBe(false);
    expect(session.error).toBeNull();
  });

  it('writes once while a zip is being written', async () => {
    const { session, builder } = setup();
    const first = session.exportZip();
    await session.exportZip();
    expect(builder.requests).toHaveLength(1);
    builder.finish(new Uint8Array(1));
    await first;
  });

  it('keeps a failure as an error, saves nothing, and can try again', async () => {
    const { session, builder, saved } = setup();
    const writing = session.exportZip();
    builder.reject('The export failed: disk full');
    await writing;
    expect(session.error).toBe('The export failed: disk full');
    expect(session.busy).toBe(false);
    expect(saved).toEqual([]);
    expect(session.canExport).toBe(true);

    const again = session.exportZip();
    expect(session.error).toBeNull();
    builder.finish(new Uint8Array(2));
    await again;
    expect(saved).toHaveLength(1);
  });

  it('does nothing when nothing would be kept', async () => {
    const { session, builder } = setup();
    session.options.onlyReviewed = true;
    expect(session.selection?.keptCount).toBe(0);
    await session.exportZip();
    expect(builder.requests).toEqual([]);
  });
});

describe('exportFileName', () => {
  it.each([
    ['RAF-CE', 'RAF-CE-export.zip'],
    ['my data/set v2', 'my_data_set_v2-export.zip'],
    ['a..b', 'a..b-export.zip'],
  ])('%j -> %j', (name, fileName) => {
    expect(exportFileName(name)).toBe(fileName);
  });
});

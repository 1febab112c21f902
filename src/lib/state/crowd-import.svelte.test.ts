import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CROWD_PROBLEM_LIST_CAP, CrowdImport } from './crowd-import.svelte';
import type { DatasetLibrary } from './library.svelte';
import type { CrowdDistribution } from '../label-evidence/crowd-file';
import type { SampleTable } from '../labels/types';
import { tableOf } from '../team/test-support';

/** Samples 0001.jpg … 00nn.jpg. */
const tableOfSize = (n: number): SampleTable =>
  tableOf(Array.from({ length: n }, () => ({ classId: 0 })));

/** Just what CrowdImport reads and calls of the library, reactive like the real one. */
class FakeLibrary {
  openId = $state<string | null>('ds-1');
  table = $state.raw<SampleTable | null>(tableOfSize(8));
  crowd = $state.raw<CrowdDistribution | null>(null);
  saved: CrowdDistribution[] = [];
  removed = 0;
  failSave = false;

  async setCrowd(crowd: CrowdDistribution): Promise<void> {
    await Promise.resolve();
    if (this.failSave) throw new Error('quota exceeded');
    this.saved.push(crowd);
    this.crowd = crowd;
  }

  async removeCrowd(): Promise<void> {
    await Promise.resolve();
    this.removed++;
    this.crowd = null;
  }
}

function setup() {
  const fake = new FakeLibrary();
  const crowd = new CrowdImport(() => fake as unknown as DatasetLibrary);
  return { fake, crowd };
}

const fileOf = (name: string, text: string | Uint8Array) =>
  new File([typeof text === 'string' ? text : new Uint8Array(text)], name, {
    type: 'text/plain',
  });

const good = (image: string) => `${image} 0.40 0.35 0.10 0.05 0.05 0.05`;

const badFixture = readFileSync(
  new URL('../../../tests/fixtures/crowd/bad-distribution.txt', import.meta.url),
);

describe('CrowdImport', () => {
  it('reads the bad fixture into a report and stores nothing until save', async () => {
    const { fake, crowd } = setup();
    expect(crowd.status).toBe('idle');
    const picking = crowd.pick(fileOf('bad-distribution.txt', badFixture));
    expect(crowd.status).toBe('reading');
    await picking;

    expect(crowd.status).toBe('ready');
    const result = crowd.result;
    expect(result).not.toBeNull();
    if (!result) return;
    expect(result.fileName).toBe('bad-distribution.txt');
    expect(result.crowd?.matched).toBe(4);
    expect(result).toMatchObject({
      rowsRead: 10,
      rowsAccepted: 4,
      rowsRejected: 5,
      rowsSkipped: 1,
      samplesMatched: 4,
      samples: 8,
      errors: 5,
      warnings: 1,
      fileProblems: [],
    });
    expect(result.problems.map((p) => [p.line, p.severity, p.kind, p.field, p.raw])).toEqual([
      [3, 'error', 'column-count', 'line', '0003.jpg 0.40 0.35 0.10 0.15'],
      [4, 'error', 'missing-value', 'p_disgust', '-0.10'],
      [5, 'error', 'missing-value', 'p_fear', 'abc'],
      [6, 'error', 'missing-value', 'line', '0006.jpg 0.20 0.10 0.10 0.10 0.05 0.05'],
      [7, 'warning', 'unmatched', 'image', '9999.jpg'],
      [8, 'error', 'duplicate-image', 'image', '0001.jpg'],
    ]);
    expect(crowd.canSave).toBe(true);
    expect(crowd.shownProblems).toHaveLength(6);
    expect(crowd.hiddenProblems).toBe(0);
    expect(fake.saved).toHaveLength(0);
    expect(fake.crowd).toBeNull();

    const saving = crowd.save();
    expect(crowd.status).toBe('saving');
    expect(await saving).toBe(true);
    expect(fake.saved).toHaveLength(1);
    expect(fake.crowd?.fileName).toBe('bad-distribution.txt');
    expect(crowd.status).toBe('idle');
    expect(crowd.result).toBeNull();
    expect(crowd.canSave).toBe(false);
  });

  it.each<[string, string | Uint8Array, string]>([
    ['an empty file', '', 'the file is empty (0 bytes)'],
    ['blank lines only', '\n  \n', 'the file holds no data (only blank lines)'],
    ['binary junk', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'NUL'],
    ['rows naming no sample', `${good('9998.jpg')}\n${good('9999.jpg')}\n`, 'none of the file'],
    ['only bad rows', '0001.jpg 0.5 0.5\n0002.jpg x 0 0 0 0 0\n', 'none of the file'],
  ])('a file with no usable row cannot be saved: %s', async (_, text, reason) => {
    const { fake, crowd } = setup();
    await crowd.pick(fileOf('distribution.txt', text));
    expect(crowd.status).toBe('error');
    expect(crowd.error).toContain(reason);
    expect(crowd.result?.crowd).toBeNull();
    expect(crowd.result?.fileProblems.length).toBeGreaterThan(0);
    expect(crowd.canSave).toBe(false);
    expect(await crowd.save()).toBe(false);
    expect(fake.saved).toHaveLength(0);
  });

  it('does not count a header line as a row', async () => {
    const { crowd } = setup();
    const text = `image p_surprise p_fear p_disgust p_happiness p_sadness p_anger\n${good('0001.jpg')}\n${good('0002.jpg')}\n`;
    await crowd.pick(fileOf('distribution.txt', text));
    expect(crowd.result).toMatchObject({ rowsRead: 2, rowsAccepted: 2, samplesMatched: 2 });
  });

  it('counts one row given to several samples once (same image key)', async () => {
    const { fake, crowd } = setup();
    fake.table = tableOf([{ classId: 0 }, { classId: 1 }]);
    // Both samples are 0001.jpg / 0002.jpg; a row for aligned 0001 matches 0001.jpg.
    await crowd.pick(fileOf('d.txt', `${good('0001_aligned.jpg')}\n`));
    expect(crowd.result).toMatchObject({ rowsRead: 1, rowsAccepted: 1, samplesMatched: 1 });
  });

  it('lists at most 200 problems and counts the rest', async () => {
    const { crowd } = setup();
    const rows = [good('0001.jpg')];
    for (let i = 0; i < 250; i++) rows.push(`x${i}.jpg 1 2`);
    await crowd.pick(fileOf('d.txt', rows.join('\n')));
    expect(crowd.result?.problems).toHaveLength(250);
    expect(crowd.shownProblems).toHaveLength(CROWD_PROBLEM_LIST_CAP);
    expect(crowd.hiddenProblems).toBe(50);
    expect(crowd.canSave).toBe(true);
  });

  it('discard forgets the file and stores nothing', async () => {
    const { fake, crowd } = setup();
    await crowd.pick(fileOf('d.txt', good('0001.jpg')));
    crowd.discard();
    expect(crowd.status).toBe('idle');
    expect(crowd.result).toBeNull();
    expect(await crowd.save()).toBe(false);
    expect(fake.saved).toHaveLength(0);
  });

  it('a later pick wins over one still reading', async () => {
    const { crowd } = setup();
    const first = crowd.pick(fileOf('first.txt', good('0001.jpg')));
    const second = crowd.pick(fileOf('second.txt', `${good('0001.jpg')}\n${good('0002.jpg')}`));
    await Promise.all([first, second]);
    expect(crowd.result?.fileName).toBe('second.txt');
    expect(crowd.result?.samplesMatched).toBe(2);
  });

  it('a discard while reading wins over the read', async () => {
    const { crowd } = setup();
    const picking = crowd.pick(fileOf('d.txt', good('0001.jpg')));
    crowd.discard();
    await picking;
    expect(crowd.result).toBeNull();
    expect(crowd.status).toBe('idle');
  });

  it('refuses to save votes read against a dataset that is no longer open', async () => {
    const { fake, crowd } = setup();
    await crowd.pick(fileOf('d.txt', good('0001.jpg')));
    expect(crowd.canSave).toBe(true);
    fake.openId = 'ds-2';
    expect(crowd.stale).toBe(false);
    fake.table = tableOfSize(3);
    expect(crowd.stale).toBe(true);
    expect(crowd.canSave).toBe(false);
    expect(await crowd.save()).toBe(false);
    expect(crowd.status).toBe('error');
    expect(crowd.error).toContain('pick the file again');
    expect(fake.saved).toHaveLength(0);
  });

  it('needs an open dataset', async () => {
    const { fake, crowd } = setup();
    fake.openId = null;
    fake.table = null;
    await crowd.pick(fileOf('d.txt', good('0001.jpg')));
    expect(crowd.status).toBe('error');
    expect(crowd.error).toContain('Open a dataset first');
    expect(crowd.result).toBeNull();
  });

  it('keeps the report when saving fails, and saves on a second try', async () => {
    const { fake, crowd } = setup();
    fake.failSave = true;
    await crowd.pick(fileOf('d.txt', good('0001.jpg')));
    expect(await crowd.save()).toBe(false);
    expect(crowd.status).toBe('error');
    expect(crowd.error).toContain('quota exceeded');
    expect(crowd.result?.fileName).toBe('d.txt');
    expect(fake.crowd).toBeNull();
    expect(crowd.canSave).toBe(true);
    fake.failSave = false;
    expect(await crowd.save()).toBe(true);
    expect(fake.crowd?.fileName).toBe('d.txt');
    expect(crowd.error).toBeNull();
  });

  it('removes the stored votes', async () => {
    const { fake, crowd } = setup();
    await crowd.pick(fileOf('d.txt', good('0001.jpg')));
    await crowd.save();
    expect(fake.crowd).not.toBeNull();
    const removing = crowd.remove();
    expect(crowd.removing).toBe(true);
    expect(await removing).toBe(true);
    expect(crowd.removing).toBe(false);
    expect(fake.removed).toBe(1);
    expect(fake.crowd).toBeNull();
  });
});

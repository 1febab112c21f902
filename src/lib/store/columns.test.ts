import { describe, expect, it } from 'vitest';
import { assertSampleTable, pagesToTable, sliceTable, tableToPages } from './columns';
import { describeIssues, SamplePageSchema } from './records';
import { makeTable, tableDifference } from './testing';
import { startOf, textColumnOf, textColumnToArray } from '../labels/text-column';

describe('tableToPages / pagesToTable', () => {
  it.each([
    { n: 0, pageSize: 10_000, pages: 0 },
    { n: 1, pageSize: 10_000, pages: 1 },
    { n: 9_999, pageSize: 10_000, pages: 1 },
    { n: 10_000, pageSize: 10_000, pages: 1 },
    { n: 10_001, pageSize: 10_000, pages: 2 },
    { n: 25_000, pageSize: 10_000, pages: 3 },
    { n: 7, pageSize: 1, pages: 7 },
    { n: 100, pageSize: 33, pages: 4 },
  ])('round-trips $n samples in pages of $pageSize', ({ n, pageSize, pages }) => {
    const table = makeTable(n);
    const split = tableToPages('ds', table, pageSize);
    expect(split).toHaveLength(pages);
    split.forEach((p, i) => {
      expect(p.index).toBe(i);
      expect(p.count).toBe(Math.min(pageSize, n - i * pageSize));
      expect(SamplePageSchema.safeParse(p).success).toBe(true);
    });
    expect(tableDifference(pagesToTable(split), table)).toBeNull();
  });

  it('round-trips empty strings, spaces and unicode in names and AU texts', () => {
    const names = ['', ' ', 'a b.jpg', 'é.png', '日本語 顔.jpg', '😀', '\r', 'tab\t', ''];
    const table = {
      ...makeTable(names.length),
      names: textColumnOf(names),
      auRaw: [...names].reverse(),
    };
    expect(tableDifference(pagesToTable(tableToPages('ds', table, 2)), table)).toBeNull();
  });

  it.each([
    [
      'a name',
      (t: ReturnType<typeof makeTable>) => {
        // A line feed in place of a character of name 3: the column's ends no longer match.
        const at = startOf(t.names, 3) + 1;
        t.names = {
          text: t.names.text.slice(0, at) + '\n' + t.names.text.slice(at + 1),
          ends: t.names.ends,
        };
      },
      /names: has 6 entries/,
    ],
    [
      'an AU text',
      (t: ReturnType<typeof makeTable>) => (t.auRaw[1] = '\n'),
      /auRaw: has 6 entries/,
    ],
  ])('a page whose %s holds a newline fails the page check', (_, edit, error) => {
    const table = makeTable(5);
    edit(table);
    const check = SamplePageSchema.safeParse(tableToPages('ds', table)[0]);
    expect(check.success).toBe(false);
    expect(check.success ? '' : describeIssues(check.error)).toMatch(error);
  });

  it('gives pages their own buffers (a view would store the whole table)', () => {
    const [first] = tableToPages('ds', makeTable(25_000));
    expect(first!.classIds.buffer.byteLength).toBe(10_000 * 2);
    expect(first!.auMask.buffer.byteLength).toBe(20_000 * 4);
  });

  it.each([
    {
      what: 'a short column',
      edit: (t: ReturnType<typeof makeTable>) => (t.flags = new Uint8Array(2)),
      error: /flags has 2 entries, expected 5/,
    },
    {
      what: 'a short auMask',
      edit: (t: ReturnType<typeof makeTable>) => (t.auMask = new Uint32Array(5)),
      error: /auMask has 5 entries, expected 10/,
    },
    {
      what: 'a bad count',
      edit: (t: ReturnType<typeof makeTable>) => (t.count = 4.5),
      error: /count is invalid/,
    },
  ])('rejects $what', ({ edit, error }) => {
    const table = makeTable(5);
    edit(table);
    expect(() => assertSampleTable(table)).toThrow(error);
    expect(() => tableToPages('ds', table)).toThrow(error);
  });

  it('rejects a bad page size and pages out of order', () => {
    expect(() => tableToPages('ds', makeTable(3), 0)).toThrow(/pageSize/);
    const pages = tableToPages('ds', makeTable(30), 10);
    expect(() => pagesToTable([pages[0]!, pages[2]!])).toThrow(/expected page 1, got page 2/);
  });
});

describe('sliceTable', () => {
  const table = makeTable(50);
  it.each([
    { start: 0, end: 50, from: 0, to: 50 },
    { start: 10, end: 20, from: 10, to: 20 },
    { start: 20, end: 10, from: 20, to: 20 },
    { start: -5, end: undefined, from: 45, to: 50 },
    { start: 40, end: 1_000, from: 40, to: 50 },
    { start: 0, end: 0, from: 0, to: 0 },
    { start: -1_000, end: 3, from: 0, to: 3 },
  ])('slice($start, $end) is samples [$from, $to)', ({ start, end, from, to }) => {
    const s = sliceTable(table, start, end);
    expect(s.count).toBe(to - from);
    expect(textColumnToArray(s.names)).toEqual(textColumnToArray(table.names).slice(from, to));
    expect(s.auRaw).toEqual(table.auRaw.slice(from, to));
    expect([...s.classIds]).toEqual([...table.classIds.slice(from, to)]);
    expect([...s.splits]).toEqual([...table.splits.slice(from, to)]);
    expect([...s.auStatus]).toEqual([...table.auStatus.slice(from, to)]);
    expect([...s.auMask]).toEqual([...table.auMask.slice(2 * from, 2 * to)]);
    expect([...s.flags]).toEqual([...table.flags.slice(from, to)]);
    expect(() => assertSampleTable(s)).not.toThrow();
  });

  it('copies: slices of slices concatenate back to the table', () => {
    const parts = [sliceTable(table, 0, 17), sliceTable(table, 17, 33), sliceTable(table, 33)];
    const pages = parts.flatMap((p, i) =>
      tableToPages('ds', p, 100).map((pg) => ({ ...pg, index: i })),
    );
    expect(tableDifference(pagesToTable(pages), table)).toBeNull();
    parts[0]!.classIds[0] = 999;
    expect(table.classIds[0]).not.toBe(999);
  });
});

import { describe, expect, it } from 'vitest';
import { markdownDocument, markdownTable, type MarkdownAlign } from './markdown';

describe('markdownTable', () => {
  it('pads columns and aligns them', () => {
    expect(
      markdownTable(
        ['class', 'samples', 'share'],
        [
          ['happy', 12345, '46%'],
          ['sad', 87, '3%'],
        ],
        ['left', 'right', 'right'],
      ),
    ).toBe(
      [
        '| class | samples | share |',
        '| :---- | ------: | ----: |',
        '| happy |   12345 |   46% |',
        '| sad   |      87 |    3% |',
      ].join('\n'),
    );
  });

  it('uses plain separators without alignment and at least three dashes', () => {
    expect(markdownTable(['a', 'b'], [[1, 2]])).toBe('| a   | b   |\n| --- | --- |\n| 1   | 2   |');
  });

  it.each<[string, string | number, string]>([
    ['a pipe', 'AU1|AU2', 'AU1\\|AU2'],
    ['a backslash before a pipe', 'a\\|b', 'a\\\\\\|b'],
    ['a backslash elsewhere', 'C:\\data', 'C:\\data'],
    ['a newline', 'first\nsecond', 'first<br>second'],
    ['a CRLF', 'first\r\nsecond', 'first<br>second'],
    ['a CR', 'first\rsecond', 'first<br>second'],
    ['NaN', Number.NaN, '—'],
    ['a number', 0.25, '0.25'],
  ])('escapes %s', (_name, value, expected) => {
    const table = markdownTable(['x'], [[value]]);
    expect(table.split('\n')[2]).toBe(`| ${expected.padEnd(3)} |`);
  });

  it('escapes header cells too', () => {
    expect(markdownTable(['a|b'], []).split('\n')[0]).toBe('| a\\|b |');
  });

  it('fills short rows with empty cells', () => {
    expect(markdownTable(['a', 'b', 'c'], [['x']]).split('\n')[2]).toBe('| x   |     |     |');
  });

  it.each<[string, string[], (string | number)[][], MarkdownAlign[] | undefined]>([
    ['no columns', [], [], undefined],
    ['a row longer than the headers', ['a'], [['x', 'y']], undefined],
  ])('rejects %s', (_name, headers, rows, align) => {
    expect(() => markdownTable(headers, rows, align)).toThrow();
  });

  it('counts characters, not UTF-16 units, when padding', () => {
    expect(markdownTable(['emoji'], [['😀']]).split('\n')[2]).toBe('| 😀     |');
  });
});

describe('markdownDocument', () => {
  it('writes a title, then each section with its paragraphs, chart and table', () => {
    const doc = markdownDocument(
      [
        {
          heading: 'Expected AUs in happy',
          paragraphs: ['AU12 is present in 96% of happy samples.', '  ', 'AU6 in 82%.'],
          chartFile: 'expected-aus-happy.png',
          table: { headers: ['AU', 'share'], rows: [['AU12', '96%']], align: ['left', 'right'] },
        },
        { heading: 'Confusion', paragraphs: [] },
      ],
      'Diagnosis of RAF-DB',
    );
    expect(doc).toBe(
      [
        '# Diagnosis of RAF-DB',
        '',
        '## Expected AUs in happy',
        '',
        'AU12 is present in 96% of happy samples.',
        '',
        'AU6 in 82%.',
        '',
        '![Expected AUs in happy](expected-aus-happy.png)',
        '',
        '| AU   | share |',
        '| :--- | ----: |',
        '| AU12 |   96% |',
        '',
        '## Confusion',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, string, string, string]>([
    ['a plain name', 'Chart', 'chart.png', '![Chart](chart.png)'],
    ['spaces in the file name', 'Chart', 'my chart.png', '![Chart](my%20chart.png)'],
    ['parentheses in the file name', 'Chart', 'chart (1).png', '![Chart](chart%20%281%29.png)'],
    ['brackets in the heading', 'AU [12]', 'c.png', '![AU \\[12\\]](c.png)'],
    ['a line break in the heading', 'two\nlines', 'c.png', '![two lines](c.png)'],
  ])('references the chart with %s', (_name, heading, chartFile, expected) => {
    const doc = markdownDocument([{ heading, paragraphs: [], chartFile }], 'T');
    expect(doc.split('\n')).toContain(expected);
  });

  it('keeps headings on one line', () => {
    expect(markdownDocument([{ heading: 'a\nb', paragraphs: [] }], 'x\r\ny')).toBe(
      '# x y\n\n## a b\n',
    );
  });
});

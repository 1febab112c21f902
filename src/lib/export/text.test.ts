import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../labels/text';
import { LineSink, csvField, csvRow, encodeLike } from '../labels/text-out';
import { isoTime, spreadsheetField, spreadsheetRow } from './text';

describe('LineSink', () => {
  it.each<[string, string[], string, boolean, string]>([
    ['no lines', [], '\n', true, ''],
    ['one line, final newline', ['a'], '\n', true, 'a\n'],
    ['one line, none', ['a'], '\n', false, 'a'],
    ['CRLF', ['a', 'b'], '\r\n', true, 'a\r\nb\r\n'],
    ['CRLF, no final newline', ['a', 'b'], '\r\n', false, 'a\r\nb'],
    ['empty lines kept', ['', 'x', ''], '\n', false, '\nx\n'],
  ])('%s', (_, lines, eol, finalNewline, expected) => {
    const sink = new LineSink(eol);
    for (const line of lines) sink.push(line);
    expect(sink.lines).toBe(lines.length);
    expect(sink.finish(finalNewline)).toBe(expected);
  });

  it('joins across chunk boundaries exactly once', () => {
    const sink = new LineSink('\n');
    const lines = Array.from({ length: 10_001 }, (_, i) => `line ${i}`);
    for (const line of lines) sink.push(line);
    expect(sink.finish(false)).toBe(lines.join('\n'));
  });
});

describe('encodeLike', () => {
  it.each<[string, { bom: boolean; encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' }, number[]]>([
    ['UTF-8', { bom: false }, [0x61, 0xc3, 0xa9]],
    ['UTF-8 with BOM', { bom: true }, [0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9]],
    ['UTF-16LE with BOM', { bom: true, encoding: 'utf-16le' }, [0xff, 0xfe, 0x61, 0, 0xe9, 0]],
    ['UTF-16BE with BOM', { bom: true, encoding: 'utf-16be' }, [0xfe, 0xff, 0, 0x61, 0, 0xe9]],
  ])('%s', (_, source, bytes) => {
    expect([...encodeLike('aé', source)]).toEqual(bytes);
  });

  it.each(['utf-8', 'utf-16le', 'utf-16be'] as const)(
    '%s round-trips through the decoder',
    (encoding) => {
      const text = '0001.jpg 1+2\r\n0002.jpg null\r\n😀.jpg 4';
      const decoded = decodeText({
        name: 'x.txt',
        bytes: encodeLike(text, { bom: true, encoding }),
      });
      expect(decoded).toMatchObject({
        text,
        bom: true,
        encoding,
        eol: '\r\n',
        finalNewline: false,
      });
    },
  );
});

describe('csvField', () => {
  it.each<[string, string, string]>([
    ['plain', 'abc', 'abc'],
    ['empty', '', ''],
    ['AU string', '1+2+L12', '1+2+L12'],
    ['comma', 'a,b', '"a,b"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['newline', 'a\nb', '"a\nb"'],
    ['carriage return', 'a\rb', '"a\rb"'],
    ['trailing space kept unquoted', '1+2 ', '1+2 '],
  ])('%s', (_, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('quotes for the delimiter in use only', () => {
    expect(csvField('a,b', '\t')).toBe('a,b');
    expect(csvField('a\tb', '\t')).toBe('"a\tb"');
  });

  it('papaparse reads back every awkward value exactly', () => {
    const values = ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '"', ',', '', ' x ', 'é😀'];
    const text = [csvRow(values), csvRow(values.slice().reverse())].join('\n');
    const parsed = Papa.parse<string[]>(text, { delimiter: ',' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([values, values.slice().reverse()]);
  });
});

describe('spreadsheetField: cells a spreadsheet would run are neutralised (OWASP)', () => {
  it.each<[string, string, string]>([
    ['equals', '=cmd|calc', `"'=cmd|calc"`],
    ['DDE with quotes and commas', `=cmd|' /C calc'!A0,"x"`, `"'=cmd|' /C calc'!A0,""x"""`],
    ['plus', '+1+2', `"'+1+2"`],
    ['minus, not a number', '-2+3', `"'-2+3"`],
    ['at', '@SUM(A1)', `"'@SUM(A1)"`],
    ['tab', '\t=1', `"'\t=1"`],
    ['carriage return', '\r=1', `"'\r=1"`],
    ['formula image name', '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['negative number kept exact', '-1', '-1'],
    ['zero', '0', '0'],
    ['signed decimal kept exact', '+0.25', '+0.25'],
    ['exponent kept exact', '-1e3', '-1e3'],
    ['formula char later in the cell', 'a=1', 'a=1'],
    ['leading space is not a formula start', ' =1', ' =1'],
    ['empty', '', ''],
    ['plain', '0001.jpg', '0001.jpg'],
    ['comma (RFC 4180)', 'a,b', '"a,b"'],
    ['quote (RFC 4180)', 'say "hi"', '"say ""hi"""'],
    ['line break (RFC 4180)', 'a\nb', '"a\nb"'],
  ])('%s', (_, value, expected) => {
    expect(spreadsheetField(value)).toBe(expected);
  });

  it('papaparse reads each cell back as the value with one leading quote when neutralised', () => {
    const values = ['=1+1', '-1', '@x', '+x', '\tx', '\rx', 'a,b', 'plain', '-0.5'];
    const parsed = Papa.parse<string[]>(spreadsheetRow(values), { delimiter: ',' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([
      "'=1+1",
      '-1',
      "'@x",
      "'+x",
      "'\tx",
      "'\rx",
      'a,b',
      'plain',
      '-0.5',
    ]);
  });
});

describe('isoTime', () => {
  it.each<[number, string]>([
    [0, '1970-01-01T00:00:00.000Z'],
    [Date.UTC(2025, 5, 1, 12), '2025-06-01T12:00:00.000Z'],
    [Number.NaN, ''],
  ])('%d', (ms, expected) => {
    expect(isoTime(ms)).toBe(expected);
  });
});

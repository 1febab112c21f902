import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAFCE_SCHEME, defaultSplitNames } from '../../labels/schemes';
import { textFile } from '../../labels/test-fixtures';
import type { InputFile, SourceFile } from '../../labels/types';
import { importLabelFiles } from '../import';
import { RAFCE_FILE_NAMES, type RafCeRole } from './read';
import { writeRafCe } from './write';

/** Every sample of an import, written back by the RAF-CE writer. */
function writeBack(files: readonly InputFile[]) {
  const imported = importLabelFiles(files);
  const written = writeRafCe({
    format: 'raf-ce',
    table: imported.table,
    labels: imported.table,
    kept: Int32Array.from({ length: imported.table.count }, (_, i) => i),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
  });
  return { imported, written };
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const ROLES: readonly RafCeRole[] = ['emotion', 'au', 'split'];

describe('writeRafCe: the whitespace between name and value', () => {
  const separator = fc.constantFrom(' ', '  ', '\t', ' \t', '\t\t', '   ');
  const auValue = fc.constantFrom('1+2+25', 'null', 'L12+24', '4+9+AD19', 'L12L+25', '26+26', '5B');

  it('an untouched export is byte-identical whatever one separator a file uses (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 13 }), auValue, fc.integer({ min: 0, max: 2 })),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        fc.tuple(separator, separator, separator),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (rows, separators, eol, finalNewline) => {
          const files = ROLES.map((role, r) => {
            const lines = rows.map(([classId, au, split], i) => {
              const value = role === 'emotion' ? classId : role === 'au' ? au : split;
              return `${String(i + 1).padStart(4, '0')}.jpg${separators[r]}${value}`;
            });
            return textFile(RAFCE_FILE_NAMES[role], lines.join(eol) + (finalNewline ? eol : ''));
          });
          const { imported, written } = writeBack(files);
          expect(imported.problems.filter((p) => p.kind === 'separator')).toEqual([]);
          for (const file of files) {
            const out = written.find((w) => w.path === file.name);
            expect(text(out?.bytes)).toBe(text(file.bytes));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each<[string, string, string | undefined, number]>([
    // [file, written, SourceFile.separator, line of the warning (0: none)]
    ['0001.jpg 1\n0002.jpg 2\n', '0001.jpg 1\n0002.jpg 2\n', undefined, 0],
    ['0001.jpg\t1\n0002.jpg\t2\n', '0001.jpg\t1\n0002.jpg\t2\n', '\t', 0],
    ['0001.jpg  1\n0002.jpg 2\n0003.jpg  0\n', '0001.jpg  1\n0002.jpg  2\n0003.jpg  0\n', '  ', 2],
    ['0001.jpg 1\n0002.jpg\t2\n0003.jpg\t0\n', '0001.jpg\t1\n0002.jpg\t2\n0003.jpg\t0\n', '\t', 1],
    // Equally common: the first seen is kept.
    ['0001.jpg\t1\n0002.jpg 2\n', '0001.jpg\t1\n0002.jpg\t2\n', '\t', 2],
    // A rejected line is not written, so its separator does not count.
    ['0001.jpg 1\n0002.jpg\tx\n', '0001.jpg 1\n', undefined, 0],
  ])('partition file %j is written as %j', (input, output, kept, warnedLine) => {
    const file = textFile(RAFCE_FILE_NAMES.split, input);
    const { imported, written } = writeBack([file]);
    const source = imported.sourceFiles[0] as SourceFile;
    expect(source.separator).toBe(kept);
    expect(text(written[0]?.bytes)).toBe(output);
    const warnings = imported.problems.filter((p) => p.kind === 'separator');
    expect(warnings.map((p) => [p.severity, p.line, p.file])).toEqual(
      warnedLine > 0 ? [['warning', warnedLine, RAFCE_FILE_NAMES.split]] : [],
    );
    // The report shows the warning with the other problems.
    expect(imported.report.problemCounts.separator ?? 0).toBe(warnedLine > 0 ? 1 : 0);
  });

  it('mixed separators: the rewritten file reads back to the same rows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(auValue, separator), { minLength: 1, maxLength: 20 }),
        (rows) => {
          const input = rows
            .map(([au, sep], i) => `${String(i + 1).padStart(4, '0')}.jpg${sep}${au}\n`)
            .join('');
          const first = writeBack([textFile(RAFCE_FILE_NAMES.au, input)]);
          const out = first.written[0]?.bytes ?? new Uint8Array();
          const again = writeBack([{ name: RAFCE_FILE_NAMES.au, bytes: out }]);
          expect(again.imported.table.auRaw).toEqual(first.imported.table.auRaw);
          expect(again.imported.problems.filter((p) => p.kind === 'separator')).toEqual([]);
          // Normalised once, the file is then stable byte for byte.
          expect(text(again.written[0]?.bytes)).toBe(text(out));
          const distinct = new Set(rows.map(([, sep]) => sep)).size;
          expect(first.imported.problems.filter((p) => p.kind === 'separator')).toHaveLength(
            distinct > 1 ? 1 : 0,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each<[string | undefined, string]>([
    [undefined, '0001.jpg 3\n'],
    ['\t', '0001.jpg\t3\n'],
    // Never anything but whitespace: a stored separator of another kind reads as one space.
    ['x', '0001.jpg 3\n'],
    ['', '0001.jpg 3\n'],
  ])('a stored separator %j writes %j', (separator, expected) => {
    const { imported } = writeBack([textFile(RAFCE_FILE_NAMES.emotion, '0001.jpg 3\n')]);
    const source: SourceFile = {
      ...(imported.sourceFiles[0] as SourceFile),
      ...(separator === undefined ? {} : { separator }),
    };
    const [file] = writeRafCe({
      format: 'raf-ce',
      table: imported.table,
      labels: imported.table,
      kept: Int32Array.of(0),
      scheme: RAFCE_SCHEME,
      splitNames: defaultSplitNames('raf-ce'),
      sourceFiles: [source],
    });
    expect(text(file?.bytes)).toBe(expected);
  });
});

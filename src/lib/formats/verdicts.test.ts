import { describe, expect, it } from 'vitest';
import { textFile } from '../labels/test-fixtures';
import { importLabelFiles } from './import';
import { fileVerdicts, formatChoices, roleChoices } from './verdicts';

const emotion = textFile('classes.txt', '0001.jpg 5\n0002.jpg 13\n0003.jpg 1\n');
const aus = textFile('codes.txt', '0001.jpg 1+2+25\n0002.jpg null\n0003.jpg 4\n');
const parts = textFile('parts.txt', '0001.jpg 0\n0002.jpg 2\n0003.jpg 1\n');
const notes = textFile('notes.md', '# notes\n');

function verdictsOf(...args: Parameters<typeof importLabelFiles>) {
  const result = importLabelFiles(...args);
  return {
    result,
    verdicts: fileVerdicts(result.detection, result.report, result.format, args[1]?.roles),
  };
}

describe('fileVerdicts', () => {
  it('says what each file was read as, and why; and why a file was not taken', () => {
    const { result, verdicts } = verdictsOf([emotion, aus, parts, notes]);
    expect(result.format).toBe('raf-ce');
    expect(result.table.count).toBe(3);
    expect(result.detection.unsure).toMatch(/by content alone/);
    expect(verdicts.map((v) => [v.name, v.readAs, v.role, v.notTaken])).toEqual([
      ['classes.txt', 'RAF-CE, emotion labels', 'emotion', null],
      ['codes.txt', 'RAF-CE, AU labels', 'au', null],
      ['parts.txt', 'RAF-CE, splits', 'split', null],
      [
        'notes.md',
        null,
        null,
        expect.stringMatching(/^not a label file this importer knows \(it reads RAF-CE, RAF-DB/),
      ],
    ]);
    expect(verdicts[0]?.why).toBe("class ids after image names, as in RAF-CE's files");
  });

  it('a role the user gives wins, and the file it displaces says why it was not read', () => {
    const roles = { 'parts.txt': 'emotion' as const };
    const { result, verdicts } = verdictsOf([emotion, aus, parts], { roles });
    expect(verdicts.map((v) => [v.name, v.role, v.why])).toEqual([
      ['classes.txt', null, expect.any(String)],
      ['codes.txt', 'au', expect.any(String)],
      ['parts.txt', 'emotion', 'as you said'],
    ]);
    expect(verdicts[0]?.notTaken).toBe('a second RAF-CE emotion file; only parts.txt is read');
    // The partition's ids are read as classes now.
    expect(result.report.classCounts.map((c) => c.count).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('a forced format takes the files it can read and says why it cannot read the others', () => {
    const { verdicts } = verdictsOf([emotion, notes], { format: 'raf-db-basic' });
    expect(verdicts.map((v) => v.notTaken !== null)).toEqual([true, true]);
    expect(verdicts[0]?.notTaken).toMatch(/a RAF-CE file .* in an import read as RAF-DB; ignored/);
  });
});

describe('format and role choices', () => {
  it('list every stored format once, RAF-DB as its two sets', () => {
    const values = formatChoices().map((c) => c.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual(
      expect.arrayContaining(['raf-ce', 'raf-db-basic', 'raf-db-compound', 'generic-csv']),
    );
  });

  it.each([
    ['raf-ce', ['emotion', 'au', 'split']],
    ['generic-csv', ['combined']],
    ['raf-db-basic', ['combined']],
  ] as const)('%s: %j', (format, roles) => {
    expect(roleChoices(format)).toEqual(roles);
  });
});

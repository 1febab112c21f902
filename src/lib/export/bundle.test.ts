import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { expect, it } from 'vitest';
import { importLabelFiles } from '../formats/import';
import { describeRealRafCe, realRafCeFile, textFile } from '../labels/test-fixtures';
import { AuStatus, type InputFile } from '../labels/types';
import {
  buildExportFiles,
  buildExportZip,
  buildTrainingStatsFile,
  type ExportInput,
} from './bundle';
import {
  ExportPolicySchema,
  defaultExportPolicy,
  exportLabels,
  type ExportPolicyInput,
} from './policy';
import { ProvenanceSchema } from './provenance';
import { TrainingStatsSchema } from './stats';
import { allIndices, finalOf, labelRows, type TestDecision } from './test-support';
import { textAt, textColumnToArray } from '../labels/text-column';

const REAL_NAMES = ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'] as const;
const realFiles = REAL_NAMES.map((name) => realRafCeFile(name));
const imported = importLabelFiles(realFiles);
const { table } = imported;

const EXPECTED_PATHS = [
  'README.txt',
  'labels/RAFCE_emolabel.txt',
  'labels/RAFCE_AUlabel.txt',
  'labels/RAFCE_partition.txt',
  'au_matrix.csv',
  'training_stats.json',
  'provenance.json',
  'changelog.csv',
];

const firstNull = table.auStatus.indexOf(AuStatus.null, 10);
const decisions: TestDecision[] = [
  { sample: 0, kind: 'correct', classId: 13, note: 'smile, and "tears"' },
  { sample: 1, kind: 'correct', au: '1+2+5B+26' },
  { sample: 2, kind: 'discard', reviewer: 'bo' },
  { sample: 4, kind: 'flag', flagReason: 'au-wrong' },
  { sample: firstNull, kind: 'correct', au: '4+7+24' },
];

function exportInput(policyInput: ExportPolicyInput = {}, withDecisions = true): ExportInput {
  return {
    dataset: 'RAF-CE',
    format: imported.format,
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    table,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
    final: withDecisions ? finalOf(table, decisions) : null,
    checkScore: null,
    policy: ExportPolicySchema.parse(policyInput),
  };
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describeRealRafCe('buildExportZip', () => {
  const zip = buildExportZip(exportInput());
  const entries = unzipSync(zip);

  it('is deterministic: the same data and options give the same bytes', () => {
    const again = buildExportZip(exportInput());
    expect(again.length).toBe(zip.length);
    expect(Buffer.from(again).equals(Buffer.from(zip))).toBe(true);
    // ...and an option change changes them.
    const other = buildExportZip(exportInput({ beta: 0.9 }));
    expect(Buffer.from(other).equals(Buffer.from(zip))).toBe(false);
  });

  it.each(['UTC', 'America/Los_Angeles', 'Asia/Tokyo'])(
    'gives the same bytes in time zone %s',
    (zone) => {
      const small = importLabelFiles([textFile('RAFCE_emolabel.txt', '0001.jpg 5\n')]);
      const build = () =>
        buildExportZip({
          dataset: 'tz',
          format: small.format,
          scheme: small.scheme,
          splitNames: small.splitNames,
          table: small.table,
          sourceFiles: small.sourceFiles,
          final: null,
          checkScore: null,
          policy: defaultExportPolicy(),
        });
      const saved = process.env.TZ;
      const reference = build();
      try {
        process.env.TZ = zone;
        expect(Buffer.from(build()).equals(Buffer.from(reference))).toBe(true);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    },
  );

  it('holds every file, in a fixed order', () => {
    expect(Object.keys(entries)).toEqual(EXPECTED_PATHS);
  });

  it('README.txt describes every file and the masked AU loss', () => {
    const readme = text(entries['README.txt']);
    for (const path of EXPECTED_PATHS) {
      const name = path.startsWith('labels/') ? path.slice('labels/'.length) : path;
      expect(readme, path).toContain(name);
    }
    expect(readme).toContain('labels/');
    expect(readme).toMatch(/-1 = NOT CODED/);
    expect(readme).toMatch(/mask = \(y >= 0\)/);
    expect(readme).toMatch(/Flagged samples are kept/);
    expect(readme).toContain('4548 of 4549 samples exported; 1 removed.');
  });

  it('JSON files carry their versions and validate', () => {
    const stats = TrainingStatsSchema.parse(JSON.parse(text(entries['training_stats.json'])));
    expect(stats.version).toBe(1);
    expect(stats.samples).toBe(4548);
    const provenance = ProvenanceSchema.parse(JSON.parse(text(entries['provenance.json'])));
    expect(provenance.version).toBe(2);
    expect(provenance.samples.map((s) => s.sample)).toEqual([0, 1, 2, 4, firstNull]);
  });

  it('the labels re-import to exactly the exported samples and final labels', () => {
    const files: InputFile[] = Object.entries(entries)
      .filter(([path]) => path.startsWith('labels/'))
      .map(([name, bytes]) => ({ name, bytes }));
    const again = importLabelFiles(files);
    expect(again.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const final = finalOf(table, decisions);
    const kept = allIndices(table.count).filter((i) => i !== 2);
    expect(labelRows(again.table, again.table, allIndices(again.table.count))).toEqual(
      labelRows(table, final, kept),
    );
    const at = (i: number) => textColumnToArray(again.table.names).indexOf(textAt(table.names, i));
    expect(again.table.classIds[at(0)]).toBe(13);
    expect(again.table.auRaw[at(1)]).toBe('1+2+5B+26');
    expect(again.table.auRaw[at(firstNull)]).toBe('4+7+24');
    expect(again.table.auStatus[at(firstNull)]).toBe(AuStatus.coded);
    // Untouched samples keep their raw AU text.
    for (const i of [3, 5, 6, 7]) expect(again.table.auRaw[at(i)]).toBe(table.auRaw[i]);
  });

  it('the AU matrix and the change log agree with the decisions', () => {
    const matrix = Papa.parse<string[]>(text(entries['au_matrix.csv']).trimEnd()).data;
    expect(matrix).toHaveLength(4548 + 1);
    const header = matrix[0] as string[];
    const row = (name: string) => matrix.find((r) => r[0] === name) as string[];
    // The sample corrected from null now has its AUs; another null sample stays all -1.
    const corrected = row(textAt(table.names, firstNull));
    expect(corrected[header.indexOf('AU24')]).toBe('1');
    expect(corrected.slice(4)).not.toContain('-1');
    const otherNull = table.auStatus.indexOf(AuStatus.null, firstNull + 1);
    expect(
      row(textAt(table.names, otherNull))
        .slice(4)
        .every((c) => c === '-1'),
    ).toBe(true);

    const log = Papa.parse<string[]>(text(entries['changelog.csv']).trimEnd()).data;
    expect(log.slice(1).map((r) => [r[0], r[2]])).toEqual([
      ['0', 'class changed'],
      ['1', 'AU changed'],
      ['2', 'removed'],
      ['4', 'flagged'],
      [String(firstNull), 'AU changed'],
    ]);
    expect(log[1]?.[5]).toBe('smile, and "tears"');
    expect(log.find((r) => r[0] === String(firstNull))?.slice(3, 5)).toEqual(['null', '4+7+24']);
  });
});

describeRealRafCe('buildExportFiles', () => {
  it('untouched, default policy: the label files are the originals byte for byte', () => {
    const { files } = buildExportFiles(exportInput({}, false));
    for (const original of realFiles) {
      const file = files.find((f) => f.path === `labels/${original.name}`);
      expect(Buffer.from(file?.bytes ?? []).equals(Buffer.from(original.bytes))).toBe(true);
    }
  });

  it.each([
    ['untouched, default policy', exportInput({}, false)],
    ['reviewed, null AU labels dropped', exportInput({ nullAu: 'drop', beta: 0.99 }, true)],
    [
      'a subset, AU columns given',
      { ...exportInput({ subset: Int32Array.from([0, 1, 2, 5, 8]) }, true), aus: [12, 1, 2] },
    ],
  ])("the statistics file alone is the export's, byte for byte (%s)", (_, input) => {
    const alone = buildTrainingStatsFile(input);
    const inExport = buildExportFiles(input).files.find((f) => f.path === alone.path);
    expect(alone.path).toBe('training_stats.json');
    expect(Buffer.from(alone.bytes).equals(Buffer.from(inExport?.bytes ?? []))).toBe(true);
  });

  it('uses a selection given for the preview instead of computing one', () => {
    const input = exportInput();
    const first = buildExportFiles(input);
    const second = buildExportFiles({ ...input, selection: first.selection });
    expect(second.selection).toBe(first.selection);
    expect(second.files.map((f) => f.path)).toEqual(first.files.map((f) => f.path));
    second.files.forEach((file, k) => {
      const bytes = first.files[k]?.bytes ?? new Uint8Array();
      expect(Buffer.from(file.bytes).equals(Buffer.from(bytes)), file.path).toBe(true);
    });
  });

  it('a generic CSV export re-imports with its original header', () => {
    const source = textFile(
      'labels.csv',
      'file,emotion,facs,split\n"x, 1.jpg",Happy,1+2,train\ny.jpg,Sad,null,test\n',
    );
    const csvImport = importLabelFiles([source]);
    const final = finalOf(csvImport.table, [{ sample: 1, kind: 'correct', au: '1+4+15' }]);
    const policy = defaultExportPolicy();
    const { files } = buildExportFiles({
      dataset: 'csv',
      format: csvImport.format,
      scheme: csvImport.scheme,
      splitNames: csvImport.splitNames,
      table: csvImport.table,
      sourceFiles: csvImport.sourceFiles,
      csv: csvImport.csv,
      final,
      checkScore: null,
      policy,
    });
    const labelFile = files.find((f) => f.path === 'labels/labels.csv');
    expect(text(labelFile?.bytes)).toBe(
      'file,emotion,facs,split\n"x, 1.jpg",Happy,1+2,train\ny.jpg,Sad,1+4+15,test\n',
    );
    const again = importLabelFiles([
      { name: 'labels.csv', bytes: labelFile?.bytes ?? new Uint8Array() },
    ]);
    expect(labelRows(again.table, again.table, allIndices(2))).toEqual(
      labelRows(csvImport.table, exportLabels(csvImport.table, final, policy), allIndices(2)),
    );
  });
});

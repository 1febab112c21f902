import type { SampleLabels } from '../labels/types';
import { describe, expect, it } from 'vitest';
import { importLabelFiles, type ImportResult } from '../formats/import';
import { className } from '../labels/schemes';
import { describeRealRafCe, realRafCeFile, textFile } from '../labels/test-fixtures';
import { AuStatus, type InputFile } from '../labels/types';
import {
  ExportPolicySchema,
  defaultExportPolicy,
  exportLabels,
  selectForExport,
  type ExportPolicyInput,
} from './policy';
import { encodeLike } from '../labels/text-out';
import { allIndices, finalOf, labelRows, tableFrom, type TestDecision } from './test-support';
import { auValueText } from '../labels/text-out';
import { writeLabelFiles, type ExportFile, type LabelWriterInput } from './writers';
import { textAt, textColumnToArray } from '../labels/text-column';

const REAL_NAMES = ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'] as const;
const realFiles = REAL_NAMES.map((name) => realRafCeFile(name));

function writerInput(
  imported: ImportResult,
  labels: SampleLabels = imported.table,
  kept: Int32Array = allIndices(imported.table.count),
): LabelWriterInput {
  return {
    format: imported.format,
    table: imported.table,
    labels,
    kept,
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
  };
}

const asInputs = (files: ExportFile[]): InputFile[] =>
  files.map((f) => ({ name: f.path, bytes: f.bytes }));

/** Rows with class names, so schemes numbered differently on re-import still compare. */
function namedRows(result: ImportResult, labels: SampleLabels, indices: Iterable<number>) {
  return labelRows(result.table, labels, indices).map((row) => ({
    ...row,
    classId: row.classId < 0 ? '' : className(result.scheme, row.classId),
    split: row.split < 0 ? '' : (result.splitNames[String(row.split)] ?? String(row.split)),
  }));
}

describeRealRafCe('the real RAF-CE files', () => {
  const imported = importLabelFiles(realFiles);

  it('untouched, default policy: all three files byte for byte', () => {
    const selection = selectForExport(imported.table, null, null, defaultExportPolicy());
    expect(selection.keptCount).toBe(4549);
    const files = writeLabelFiles(writerInput(imported, imported.table, selection.kept));
    expect(files.map((f) => f.path)).toEqual([
      'RAFCE_emolabel.txt',
      'RAFCE_AUlabel.txt',
      'RAFCE_partition.txt',
    ]);
    for (const file of files) {
      const original = realFiles.find((f) => f.name === file.path) as InputFile;
      expect(file.bytes.length).toBe(original.bytes.length);
      expect(Buffer.from(file.bytes).equals(Buffer.from(original.bytes))).toBe(true);
    }
    // The emotion and partition files end without a newline, the AU file with one.
    const last = (f: ExportFile) => f.bytes[f.bytes.length - 1];
    expect(files.map(last)).toEqual([0x31, 0x0a, 0x30]);
  });

  it('untouched final labels (nobody decided anything) give the same bytes', () => {
    const final = finalOf(imported.table);
    const selection = selectForExport(imported.table, final, null, defaultExportPolicy());
    const labels = exportLabels(imported.table, final, defaultExportPolicy());
    const files = writeLabelFiles(writerInput(imported, labels, selection.kept));
    files.forEach((file, k) => {
      const original = realFiles.find((f) => f.name === file.path) as InputFile;
      expect(Buffer.from(file.bytes).equals(Buffer.from(original.bytes)), `file ${k}`).toBe(true);
    });
  });

  it('corrections applied and samples dropped: the re-import has exactly the exported labels', () => {
    const { table } = imported;
    const nullSample = table.auStatus.indexOf(AuStatus.null, 6);
    const decisions: TestDecision[] = [
      { sample: 0, kind: 'correct', classId: 13 },
      { sample: 1, kind: 'correct', au: '1+2+L12+25' },
      { sample: 2, kind: 'correct', classId: 8, au: null },
      { sample: nullSample, kind: 'correct', au: '6+12' },
      { sample: 3, kind: 'discard' },
      { sample: 4, kind: 'flag', flagReason: 'bad-crop' },
      { sample: 5, kind: 'accept' },
    ];
    const final = finalOf(table, decisions);
    const policy = ExportPolicySchema.parse({ dropFlagged: ['bad-crop'] });
    const selection = selectForExport(table, final, null, policy);
    expect(selection.keptCount).toBe(4547);
    const labels = exportLabels(table, final, policy);
    const files = writeLabelFiles(writerInput(imported, labels, selection.kept));
    const again = importLabelFiles(asInputs(files));
    expect(again.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(labelRows(again.table, again.table, allIndices(again.table.count))).toEqual(
      labelRows(table, labels, selection.kept),
    );
    // Spot checks: the corrected values are there, untouched raw text is kept.
    const row = (name: string) => textColumnToArray(again.table.names).indexOf(name);
    expect(again.table.classIds[row(textAt(table.names, 0))]).toBe(13);
    expect(again.table.auRaw[row(textAt(table.names, 1))]).toBe('1+2+L12+25');
    expect(again.table.auStatus[row(textAt(table.names, 2))]).toBe(AuStatus.null);
    expect(again.table.auRaw[row(textAt(table.names, nullSample))]).toBe('6+12');
    expect(row(textAt(table.names, 3))).toBe(-1);
    expect(row(textAt(table.names, 4))).toBe(-1);
    expect(again.table.auRaw[row(textAt(table.names, 5))]).toBe(table.auRaw[5]);
  });

  it('original labels are written when corrections are off', () => {
    const final = finalOf(imported.table, [{ sample: 0, kind: 'correct', classId: 13 }]);
    const policy = ExportPolicySchema.parse({ applyCorrections: false });
    const labels = exportLabels(imported.table, final, policy);
    const files = writeLabelFiles(writerInput(imported, labels));
    expect(Buffer.from(files[0]?.bytes ?? []).equals(Buffer.from(realFiles[0]?.bytes ?? []))).toBe(
      true,
    );
  });
});

const enc = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => encodeLike(text, { bom: true });
const utf16le = (text: string) => encodeLike(text, { bom: true, encoding: 'utf-16le' });

/** [case, input files, expected output paths]; every output must equal its input byte for byte. */
const ROUND_TRIPS: [string, InputFile[], string[]][] = [
  [
    'RAF-CE, LF with final newlines',
    [
      textFile('RAFCE_emolabel.txt', '0001.jpg 5\n0002.jpg 0\n'),
      textFile('RAFCE_AUlabel.txt', '0001.jpg 1+4+25\n0002.jpg null\n'),
      textFile('RAFCE_partition.txt', '0001.jpg 0\n0002.jpg 2\n'),
    ],
    ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'],
  ],
  [
    'RAF-CE, CRLF, BOM, no final newline, odd AU spellings kept',
    [
      { name: 'RAFCE_emolabel.txt', bytes: withBom('0001.jpg 5\r\n0002.jpg 12') },
      {
        name: 'RAFCE_AUlabel.txt',
        bytes: enc('0001.jpg L12+5B+AD19+26+26 \r\n0002.jpg NULL\r\n0003.jpg t23+X9'),
      },
    ],
    ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt'],
  ],
  [
    'RAF-CE, UTF-16LE AU file only',
    [{ name: 'RAFCE_AUlabel.txt', bytes: utf16le('0007.jpg 1+2+25\r\n0008.jpg null\r\n') }],
    ['RAFCE_AUlabel.txt'],
  ],
  [
    'RAF-CE in a folder',
    [textFile('data/labels/RAFCE_partition.txt', '0001.jpg 1\n')],
    ['RAFCE_partition.txt'],
  ],
  [
    'RAF-DB basic',
    [textFile('EmoLabel/list_patition_label.txt', 'train_00001.jpg 5\ntest_0001.jpg 7\n')],
    ['basic/EmoLabel/list_patition_label.txt'],
  ],
  [
    'RAF-DB compound, CRLF',
    [
      textFile(
        'compound/EmoLabel/list_patition_label.txt',
        'train_0001.jpg 1\r\ntest_0001.jpg 3\r\n',
      ),
    ],
    ['compound/EmoLabel/list_patition_label.txt'],
  ],
  [
    'CSV with class names, split names, AU strings',
    [
      textFile(
        'labels.csv',
        'image,emotion,aus,split\n"a, b.jpg",Happy,1+2,train\nc.jpg,Sad,null,test\nd.jpg,Happy,,train\n',
      ),
    ],
    ['labels.csv'],
  ],
  [
    'CSV with ids, other column names and order, CRLF, no final newline',
    [textFile('faces.csv', 'partition,file,label\r\n0,x.jpg,3\r\n1,y.jpg,5')],
    ['faces.csv'],
  ],
  ['TSV', [textFile('faces.tsv', 'image\temotion\n"q\t1.jpg"\t2\nr.jpg\t4\n')], ['faces.tsv']],
];

describe('writeLabelFiles reproduces untouched files byte for byte', () => {
  it.each(ROUND_TRIPS)('%s', (_, inputs, paths) => {
    const imported = importLabelFiles(inputs);
    expect(imported.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const files = writeLabelFiles(writerInput(imported));
    expect(files.map((f) => f.path)).toEqual(paths);
    for (const file of files) {
      const source = inputs.find((f) => f.name.endsWith(file.path.split('/').pop() as string));
      expect(new TextDecoder().decode(file.bytes)).toBe(
        new TextDecoder().decode(source?.bytes ?? new Uint8Array()),
      );
      expect([...file.bytes]).toEqual([...(source?.bytes ?? [])]);
    }
  });
});

describe('writeLabelFiles: changes re-import as exported', () => {
  const cases: [string, InputFile[], TestDecision[], ExportPolicyInput][] = [
    [
      'RAF-CE',
      [
        textFile('RAFCE_emolabel.txt', '0001.jpg 5\n0002.jpg 0\n0003.jpg 1\n'),
        textFile('RAFCE_AUlabel.txt', '0001.jpg 1+4+25\n0002.jpg null\n0003.jpg 9\n'),
        textFile('RAFCE_partition.txt', '0001.jpg 0\n0002.jpg 2\n0003.jpg 1\n'),
      ],
      [
        { sample: 0, kind: 'correct', au: null },
        { sample: 1, kind: 'correct', classId: 3, au: '12+25' },
        { sample: 2, kind: 'discard' },
      ],
      {},
    ],
    [
      'RAF-DB compound',
      [
        textFile(
          'compound/EmoLabel/list_patition_label.txt',
          'train_0001.jpg 1\ntrain_0002.jpg 2\ntest_0001.jpg 3\n',
        ),
      ],
      [
        { sample: 0, kind: 'correct', classId: 4 },
        { sample: 2, kind: 'flag', flagReason: 'occluded' },
      ],
      { dropFlagged: ['occluded'] },
    ],
    [
      'CSV with names',
      [
        textFile(
          'labels.csv',
          'image,emotion,aus,split\n"a, b.jpg",Happy,1+2,train\nc.jpg,Sad,null,test\nd.jpg,Happy,,train\n',
        ),
      ],
      [
        { sample: 0, kind: 'correct', classId: 1, au: '4+15' },
        { sample: 1, kind: 'correct', au: '1+4' },
      ],
      {},
    ],
    [
      'CSV: null AU dropped by the policy',
      [textFile('labels.csv', 'image,emotion,aus\na.jpg,1,null\nb.jpg,2,12\n')],
      [],
      { nullAu: 'drop' },
    ],
  ];

  it.each(cases)('%s', (_, inputs, decisions, policyInput) => {
    const imported = importLabelFiles(inputs);
    const policy = ExportPolicySchema.parse(policyInput);
    const final = finalOf(imported.table, decisions);
    const selection = selectForExport(imported.table, final, null, policy);
    const labels = exportLabels(imported.table, final, policy);
    const files = writeLabelFiles(writerInput(imported, labels, selection.kept));
    const again = importLabelFiles(asInputs(files));
    expect(again.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(again.format).toBe(imported.format);
    expect(namedRows(again, again.table, allIndices(again.table.count))).toEqual(
      namedRows(imported, labels, selection.kept),
    );
  });
});

describe('writeLabelFiles without source files', () => {
  it.each<[string, 'raf-ce' | 'raf-db-basic' | 'generic-csv', string[], string]>([
    [
      'RAF-CE: all three roles, LF, final newline',
      'raf-ce',
      ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'],
      '0001.jpg 2\n',
    ],
    ['RAF-DB', 'raf-db-basic', ['basic/EmoLabel/list_patition_label.txt'], 'train_1.jpg 2\n'],
    [
      'CSV: image, emotion, aus, split; placeholder class names as ids',
      'generic-csv',
      ['labels.csv'],
      'image,emotion,aus,split\n0001.jpg,2,1+2,0\n',
    ],
  ])('%s', (_, format, paths, first) => {
    const table = tableFrom([
      {
        name: format === 'raf-db-basic' ? 'train_1.jpg' : '0001.jpg',
        classId: 2,
        split: 0,
        aus: '1+2',
      },
    ]);
    const files = writeLabelFiles({
      format,
      table,
      labels: table,
      kept: allIndices(1),
      scheme: { id: 's', name: 's', classes: [{ id: 2, name: 'class 2', components: [] }] },
      splitNames: {},
      sourceFiles: [],
    });
    expect(files.map((f) => f.path)).toEqual(paths);
    expect(new TextDecoder().decode(files[0]?.bytes)).toBe(first);
  });
});

describe('auValueText', () => {
  it.each<[string, number, string, string | null]>([
    ['coded: raw text', AuStatus.coded, '1+2 ', '1+2 '],
    ['null: its spelling', AuStatus.null, 'NULL', 'NULL'],
    ['null without text', AuStatus.null, '', 'null'],
    ['absent: nothing', AuStatus.absent, '', null],
    ['coded without text: its AUs', AuStatus.coded, '', '1+33'],
  ])('%s', (_, status, raw, expected) => {
    const labels: SampleLabels = {
      classIds: Int16Array.of(0),
      auStatus: Uint8Array.of(status),
      auRaw: [raw],
      auMask: Uint32Array.of(1, 1),
    };
    expect(auValueText(labels, 0)).toBe(expected);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { targetDumpCsv, type TargetDumpKind } from '../support/prediction-fixtures';
import { buildExportFiles } from '../../src/lib/export/bundle';
import { defaultExportPolicy } from '../../src/lib/export/policy';
import { assembleZip, deflateEntry } from '../../src/lib/export/zip';
import { importLabelFiles } from '../../src/lib/formats/import';
import { assessLabels, DEFAULT_EVIDENCE_OPTIONS } from '../../src/lib/label-evidence/assess';
import {
  describeRealRafCe,
  RAFCE_REAL_DIR,
  REAL_RAFCE_NAMES,
  realRafCeFile,
} from '../../src/lib/labels/test-fixtures';
import { defaultRuleSet } from '../../src/lib/rules/builtin';
import { BACKUP_TABLES, packBackup, type BackupTables } from '../../src/lib/backup/format';
import type { Decision, FinalLabels } from '../../src/lib/review/decision';
import { resolveFinalLabels } from '../../src/lib/review/decisions';
import { textAt } from '../../src/lib/labels/text-column';
import { CROWD_EMOTIONS } from '../../src/lib/label-evidence/crowd-file';
import { RAFCE_SCHEME } from '../../src/lib/labels/schemes';
import { checkTable } from '../../src/lib/rules/check';

/** The command line as a pipeline runs it: a child process, its output and exit code. */
const run = promisify(execFile);
async function auReview(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/au-review.mjs', ...args], {
      maxBuffer: 64 << 20,
      // The bundled command line, as users run it: no silent fall back to tsx.
      env: { ...process.env, AU_REVIEW_NO_FALLBACK: '1' },
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

const ROLES = REAL_RAFCE_NAMES;
const rafce = () => ROLES.map((name) => join(RAFCE_REAL_DIR, name));

/**
 * The app's export of the real RAF-CE files, as its export worker makes it: buildExportFiles
 * with the check's scores and the evidence's flags, each file deflated, the zip assembled,
 * under the name the import screen gives the dataset; `final`: a review's final labels.
 */
function appExportZip(final: FinalLabels | null): Uint8Array {
  const imported = importLabelFiles(ROLES.map(realRafCeFile));
  const ruleSet = defaultRuleSet(imported.scheme);
  const check = checkTable(imported.table, ruleSet);
  const evidence = assessLabels(
    { columns: imported.table, scheme: imported.scheme, ruleSet },
    { ...DEFAULT_EVIDENCE_OPTIONS, minClassSamples: ruleSet.settings.minClassSamples },
  );
  const { files } = buildExportFiles({
    dataset: 'RAF-CE',
    format: imported.format,
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    table: imported.table,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
    final,
    checkScore: check.score,
    flagged: evidence.flagged,
    policy: defaultExportPolicy(),
  });
  return assembleZip(files, new Map(files.map((f) => [f.path, deflateEntry(f)])));
}

describe('au-review: usage', () => {
  it.each<[string, string[], number, RegExp]>([
    ['help', ['--help'], 0, /Usage: au-review/],
    ['a command s help', ['export', '--help'], 0, /--out <zip-or-dir>/],
    ['an unknown command', ['frobnicate'], 2, /unknown command/],
    [
      'a file that is not there',
      ['report', 'missing.txt'],
      2,
      /missing\.txt: cannot be read \(ENOENT\)/,
    ],
    ['a --fail-on nobody knows', ['report', '--fail-on', 'bogus', 'x'], 2, /--fail-on 'bogus'/],
    ['export without --out', ['export', 'x.txt'], 2, /--out/],
    ['a --top that is no count', ['issues', '--top', 'many', 'x.txt'], 2, /--top 'many'/],
  ])('%s', async (_, args, code, said) => {
    const result = await auReview(...args);
    expect(result.code).toBe(code);
    expect(result.out + result.err).toMatch(said);
  });

  it('an empty file says so, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
    const file = join(dir, 'RAFCE_emolabel.txt');
    writeFileSync(file, '');
    const result = await auReview('report', file);
    expect(result.code).toBe(3);
    expect(result.err).toContain('RAFCE_emolabel.txt (file): the file is empty (0 bytes)');
  });

  it('a file of no known format is named with its reason, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'this is not a label file\nnor is this\n');
    const result = await auReview('report', file);
    expect(result.code).toBe(3);
    expect(result.err).toContain('notes.txt');
  });
});

describeRealRafCe('au-review on the real RAF-CE files', () => {
  it('report: the parse report and the diagnosis, as text and as JSON', async () => {
    const text = await auReview('report', ...rafce());
    expect(text.code).toBe(0);
    expect(text.out).toContain('RAF-CE: raf-ce, 4,549 samples from 3 file(s)');
    expect(text.out).toMatch(/RAFCE_AUlabel\.txt:2879 \(au\): AU token 'L12L'/);
    expect(text.out).toContain('AU labels predict the class');
    const json = await auReview('report', '--json', ...rafce());
    const report = JSON.parse(json.out);
    expect(report.report.samples).toBe(4549);
    expect(report.report.nullCount).toBe(251);
    expect(report.facts.unknownTokens).toBe(3);
    expect(report.facts.likelyMislabelled / 4298).toBeLessThanOrEqual(0.15);
  }, 60_000);

  it.each<[string, string[], number]>([
    ['unknown AU tokens stop the pipeline', ['--fail-on', 'unknown-tokens'], 1],
    ['a null rate of 5.5% is under 10%', ['--fail-on', 'null-rate>0.1'], 0],
    ['but over 5%', ['--fail-on', 'null-rate>0.05'], 1],
    ['more than 100 likely issues', ['--fail-on', 'issues>100'], 1],
    ['not more than 4,000', ['--fail-on', 'issues>4000'], 0],
  ])(
    '--fail-on: %s',
    async (_, args, code) => {
      const result = await auReview('report', '--quiet', ...args, ...rafce());
      expect(result.code).toBe(code);
      if (code === 1) expect(result.err).toMatch(/--fail-on:/);
    },
    60_000,
  );

  it("export: the app's export, byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
    const zipPath = join(dir, 'export.zip');
    const result = await auReview('export', '--out', zipPath, ...rafce());
    expect(result.code).toBe(0);
    expect(result.err).toContain('4,549 of 4,549 samples exported');
    // The app's export of the same dataset, unreviewed: what its export worker computes
    // (buildExportFiles with the check's scores and the evidence's flags, each file
    // deflated, the zip assembled), with the name the import screen gives it.
    const app = appExportZip(null);
    const cli = new Uint8Array(readFileSync(zipPath));
    expect(cli.length).toBe(app.length);
    expect(Buffer.compare(Buffer.from(cli), Buffer.from(app))).toBe(0);
    // The drop-in label files are the input, untouched.
    const entries = unzipSync(cli);
    for (const role of ROLES)
      expect(
        Buffer.from(entries[`labels/${role}`] ?? []).equals(
          readFileSync(join(RAFCE_REAL_DIR, role)),
        ),
      ).toBe(true);
  }, 90_000);

  it('issues: the most suspicious labels first, as CSV or JSON', async () => {
    const csv = await auReview('issues', '--quiet', '--top', '20', ...rafce());
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toBe(
      'rank,image,given,likeliest,suggested,posterior,suspicion,likelyMislabelled,au',
    );
    expect(lines).toHaveLength(21);
    const ranks = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(ranks).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    const json = JSON.parse((await auReview('issues', '--quiet', '--json', ...rafce())).out);
    // Without --top: the likely-mislabelled set, every one of them, worst first.
    expect(json.samples).toHaveLength(json.likelyMislabelled);
    expect(json.samples.every((s: { likelyMislabelled: boolean }) => s.likelyMislabelled)).toBe(
      true,
    );
    expect(json.likelyMislabelled / json.scored).toBeLessThanOrEqual(0.15);
  }, 60_000);

  it.each<[TargetDumpKind, number, string[]]>([
    ['correct', 0, []],
    ['all-zero-coded', 1, ['all-zero-coded']],
    ['null-as-zero', 1, ['null-as-zero']],
    ['column-shift', 1, ['column-shift']],
  ])(
    'check-loader: a %s dump, exit %i',
    async (kind, code, kinds) => {
      const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
      const dump = targetDumpCsv(kind);
      const path = join(dir, dump.name);
      writeFileSync(path, dump.bytes);
      const result = await auReview(
        'check-loader',
        '--quiet',
        '--json',
        '--targets',
        path,
        ...rafce(),
      );
      expect(result.code).toBe(code);
      const check = JSON.parse(result.out);
      expect(
        check.findings
          .map((f: { kind: string }) => f.kind)
          .filter((k: string) => kinds.includes(k)),
      ).toEqual(kinds);
      expect(check.clean).toBe(code === 0);
    },
    60_000,
  );

  it('check-loader: a dump that cannot be read is named with its line, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
    const path = join(dir, 'targets.csv');
    writeFileSync(path, 'image,emotion\n0001.jpg,3\n');
    const result = await auReview('check-loader', '--quiet', '--targets', path, ...rafce());
    expect(result.code).toBe(3);
    expect(result.err).toContain('targets.csv');
  }, 60_000);

  it('export to a folder, and stats: the training statistics of that export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
    expect((await auReview('export', '--quiet', '--out', dir, ...rafce())).code).toBe(0);
    const written = readFileSync(join(dir, 'training_stats.json'), 'utf8');
    const stats = await auReview('stats', '--json', ...rafce());
    expect(stats.code).toBe(0);
    expect(stats.out.trim()).toBe(written.trim());
    const text = await auReview('stats', ...rafce());
    expect(text.out).toMatch(/^4,549 samples; class weights/);
    expect(text.out).toMatch(/AU12 +Lip Corner Puller/);
  }, 90_000);
});

describeRealRafCe('au-review: crowd votes and predictions as extra evidence', () => {
  /**
   * Crowd votes for every RAF-CE image: its class's two emotions lead (0.4, 0.3), except
   * for `doubted` images, whose votes lead with another class's emotions.
   */
  function distribution(doubted: ReadonlySet<number>): string {
    const lines = readFileSync(join(RAFCE_REAL_DIR, 'RAFCE_emolabel.txt'), 'utf8')
      .trim()
      .split('\n');
    return lines
      .map((line, i) => {
        const [image, value] = line.split(' ') as [string, string];
        const given = Number(value);
        const classId = doubted.has(i) ? (given + 7) % 14 : given;
        const components = RAFCE_SCHEME.classes.find((c) => c.id === classId)?.components ?? [];
        const shares = CROWD_EMOTIONS.map((emotion) =>
          emotion === components[0] ? 0.4 : emotion === components[1] ? 0.3 : 0.075,
        );
        return `${image} ${shares.map((s) => s.toFixed(3)).join(' ')}`;
      })
      .join('\n');
  }

  it('issues --distribution: the samples the crowd doubts come first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
    // Thirty coded samples, spread over the file.
    const doubted = new Set(Array.from({ length: 30 }, (_, k) => 17 + k * 131));
    const path = join(dir, 'distribution.txt');
    writeFileSync(path, distribution(doubted));
    const names = readFileSync(join(RAFCE_REAL_DIR, 'RAFCE_emolabel.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    const doubtedNames = new Set([...doubted].map((i) => names[i]));
    const top = async (...extra: string[]) => {
      const result = await auReview(
        'issues',
        '--quiet',
        '--json',
        '--top',
        '40',
        ...extra,
        ...rafce(),
      );
      expect(result.code).toBe(0);
      return {
        err: result.err,
        hits: JSON.parse(result.out).samples.filter((s: { image: string }) =>
          doubtedNames.has(s.image),
        ).length,
      };
    };
    const without = await top();
    const withCrowd = await top('--distribution', path);
    expect(withCrowd.err).toMatch(/crowd votes for 4,549 samples/);
    expect(withCrowd.hits).toBeGreaterThanOrEqual(25);
    expect(withCrowd.hits).toBeGreaterThan(without.hits + 15);
  }, 90_000);

  it.each<[string, string, number, RegExp]>([
    [
      'a bad row is named with its line and left out',
      '0001.jpg 0.5 0.5 x 0 0 0\n0002.jpg 0.1 0.1 0.1 0.1 0.1 0.5\n',
      0,
      /distribution\.txt:1/,
    ],
    [
      'a control character in an image name is shown escaped, never sent to the terminal',
      'ok\u001b[31m.jpg 0.1 0.1 0.1 0.1 0.1 0.5\n',
      3,
      /image 'ok\\u001b\[31m\.jpg' is not in the dataset/,
    ],
    [
      'votes naming no image of the dataset end the command',
      'nobody.jpg 0.1 0.1 0.1 0.1 0.1 0.5\n',
      3,
      /no crowd votes for any sample/,
    ],
  ])(
    'report --distribution: %s',
    async (_, text, code, said) => {
      const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
      const path = join(dir, 'distribution.txt');
      writeFileSync(path, text);
      const result = await auReview('report', '--quiet', '--distribution', path, ...rafce());
      expect(result.code).toBe(code);
      expect(result.err).toMatch(said);
      expect(result.err).not.toContain('\u001b');
    },
    60_000,
  );

  it('a --predictions file that is not there is a usage error', async () => {
    const result = await auReview('issues', '--quiet', '--predictions', 'missing.csv', ...rafce());
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--predictions missing\.csv: cannot be read/);
  }, 60_000);
});

describeRealRafCe(
  "au-review export --decisions: a review's final labels from the app's backup",
  () => {
    const imported = importLabelFiles(ROLES.map(realRafCeFile));
    const decision = (sample: number, kind: Decision['kind'], extra: Partial<Decision> = {}) =>
      ({
        version: 1,
        id: `d${sample}`,
        datasetId: 'rafce-1',
        sample,
        sampleName: textAt(imported.table.names, sample),
        kind,
        reviewer: 'lead',
        at: 1_700_000_000_000 + sample,
        ...extra,
      }) satisfies Decision;
    const decisions: Decision[] = [
      decision(0, 'correct', { correction: { classId: 3 } }),
      decision(5, 'discard'),
      decision(9, 'accept'),
    ];
    async function backupWith(records: unknown[]): Promise<string> {
      const tables = Object.fromEntries(
        BACKUP_TABLES.map((t) => [t, []]),
      ) as unknown as BackupTables;
      tables.decisions = records;
      const bytes = await packBackup(
        { createdAt: 0, datasetId: 'rafce-1', datasetName: 'RAF-CE', includesImages: false },
        tables,
      );
      const path = join(mkdtempSync(join(tmpdir(), 'au-review-')), 'backup.zip');
      writeFileSync(path, bytes);
      return path;
    }

    it("writes the app's export of the reviewed dataset, byte for byte", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'au-review-'));
      const zipPath = join(dir, 'export.zip');
      const result = await auReview(
        'export',
        '--decisions',
        await backupWith(decisions),
        '--out',
        zipPath,
        ...rafce(),
      );
      expect(result.code).toBe(0);
      expect(result.err).toContain('3 decisions of RAF-CE');
      const app = appExportZip(resolveFinalLabels(imported.table, decisions));
      const cli = new Uint8Array(readFileSync(zipPath));
      expect(Buffer.compare(Buffer.from(cli), Buffer.from(app))).toBe(0);
      // The discarded sample is gone and the corrected one carries its new class.
      const emotions = strFromU8(unzipSync(cli)['labels/RAFCE_emolabel.txt'] ?? new Uint8Array());
      expect(emotions).not.toContain(`${textAt(imported.table.names, 5)} `);
      expect(emotions.split('\n')[0]).toBe(`${textAt(imported.table.names, 0)} 3`);
    }, 90_000);

    it.each<[string, () => Promise<string>, RegExp]>([
      [
        'another dataset s backup',
        () => backupWith([decision(0, 'accept', { sampleName: 'someone-else.jpg' })]),
        /none of its 1 decisions fits these label files/,
      ],
      [
        'a decision this app cannot read',
        () => backupWith([{ ...decision(0, 'accept'), kind: 'bless' }]),
        /decision 1 is not one this app reads/,
      ],
      [
        'a file that is no backup',
        async () => {
          const path = join(mkdtempSync(join(tmpdir(), 'au-review-')), 'backup.zip');
          writeFileSync(path, 'not a zip');
          return path;
        },
        /not a readable zip file/,
      ],
    ])(
      'refuses %s, exit 3, nothing written',
      async (_, make, said) => {
        const out = join(mkdtempSync(join(tmpdir(), 'au-review-')), 'export.zip');
        const result = await auReview(
          'export',
          '--decisions',
          await make(),
          '--out',
          out,
          ...rafce(),
        );
        expect(result.code).toBe(3);
        expect(result.err).toMatch(said);
        expect(existsSync(out)).toBe(false);
      },
      60_000,
    );
  },
);

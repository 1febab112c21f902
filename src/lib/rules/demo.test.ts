import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../../demo/dataset';
import { importLabelFiles } from '../labels/import';
import { textFile } from '../labels/test-fixtures';
import { builtinRuleSetFor } from './builtin';
import { checkTable, VerdictCode } from './check';
import { IssueFlag, scoreLabelIssues } from './label-issues';
import { textAt } from '../labels/text-column';

/**
 * The rules at their DEFAULT settings against the demo's recorded label noise. The
 * demo's generative model (src/demo/profiles.ts) is not imported: the rules must find
 * the noise from the published facts alone.
 */

// Not tuned to the demo: measured, then set a little below, so a regression shows.
const RECALL_FLOOR = 0.9;
const PRECISION_FLOOR = 0.7;

describe('rules on the demo dataset (default seed, default settings)', () => {
  const demo = generateDemoDataset();
  const imported = importLabelFiles(demo.files.map((f) => textFile(f.name, f.text)));
  const { table } = imported;
  const ruleSet = builtinRuleSetFor(imported.scheme.id)!;
  const check = checkTable(table, ruleSet);
  const issues = scoreLabelIssues(table, ruleSet);

  const injected = new Map(demo.injected.map((e) => [e.name, e]));
  const byCheck = (i: number) => check.verdict[i] !== VerdictCode.fits;
  const byFlag = (i: number) => issues.flagged[i] === IssueFlag.flagged;
  const found = (i: number) => byCheck(i) || byFlag(i);
  const indices = Array.from({ length: table.count }, (_, i) => i);
  const foundIndices = indices.filter(found);
  const truePositives = foundIndices.filter((i) => injected.has(textAt(table.names, i)!));
  const recall = truePositives.length / injected.size;
  const precision = truePositives.length / foundIndices.length;

  it('reads the demo as RAF-CE with the built-in rules and default settings', () => {
    expect(imported.format).toBe('raf-ce');
    expect(table.count).toBe(200);
    expect(ruleSet.id).toBe('raf-ce-du2014');
    expect(ruleSet.settings).toEqual({ minClassSamples: 10, priorBlend: 0.3 });
    expect(injected.size).toBeGreaterThan(20);
  });

  it(`finds at least ${RECALL_FLOOR * 100}% of the injected errors, precision at least ${PRECISION_FLOOR * 100}%`, () => {
    const perKind = ['null-au', 'missing-hallmark', 'class-swap'].map((kind) => {
      const mine = indices.filter((i) => injected.get(textAt(table.names, i)!)?.kind === kind);
      return `${kind} ${mine.filter(found).length}/${mine.length} (check ${mine.filter(byCheck).length}, flag ${mine.filter(byFlag).length})`;
    });
    const falsePositives = foundIndices.length - truePositives.length;
    console.info(
      `demo: recall ${truePositives.length}/${injected.size} = ${recall.toFixed(3)}, ` +
        `precision ${truePositives.length}/${foundIndices.length} = ${precision.toFixed(3)} ` +
        `(${falsePositives} clean samples marked: ${foundIndices.filter((i) => !injected.has(textAt(table.names, i)!) && byCheck(i)).length} by the check, ` +
        `${foundIndices.filter((i) => !injected.has(textAt(table.names, i)!) && !byCheck(i)).length} by the label-issue flag only); ${perKind.join('; ')}`,
    );
    expect(recall).toBeGreaterThanOrEqual(RECALL_FLOOR);
    expect(precision).toBeGreaterThanOrEqual(PRECISION_FLOOR);
  });

  it('suggests the true class for most class swaps the label-issue score flags', () => {
    const swaps = indices.filter(
      (i) => injected.get(textAt(table.names, i)!)?.kind === 'class-swap',
    );
    const flagged = swaps.filter(byFlag);
    const right = flagged.filter(
      (i) => issues.suggested[i] === injected.get(textAt(table.names, i)!)!.trueClassId,
    );
    console.info(
      `demo: class swaps flagged ${flagged.length}/${swaps.length}, true class suggested for ${right.length}`,
    );
    expect(right.length * 2).toBeGreaterThanOrEqual(flagged.length);
  });
});

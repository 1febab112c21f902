import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { NodeResult, Result } from 'axe-core';

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices. */
export const axeTags = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'wcag22a',
  'wcag22aa',
  'best-practice',
];

/**
 * Rules axe marks experimental (off unless asked for) that test WCAG A and AA criteria:
 * the visible label inside the accessible name (2.5.3), headings made of bold paragraphs,
 * data cells without headers, captions faked with a cell, orientation locked by CSS.
 */
const experimentalWcagRules = [
  'label-content-name-mismatch',
  'p-as-heading',
  'td-has-header',
  'table-fake-caption',
  'css-orientation-lock',
];

export interface AxeFinding {
  rule: Result;
  node: NodeResult;
}

/** Runs axe on the whole page as it is and returns every failing element. */
export async function scanPage(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page })
    .options({
      runOnly: { type: 'tag', values: axeTags },
      rules: Object.fromEntries(experimentalWcagRules.map((id) => [id, { enabled: true }])),
    })
    .analyze();
  return results.violations.flatMap((rule) => rule.nodes.map((node) => ({ rule, node })));
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/** How many elements of one kind of failure are printed before the rest are counted. */
const shownPerReason = 6;

/** The findings as a reader wants them: per rule and reason, the elements that fail. */
export function describeFindings(screen: string, findings: readonly AxeFinding[]): string {
  if (findings.length === 0) return `${screen}: no accessibility violation`;
  const lines = [`${screen}: ${findings.length} accessibility violation(s)`];
  const byRule = groupBy(findings, (finding) => finding.rule);
  for (const [rule, ofRule] of byRule) {
    lines.push(
      '',
      `${rule.id} (${rule.impact ?? 'no impact given'}, ${ofRule.length}): ${rule.help}`,
    );
    lines.push(`  ${rule.helpUrl}`);
    const byReason = groupBy(ofRule, ({ node }) =>
      (node.failureSummary ?? 'no reason given').replace(/\s+/g, ' ').trim(),
    );
    for (const [reason, same] of byReason) {
      lines.push(`  ${reason}`);
      for (const { node } of same.slice(0, shownPerReason)) {
        lines.push(`    - ${node.target.join(' ')}`);
        lines.push(`      ${node.html.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
      if (same.length > shownPerReason)
        lines.push(`    … and ${same.length - shownPerReason} more element(s) like these`);
    }
  }
  return lines.join('\n');
}

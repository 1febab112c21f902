import { readFileSync } from 'node:fs';
import { parseRuleSetJson, type RuleSet } from '../lib/rules/schema';
import { UsageError } from './errors';

/** A rule set exported from the app's Rules page; a file that is not one is a usage error naming where. */
export function loadRuleSet(path: string): RuleSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const parsed = parseRuleSetJson(text, path);
  if ('ruleSet' in parsed) return parsed.ruleSet;
  const [first, ...rest] = parsed.problems;
  throw new UsageError(
    `${path}: not a rule set: ${first ? `${first.path || '(top)'}: ${first.message}` : 'invalid'}${rest.length ? ` (and ${rest.length} more)` : ''}`,
  );
}

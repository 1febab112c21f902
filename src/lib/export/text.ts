import { csvField } from '../labels/text-out';

/**
 * Text of the files the export makes for people: CSV fields safe to open in a
 * spreadsheet (spreadsheetField), and readable times.
 */

/**
 * Characters that make a spreadsheet run a cell as a formula when they open it (OWASP,
 * "CSV Injection"): `=`, `+`, `-`, `@`, tab and carriage return.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A plain decimal number (`-1`, `0.25`, `+3`): data a spreadsheet shows as a number, never runs. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a spreadsheet would run this cell: it starts like a formula and is not a plain number. */
export function startsLikeFormula(value: string): boolean {
  return value.length > 0 && FORMULA_START.has(value[0] as string) && !PLAIN_NUMBER.test(value);
}

/**
 * One CSV field for a file people open in a spreadsheet (the AU matrix, the change
 * log): a cell a spreadsheet would run (an image name, class name, note or reviewer
 * starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` and is quoted, as
 * OWASP recommends; plain numbers such as `-1` stay exact. Otherwise as csvField.
 */
export function spreadsheetField(value: string, delimiter = ','): string {
  if (startsLikeFormula(value)) return `"'${value.replace(/"/g, '""')}"`;
  return csvField(value, delimiter);
}

/** One CSV row of spreadsheetField cells. */
export function spreadsheetRow(values: readonly string[], delimiter = ','): string {
  let row = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) row += delimiter;
    row += spreadsheetField(values[i] as string, delimiter);
  }
  return row;
}

/** A deterministic, human-readable time: ISO 8601 in UTC. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

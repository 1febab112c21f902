import type { z } from 'zod';

/**
 * Reading the team files (assignment, bundle, session): JSON text in, a checked
 * value or a list of plain-language problems out. Nothing here throws on bad
 * input; every message starts with the file's name.
 */

export const TEAM_FORMATS = {
  'au-review-assignment': 'an assignment file',
  'au-review-bundle': 'a review bundle',
  'au-review-session': 'a team session file',
} as const;
export type TeamFormat = keyof typeof TEAM_FORMATS;

/** The value as the schema read it, and the JSON it came from (a signature covers the JSON). */
export type TeamFileRead<T> =
  { ok: true; value: T; json: unknown } | { ok: false; problems: string[] };

export interface ReadOptions {
  /** Checks before the schema (e.g. "other dataset", which says more than any schema message). */
  precheck?: (json: unknown) => string[];
  /** Said after "this app reads version N" when the file is older (why it cannot be read). */
  olderVersion?: string;
  /** Longer text is refused before it is parsed. */
  maxChars?: number;
}

/** At most this many schema problems are listed (the count of the rest is given). */
export const MAX_LISTED_PROBLEMS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(position, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

class JsonSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const END_REASON = 'the file ends too early (was it cut off?)';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Where and why JSON text is invalid, found by a small scanner of its own: engines
 * word JSON.parse errors differently and some (V8 for a stray token) give no
 * position at all. Null when the scanner finds nothing wrong.
 */
export function findJsonError(text: string): { position: number; reason: string } | null {
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntaxError(i, i >= text.length ? END_REASON : reason);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) fail(END_REASON);
      else if (c === '"') {
        i++;
        return;
      } else if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a bad \\u escape');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail(`a bad escape \\${e ?? ''} in a string`);
      } else if (c < ' ') {
        fail('a control character (a raw line break or tab?) inside a string');
      } else i++;
    }
  };
  const sequence = (close: '}' | ']', item: () => void): void => {
    i++; // the opening bracket
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === close) fail(`a comma before ${close} (trailing commas are not JSON)`);
      item();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail(`expected ',' or '${close}'`);
    }
  };
  const member = (): void => {
    if (text[i] !== '"') fail('expected a property name in double quotes');
    string();
    ws();
    if (text[i] !== ':') fail("expected ':' after a property name");
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return sequence('}', member);
    if (c === '[') return sequence(']', value);
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) fail('a malformed number');
      i += match?.[0].length ?? 0;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail('more text after the end of the JSON value');
    return null;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { position: error.position, reason: error.reason };
    return null; // e.g. nesting too deep for the stack: the engine's message is used instead
  }
}

/** Parse JSON text; a byte-order mark is ignored. */
export function parseJsonText(
  text: string,
  fileName: string,
): { ok: true; json: unknown } | { ok: false; problems: string[] } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, problems: [`${fileName} is empty`] };
  try {
    return { ok: true, json: JSON.parse(body) as unknown };
  } catch (error) {
    const found = findJsonError(body);
    const engine = error instanceof Error ? error.message : String(error);
    const position = found?.position ?? Number(/position (\d+)/.exec(engine)?.[1] ?? body.length);
    const { line, column } = lineColumn(body, position);
    return {
      ok: false,
      problems: [
        `${fileName} is not valid JSON at line ${line}, column ${column}: ${found?.reason ?? engine}`,
      ],
    };
  }
}

/** The `format` and `version` checks every team file shares. */
export function envelopeProblems(
  json: unknown,
  fileName: string,
  format: TeamFormat,
  version: number,
  olderVersion?: string,
): string[] {
  const wanted = `${TEAM_FORMATS[format]} (${format})`;
  if (!isRecord(json)) return [`${fileName} is not ${wanted}: it is not a JSON object`];
  const found = json.format;
  if (found === undefined) {
    return [`${fileName} is not ${wanted}: it has no "format" field`];
  }
  if (found !== format) {
    const known = typeof found === 'string' && Object.hasOwn(TEAM_FORMATS, found);
    return [
      known
        ? `${fileName} is ${TEAM_FORMATS[found as TeamFormat]} (${found}), not ${wanted}`
        : `${fileName} has format ${JSON.stringify(found)}, not ${wanted}`,
    ];
  }
  const v = json.version;
  if (v === undefined) return [`${fileName} has no "version" field`];
  if (v !== version) {
    const newer = typeof v === 'number' && v > version;
    const older = typeof v === 'number' && v < version && olderVersion;
    return [
      `${fileName} is ${TEAM_FORMATS[format]} version ${JSON.stringify(v)}; this app reads version ${version}` +
        (newer ? ': update AU Review' : older ? `: ${olderVersion}` : ''),
    ];
  }
  return [];
}

/** zod issues as "file: path: message" lines, capped. */
export function schemaProblems(error: z.ZodError, fileName: string): string[] {
  const lines = error.issues.slice(0, MAX_LISTED_PROBLEMS).map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
      .join('');
    return `${fileName}: ${path === '' ? '(top level)' : path}: ${issue.message}`;
  });
  const rest = error.issues.length - MAX_LISTED_PROBLEMS;
  if (rest > 0) lines.push(`${fileName}: ... and ${rest} more problems`);
  return lines;
}

/** A list of problems cut to MAX_LISTED_PROBLEMS, the count of the rest said. */
export function capped(problems: string[], fileName: string): string[] {
  const rest = problems.length - MAX_LISTED_PROBLEMS;
  if (rest <= 0) return problems;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `${fileName}: ... and ${rest} more problems`];
}

/**
 * JSON text -> envelope check -> precheck -> schema, or the problems of the first
 * step that fails.
 */
export function readTeamFile<T>(
  text: string,
  fileName: string,
  format: TeamFormat,
  version: number,
  schema: z.ZodType<T>,
  options: ReadOptions = {},
): TeamFileRead<T> {
  try {
    if (options.maxChars !== undefined && text.length > options.maxChars) {
      return {
        ok: false,
        problems: [
          `${fileName} is too large for ${TEAM_FORMATS[format]}: ` +
            `${text.length.toLocaleString('en')} characters, at most ${options.maxChars.toLocaleString('en')}`,
        ],
      };
    }
    const parsed = parseJsonText(text, fileName);
    if (!parsed.ok) return parsed;
    const envelope = envelopeProblems(parsed.json, fileName, format, version, options.olderVersion);
    if (envelope.length > 0) return { ok: false, problems: envelope };
    const early = options.precheck?.(parsed.json) ?? [];
    if (early.length > 0) return { ok: false, problems: early };
    const result = schema.safeParse(parsed.json);
    if (!result.success) return { ok: false, problems: schemaProblems(result.error, fileName) };
    return { ok: true, value: result.data, json: parsed.json };
  } catch (error) {
    // Only a bug gets here; bad input still gets an answer, not an exception.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`${fileName} could not be read: ${message}`] };
  }
}

/** A string field of a JSON object, if it is one (to give a specific message before the schema runs). */
export function stringField(json: unknown, key: string): string | undefined {
  if (!isRecord(json)) return undefined;
  const value = json[key];
  return typeof value === 'string' ? value : undefined;
}

/** Text made safe for a file name on every file system. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || '_';
}

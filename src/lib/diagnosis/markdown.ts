/**
 * Markdown for diagnosis reports (GitHub-flavoured tables), written to be read as
 * raw text as well as rendered: columns are padded to a common width.
 */

export type MarkdownAlign = 'left' | 'right';

export interface MarkdownTable {
  headers: string[];
  rows: (string | number)[][];
  align?: MarkdownAlign[];
}

export interface MarkdownSection {
  heading: string;
  /** Markdown text, one paragraph each; written as given. */
  paragraphs: string[];
  table?: MarkdownTable;
  /** An image file saved beside the report, referenced as ![heading](chartFile). */
  chartFile?: string;
}

/**
 * One cell's text: a `|` would end the cell and a line break would end the row,
 * so pipes are escaped and line breaks become <br>, which GFM renders as one.
 * Backslashes right before a pipe are doubled first, or `a\|b` would turn into
 * an escaped backslash followed by a bare pipe.
 */
function cell(value: string | number): string {
  const text = typeof value === 'number' && Number.isNaN(value) ? '—' : String(value);
  return text
    .replace(/\\(?=\\*\|)/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Text on one line, for headings and alt text. */
function oneLine(text: string): string {
  return text.replace(/\s*(\r\n|\r|\n)\s*/g, ' ').trim();
}

function pad(text: string, width: number, align: MarkdownAlign | undefined): string {
  const room = Math.max(0, width - Array.from(text).length);
  return align === 'right' ? ' '.repeat(room) + text : text + ' '.repeat(room);
}

function rule(width: number, align: MarkdownAlign | undefined): string {
  if (align === 'left') return `:${'-'.repeat(width - 1)}`;
  if (align === 'right') return `${'-'.repeat(width - 1)}:`;
  return '-'.repeat(width);
}

/**
 * A GFM table. Rows shorter than the headers are padded with empty cells; a row
 * longer than the headers is a bug (GFM would silently drop the extra cells).
 * NaN prints as an em dash. Ends without a newline.
 */
export function markdownTable(
  headers: string[],
  rows: (string | number)[][],
  align?: MarkdownAlign[],
): string {
  if (headers.length === 0) throw new Error('a Markdown table needs at least one column');
  rows.forEach((row, i) => {
    if (row.length > headers.length) {
      throw new Error(`table row ${i} has ${row.length} cells for ${headers.length} columns`);
    }
  });
  const head = headers.map(cell);
  const body = rows.map((row) =>
    headers.map((_, c) => (c < row.length ? cell(row[c] as string | number) : '')),
  );
  // At least 3 so every separator has its dashes.
  const widths = head.map((h, c) =>
    Math.max(3, Array.from(h).length, ...body.map((row) => Array.from(row[c] as string).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((text, c) => pad(text, widths[c] as number, align?.[c])).join(' | ')} |`;
  return [
    line(head),
    `| ${widths.map((w, c) => rule(w, align?.[c])).join(' | ')} |`,
    ...body.map(line),
  ].join('\n');
}

/**
 * A link target that survives Markdown: spaces and parentheses in a file name
 * would end the link early, so the name is percent-encoded.
 */
function linkTarget(file: string): string {
  return encodeURI(file).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function altText(text: string): string {
  return oneLine(text).replace(/([\\[\]])/g, '\\$1');
}

/**
 * A whole report: the title as the one top-level heading, then per section its
 * heading, paragraphs, chart image and table, separated by blank lines. Ends with
 * a newline.
 */
export function markdownDocument(sections: MarkdownSection[], title: string): string {
  const blocks = [`# ${oneLine(title)}`];
  for (const section of sections) {
    blocks.push(`## ${oneLine(section.heading)}`);
    for (const paragraph of section.paragraphs) {
      if (paragraph.trim() !== '') blocks.push(paragraph.trim());
    }
    if (section.chartFile) {
      blocks.push(`![${altText(section.heading)}](${linkTarget(section.chartFile)})`);
    }
    if (section.table) {
      const { headers, rows, align } = section.table;
      blocks.push(markdownTable(headers, rows, align));
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

/**
 * Charts for the diagnosis page as standalone SVG documents (text), so the same
 * string is shown on the page, saved as an .svg file and rasterised to PNG for a
 * report. Standalone means: explicit width and height (Firefox will not draw an
 * SVG without them onto a canvas), a white background (a transparent PNG turns
 * black in some viewers), the system font stack (no font files to fetch), no
 * links, ids or external references (several charts can be inlined in one page),
 * and every piece of caller text XML-escaped.
 *
 * Text cannot be measured without a DOM, so widths are estimated from the number
 * of characters; labels that would not fit are shortened with an ellipsis and the
 * full text is kept in a <title> tooltip.
 */

export type ChartUnit = 'share' | 'count';

export const CHART_COLOURS = {
  accent: '#2563eb',
  muted: '#6b7280',
  danger: '#dc2626',
  text: '#111827',
  background: '#ffffff',
  axis: '#9ca3af',
  grid: '#e5e7eb',
  /** Heatmap cells without a value, set apart from a value of 0 (white). */
  empty: '#f3f4f6',
} as const;

/** Series colours for grouped bars, in order; the accent first, then calm contrasts. */
export const SERIES_COLOURS = ['#2563eb', '#9ca3af', '#0d9488', '#d97706', '#7c3aed'] as const;

export interface BarRow {
  label: string;
  value: number;
  /** Interval whisker, in the same unit as value; drawn only when both ends are finite. */
  low?: number;
  high?: number;
  /** Short muted remark printed after the value, e.g. "n = 42". */
  note?: string;
  /** Draws the bar in the danger colour, for rows a finding flags. */
  danger?: boolean;
}

export interface BarChartOptions {
  title: string;
  rows: BarRow[];
  /** Value at the right end of the axis; shares default to 1, counts to a round number above the data. */
  max?: number;
  unit: ChartUnit;
  width?: number;
}

export interface GroupedBarRow {
  label: string;
  /** One value per series, in the order of `series`. */
  values: number[];
}

export interface GroupedBarChartOptions {
  title: string;
  rows: GroupedBarRow[];
  series: string[];
  unit: ChartUnit;
  max?: number;
  width?: number;
}

export interface HeatmapOptions {
  title: string;
  rowLabels: string[];
  columnLabels: string[];
  /** rows x columns; NaN leaves a cell empty. */
  values: number[][];
  unit: ChartUnit;
  /** What the rows are, e.g. "given". */
  rowAxis: string;
  /** What the columns are, e.g. "predicted". */
  columnAxis: string;
  /** Outlines the cells (i, i): the agreements of a confusion matrix. */
  highlightDiagonal?: boolean;
  /** Value of the darkest colour; shares default to 1, counts to the largest value. */
  max?: number;
}

const FONT_FAMILY = 'system-ui, sans-serif';
const FONT_SIZE = 12;
const SMALL_FONT_SIZE = 11;
const TITLE_FONT_SIZE = 15;
const PAD = 16;
const TITLE_BASELINE = PAD + 14;
/** Average glyph width of the system UI fonts as a share of the font size, erring wide. */
const GLYPH_WIDTH = 0.6;
const MISSING = 'n/a';

// en-US fixed so a chart reads the same whatever the browser's locale.
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A value as printed on charts: shares as whole percentages, counts with thousands separators. */
export function formatChartValue(value: number, unit: ChartUnit): string {
  if (!Number.isFinite(value)) return MISSING;
  // + 0 turns -0 into 0, which would otherwise print as "-0".
  if (unit === 'share') return `${Math.round(value * 100) + 0}%`;
  return countFormat.format(Math.round(value * 10) / 10 + 0);
}

/**
 * Text made safe for XML content and attribute values. Characters XML 1.0 cannot
 * hold at all (control characters, lone surrogates) are dropped: one of them in a
 * class name would make the whole document unreadable.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    if (!allowed) continue;
    if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += '&gt;';
    else if (char === '"') out += '&quot;';
    else if (char === "'") out += '&apos;';
    else out += char;
  }
  return out;
}

/** A coordinate for an attribute; two decimals are far below a pixel. */
function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`chart layout produced ${value}`);
  return String(Math.round(value * 100) / 100 + 0);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function textWidth(text: string, size: number): number {
  return Array.from(text).length * size * GLYPH_WIDTH;
}

/** The text cut to about maxWidth pixels, with an ellipsis when cut. */
function fit(text: string, maxWidth: number, size: number): string {
  const chars = Array.from(text);
  const room = Math.floor(maxWidth / (size * GLYPH_WIDTH));
  if (chars.length <= room) return text;
  return `${chars.slice(0, Math.max(1, room - 1)).join('')}…`;
}

/** A <text> whose full wording stays in a tooltip when it had to be shortened. */
function label(text: string, shown: string, attributes: string): string {
  const tip = shown === text ? '' : `<title>${escapeXml(text)}</title>`;
  return `<text ${attributes}>${tip}${escapeXml(shown)}</text>`;
}

function documentStart(width: number, height: number, title: string, desc: string): string {
  const w = num(width);
  const h = num(height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"` +
    ` role="img" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}" fill="${CHART_COLOURS.text}">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>` +
    `<rect width="${w}" height="${h}" fill="${CHART_COLOURS.background}"/>` +
    label(title, fit(title, width - 2 * PAD, TITLE_FONT_SIZE), titleAttributes())
  );
}

function titleAttributes(): string {
  return `x="${PAD}" y="${TITLE_BASELINE}" font-size="${TITLE_FONT_SIZE}" font-weight="600" class="chart-title"`;
}

/** Baseline that centres a line of text of this size on y (no dominant-baseline: converters ignore it). */
function middle(y: number, size: number): number {
  return y + size * 0.35;
}

/** A step of 1, 2, 2.5 or 5 times a power of ten giving about `count` steps up to max. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw - 1e-12) ?? 10;
  return step * power;
}

/** The axis end: the given max, 1 for shares, else the data rounded up to a step. */
function axisMax(given: number | undefined, unit: ChartUnit, data: number[]): number {
  if (given !== undefined && Number.isFinite(given) && given > 0) return given;
  if (unit === 'share') return 1;
  const top = Math.max(0, ...data.filter(Number.isFinite));
  if (top === 0) return 1;
  const step = niceStep(top, 4);
  return Math.ceil(top / step - 1e-9) * step;
}

/**
 * Ticks from 0 at a step that prints as a whole number (whole percentages, whole
 * counts) and, when one allows, lands on max itself so the axis end is labelled.
 */
function ticks(max: number, unit: ChartUnit): number[] {
  const perUnit = unit === 'share' ? 100 : 1;
  const whole = (x: number) => Math.abs(x - Math.round(x)) < 1e-9;
  const candidates = [4, 5, 3, 6, 2].map((count) => niceStep(max, count));
  // Short axes (a count of 3) have no nice step above one unit.
  if (max * perUnit <= 10) candidates.push(1 / perUnit);
  const step =
    candidates.find((c) => whole(c * perUnit) && whole(max / c)) ??
    candidates.find((c) => whole(c * perUnit)) ??
    niceStep(max, 4);
  const out: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) out.push(i * step);
  return out;
}

interface Axis {
  x0: number;
  plotWidth: number;
  max: number;
}

function scaleX(axis: Axis, value: number): number {
  return axis.x0 + (clamp(value, 0, axis.max) / axis.max) * axis.plotWidth;
}

/** Vertical grid lines with their values below, and the zero line on top. */
function drawAxis(axis: Axis, unit: ChartUnit, top: number, bottom: number): string {
  let out = '';
  for (const tick of ticks(axis.max, unit)) {
    const x = num(scaleX(axis, tick));
    out +=
      `<line x1="${x}" y1="${num(top)}" x2="${x}" y2="${num(bottom)}" stroke="${CHART_COLOURS.grid}"/>` +
      `<text x="${x}" y="${num(bottom + 14)}" text-anchor="middle" font-size="${SMALL_FONT_SIZE}"` +
      ` fill="${CHART_COLOURS.muted}" class="tick">${escapeXml(formatChartValue(tick, unit))}</text>`;
  }
  const x0 = num(axis.x0);
  return `${out}<line x1="${x0}" y1="${num(top)}" x2="${x0}" y2="${num(bottom)}" stroke="${CHART_COLOURS.axis}"/>`;
}

function noData(x: number, y: number): string {
  return `<text x="${num(x)}" y="${num(middle(y, FONT_SIZE))}" fill="${CHART_COLOURS.muted}" class="empty">No data</text>`;
}

const BAR_ROW_HEIGHT = 28;
const BAR_HEIGHT = 16;
const PLOT_TOP = 48;
const AXIS_LABEL_ROOM = 24;
const MIN_PLOT_WIDTH = 80;

/**
 * Room for the row labels, the plot and the text after the bars. When `width`
 * is too narrow for a usable plot the chart grows instead of squeezing the bars.
 */
function layoutAxis(
  width: number,
  labels: string[],
  endTexts: string[],
  max: number,
): { axis: Axis; labelWidth: number; endWidth: number; width: number } {
  const labelWidth = clamp(
    Math.max(0, ...labels.map((l) => textWidth(l, FONT_SIZE))),
    40,
    width * 0.3,
  );
  const endWidth = clamp(
    Math.max(0, ...endTexts.map((t) => textWidth(t, FONT_SIZE))) + 8,
    48,
    width * 0.4,
  );
  const x0 = PAD + labelWidth + 8;
  const plotWidth = Math.max(MIN_PLOT_WIDTH, width - x0 - endWidth - PAD);
  return {
    axis: { x0, plotWidth, max },
    labelWidth,
    endWidth,
    width: Math.max(width, x0 + plotWidth + endWidth + PAD),
  };
}

function rowLabel(text: string, labelWidth: number, centreY: number): string {
  return label(
    text,
    fit(text, labelWidth, FONT_SIZE),
    `x="${num(PAD + labelWidth)}" y="${num(middle(centreY, FONT_SIZE))}" text-anchor="end" class="label"`,
  );
}

function hasInterval(row: BarRow): row is BarRow & { low: number; high: number } {
  return Number.isFinite(row.low) && Number.isFinite(row.high);
}

/** Horizontal bars, one per row, with the value (and an optional note) at the bar's end. */
export function barChartSvg(options: BarChartOptions): string {
  const { title, rows, unit } = options;
  const values = rows.flatMap((r) => [r.value, ...(hasInterval(r) ? [r.high] : [])]);
  const max = axisMax(options.max, unit, values);
  const valueTexts = rows.map((r) => formatChartValue(r.value, unit));
  const endTexts = rows.map((r, i) =>
    r.note ? `${valueTexts[i] as string}  ${r.note}` : (valueTexts[i] as string),
  );
  const layout = layoutAxis(
    options.width ?? 640,
    rows.map((r) => r.label),
    endTexts,
    max,
  );
  const { axis, labelWidth, width } = layout;
  const bottom = PLOT_TOP + Math.max(1, rows.length) * BAR_ROW_HEIGHT;
  const height = bottom + AXIS_LABEL_ROOM + PAD;
  const desc = rows
    .map((r, i) => {
      const interval = hasInterval(r)
        ? ` (${formatChartValue(r.low, unit)} to ${formatChartValue(r.high, unit)})`
        : '';
      return `${r.label}: ${valueTexts[i] as string}${interval}${r.note ? `, ${r.note}` : ''}`;
    })
    .join('; ');

  let body = drawAxis(axis, unit, PLOT_TOP, bottom);
  if (rows.length === 0) body += noData(axis.x0 + 8, PLOT_TOP + BAR_ROW_HEIGHT / 2);
  rows.forEach((row, i) => {
    const top = PLOT_TOP + i * BAR_ROW_HEIGHT;
    const centre = top + BAR_ROW_HEIGHT / 2;
    body += rowLabel(row.label, labelWidth, centre);
    let end = axis.x0;
    if (Number.isFinite(row.value)) {
      end = scaleX(axis, row.value);
      const fill = row.danger ? CHART_COLOURS.danger : CHART_COLOURS.accent;
      body += `<rect x="${num(axis.x0)}" y="${num(centre - BAR_HEIGHT / 2)}" width="${num(end - axis.x0)}" height="${BAR_HEIGHT}" fill="${fill}" class="bar"/>`;
    }
    if (hasInterval(row)) {
      const lowX = scaleX(axis, Math.min(row.low, row.high));
      const highX = scaleX(axis, Math.max(row.low, row.high));
      const tick = (x: number) =>
        `<line x1="${num(x)}" y1="${num(centre - 5)}" x2="${num(x)}" y2="${num(centre + 5)}"/>`;
      body +=
        `<g stroke="${CHART_COLOURS.text}" stroke-width="1.5" class="whisker">` +
        `<line x1="${num(lowX)}" y1="${num(centre)}" x2="${num(highX)}" y2="${num(centre)}"/>` +
        `${tick(lowX)}${tick(highX)}</g>`;
      // The value goes past the whisker so the two never overlap.
      end = Math.max(end, highX);
    }
    const room = layout.width - PAD - (end + 6);
    const value = valueTexts[i] as string;
    const note = row.note
      ? `<tspan dx="6" fill="${CHART_COLOURS.muted}" class="note">${escapeXml(
          fit(row.note, room - textWidth(value, FONT_SIZE) - 6, FONT_SIZE),
        )}</tspan>`
      : '';
    body += `<text x="${num(end + 6)}" y="${num(middle(centre, FONT_SIZE))}" class="value">${escapeXml(value)}${note}</text>`;
  });

  return `${documentStart(width, height, title, desc)}${body}</svg>`;
}

const GROUP_BAR_HEIGHT = 12;
const GROUP_BAR_GAP = 2;
const GROUP_GAP = 14;
const LEGEND_TOP = 42;
const SWATCH = 10;

/** Legend entries left to right, wrapping; returns the markup and the y below it. */
function legend(series: string[], x0: number, width: number): { markup: string; bottom: number } {
  let x = x0;
  let y = LEGEND_TOP;
  let markup = '';
  series.forEach((name, i) => {
    const shown = fit(name, width * 0.5, FONT_SIZE);
    const entryWidth = SWATCH + 6 + textWidth(shown, FONT_SIZE) + 16;
    if (x > x0 && x + entryWidth > width - PAD) {
      x = x0;
      y += 18;
    }
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
    markup +=
      `<g class="legend"><rect x="${num(x)}" y="${num(y)}" width="${SWATCH}" height="${SWATCH}" fill="${colour}"/>` +
      label(
        name,
        shown,
        `x="${num(x + SWATCH + 6)}" y="${num(middle(y + SWATCH / 2, FONT_SIZE))}"`,
      ) +
      `</g>`;
    x += entryWidth;
  });
  return { markup, bottom: y + SWATCH + 14 };
}

/** Two or more bars per row, one per series, with a legend (e.g. literature vs this dataset). */
export function groupedBarChartSvg(options: GroupedBarChartOptions): string {
  const { title, rows, series, unit } = options;
  if (series.length === 0) throw new Error('groupedBarChartSvg needs at least one series');
  for (const row of rows) {
    if (row.values.length !== series.length) {
      throw new Error(
        `row "${row.label}" has ${row.values.length} values for ${series.length} series`,
      );
    }
  }
  const max = axisMax(
    options.max,
    unit,
    rows.flatMap((r) => r.values),
  );
  const endTexts = rows.flatMap((r) => r.values.map((v) => formatChartValue(v, unit)));
  const layout = layoutAxis(
    options.width ?? 640,
    rows.map((r) => r.label),
    endTexts,
    max,
  );
  const { axis, labelWidth, width } = layout;
  const { markup: legendMarkup, bottom: plotTop } = legend(series, PAD, width);
  const groupHeight =
    series.length * GROUP_BAR_HEIGHT + (series.length - 1) * GROUP_BAR_GAP + GROUP_GAP;
  const bottom = plotTop + Math.max(1, rows.length) * groupHeight;
  const height = bottom + AXIS_LABEL_ROOM + PAD;
  const desc = rows
    .map(
      (r) =>
        `${r.label}: ${r.values.map((v, i) => `${series[i] as string} ${formatChartValue(v, unit)}`).join(', ')}`,
    )
    .join('; ');

  let body = legendMarkup + drawAxis(axis, unit, plotTop, bottom);
  if (rows.length === 0) body += noData(axis.x0 + 8, plotTop + groupHeight / 2);
  rows.forEach((row, r) => {
    const top = plotTop + r * groupHeight + GROUP_GAP / 2;
    body += rowLabel(row.label, labelWidth, top + (groupHeight - GROUP_GAP) / 2);
    row.values.forEach((value, s) => {
      const y = top + s * (GROUP_BAR_HEIGHT + GROUP_BAR_GAP);
      let end = axis.x0;
      if (Number.isFinite(value)) {
        end = scaleX(axis, value);
        const colour = SERIES_COLOURS[s % SERIES_COLOURS.length] as string;
        body += `<rect x="${num(axis.x0)}" y="${num(y)}" width="${num(end - axis.x0)}" height="${GROUP_BAR_HEIGHT}" fill="${colour}" class="bar"><title>${escapeXml(`${row.label}, ${series[s] as string}`)}</title></rect>`;
      }
      body += `<text x="${num(end + 5)}" y="${num(middle(y + GROUP_BAR_HEIGHT / 2, SMALL_FONT_SIZE))}" font-size="${SMALL_FONT_SIZE}" class="value">${escapeXml(formatChartValue(value, unit))}</text>`;
    });
  });

  return `${documentStart(width, height, title, desc)}${body}</svg>`;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex(rgb: [number, number, number]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** White at 0, the accent at 1. */
export function heatColour(t: number): string {
  const [r, g, b] = hexToRgb(CHART_COLOURS.accent);
  const k = clamp(t, 0, 1);
  return rgbToHex([255 + (r - 255) * k, 255 + (g - 255) * k, 255 + (b - 255) * k]);
}

/** WCAG relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Dark or white text, whichever reads better on the fill. */
export function textColourOn(fill: string): string {
  return contrast(fill, CHART_COLOURS.text) >= contrast(fill, CHART_COLOURS.background)
    ? CHART_COLOURS.text
    : CHART_COLOURS.background;
}

const MAX_CELL = 48;
const MIN_CELL = 18;
/** Width the grid aims at before cells shrink towards MIN_CELL. */
const GRID_TARGET_WIDTH = 720;
const MAX_ROW_LABEL = 160;
const MAX_COLUMN_LABEL = 120;
const COS_45 = Math.SQRT1_2;

/**
 * A grid of coloured cells, rows x columns. For a confusion matrix the rows are the
 * given class and the columns the predicted one, with highlightDiagonal on.
 */
export function heatmapSvg(options: HeatmapOptions): string {
  const { title, rowLabels, columnLabels, values, unit, rowAxis, columnAxis } = options;
  if (values.length !== rowLabels.length) {
    throw new Error(`heatmap has ${values.length} rows of values for ${rowLabels.length} labels`);
  }
  values.forEach((row, r) => {
    if (row.length !== columnLabels.length) {
      throw new Error(
        `heatmap row ${r} has ${row.length} values for ${columnLabels.length} columns`,
      );
    }
  });
  const rows = rowLabels.length;
  const columns = columnLabels.length;
  const flat = values.flat();
  const max =
    options.max !== undefined && Number.isFinite(options.max) && options.max > 0
      ? options.max
      : unit === 'share'
        ? 1
        : Math.max(0, ...flat.filter(Number.isFinite)) || 1;
  const cell = clamp(Math.floor(GRID_TARGET_WIDTH / Math.max(1, columns)), MIN_CELL, MAX_CELL);

  const columnShown = columnLabels.map((l) => fit(l, MAX_COLUMN_LABEL, SMALL_FONT_SIZE));
  const widestColumn = Math.max(0, ...columnShown.map((l) => textWidth(l, SMALL_FONT_SIZE)));
  const rotate = widestColumn > cell - 4;
  const columnLabelHeight = rotate ? widestColumn * COS_45 + 12 : 20;
  const columnAxisBaseline = 54;
  const gridTop = columnAxisBaseline + 8 + columnLabelHeight;

  const rowLabelWidth = clamp(
    Math.max(0, ...rowLabels.map((l) => textWidth(l, FONT_SIZE))),
    24,
    MAX_ROW_LABEL,
  );
  const rowAxisX = PAD + FONT_SIZE;
  const gridLeft = rowAxisX + 10 + rowLabelWidth + 8;
  const gridWidth = columns * cell;
  const gridHeight = Math.max(1, rows) * cell;
  const gridBottom = gridTop + gridHeight;
  // Rotated labels reach right of their column; the last one sets the width.
  const rotatedReach = rotate ? widestColumn * COS_45 - cell / 2 : 0;
  const legendTop = gridBottom + 18;
  const hasEmpty = flat.some((v) => !Number.isFinite(v));
  const legendWidth = 30 + 5 * 16 + 40 + (hasEmpty ? 60 : 0);
  const width = Math.max(
    gridLeft + gridWidth + Math.max(0, rotatedReach) + PAD,
    gridLeft + legendWidth + PAD,
    320,
  );
  const height = legendTop + 16 + PAD;

  let body = '';
  body += label(
    columnAxis,
    fit(columnAxis, Math.max(gridWidth, 120), FONT_SIZE),
    `x="${num(gridLeft + gridWidth / 2)}" y="${columnAxisBaseline}" text-anchor="middle" font-weight="600" class="axis-title"`,
  );
  const rowAxisY = gridTop + gridHeight / 2;
  body += label(
    rowAxis,
    fit(rowAxis, Math.max(gridHeight, 120), FONT_SIZE),
    `x="${num(rowAxisX)}" y="${num(rowAxisY)}" text-anchor="middle" font-weight="600" transform="rotate(-90 ${num(rowAxisX)} ${num(rowAxisY)})" class="axis-title"`,
  );

  columnLabels.forEach((text, c) => {
    const x = gridLeft + (c + 0.5) * cell;
    const y = gridTop - 6;
    const attributes = rotate
      ? `x="${num(x)}" y="${num(y)}" transform="rotate(-45 ${num(x)} ${num(y)})"`
      : `x="${num(x)}" y="${num(y)}" text-anchor="middle"`;
    body += label(
      text,
      columnShown[c] as string,
      `${attributes} font-size="${SMALL_FONT_SIZE}" class="column-label"`,
    );
  });
  rowLabels.forEach((text, r) => {
    body += label(
      text,
      fit(text, rowLabelWidth, FONT_SIZE),
      `x="${num(gridLeft - 8)}" y="${num(middle(gridTop + (r + 0.5) * cell, FONT_SIZE))}" text-anchor="end" class="row-label"`,
    );
  });

  let cells = '';
  let texts = '';
  values.forEach((row, r) => {
    row.forEach((value, c) => {
      const x = gridLeft + c * cell;
      const y = gridTop + r * cell;
      const finite = Number.isFinite(value);
      const fill = finite ? heatColour(value / max) : CHART_COLOURS.empty;
      const shown = formatChartValue(value, unit);
      const tip = `${rowAxis} ${rowLabels[r] as string}, ${columnAxis} ${columnLabels[c] as string}: ${shown}`;
      cells += `<rect x="${num(x)}" y="${num(y)}" width="${cell}" height="${cell}" fill="${fill}" stroke="${CHART_COLOURS.grid}" class="cell"><title>${escapeXml(tip)}</title></rect>`;
      // Zeros stay blank so the eye goes to where the mass is.
      if (finite && value > 0 && textWidth(shown, SMALL_FONT_SIZE) <= cell - 4) {
        texts += `<text x="${num(x + cell / 2)}" y="${num(middle(y + cell / 2, SMALL_FONT_SIZE))}" text-anchor="middle" font-size="${SMALL_FONT_SIZE}" fill="${textColourOn(fill)}" class="cell-value">${escapeXml(shown)}</text>`;
      }
    });
  });
  body += cells + texts;
  if (rows === 0 || columns === 0) body += noData(gridLeft, gridTop + cell / 2);

  if (options.highlightDiagonal) {
    for (let i = 0; i < Math.min(rows, columns); i++) {
      const x = gridLeft + i * cell + 1;
      const y = gridTop + i * cell + 1;
      body += `<rect x="${num(x)}" y="${num(y)}" width="${cell - 2}" height="${cell - 2}" fill="none" stroke="${CHART_COLOURS.text}" stroke-width="2" class="diagonal"/>`;
    }
  }

  body += colourLegend(gridLeft, legendTop, max, unit, hasEmpty);
  const desc = `${rows} rows (${rowAxis}) by ${columns} columns (${columnAxis}); darker cells hold larger values, up to ${formatChartValue(max, unit)}.`;
  return `${documentStart(width, height, title, desc)}${body}</svg>`;
}

/** Five steps from 0 to max, and a swatch for empty cells when there are any. */
function colourLegend(
  x0: number,
  y: number,
  max: number,
  unit: ChartUnit,
  hasEmpty: boolean,
): string {
  const baseline = num(middle(y + 6, SMALL_FONT_SIZE));
  const small = `font-size="${SMALL_FONT_SIZE}" fill="${CHART_COLOURS.muted}"`;
  let out = `<g class="legend"><text x="${num(x0 + 26)}" y="${baseline}" text-anchor="end" ${small}>${escapeXml(formatChartValue(0, unit))}</text>`;
  let x = x0 + 30;
  for (let i = 0; i < 5; i++) {
    out += `<rect x="${num(x)}" y="${num(y)}" width="16" height="12" fill="${heatColour(i / 4)}" stroke="${CHART_COLOURS.grid}"/>`;
    x += 16;
  }
  out += `<text x="${num(x + 4)}" y="${baseline}" ${small}>${escapeXml(formatChartValue(max, unit))}</text>`;
  if (hasEmpty) {
    x += 48;
    out += `<rect x="${num(x)}" y="${num(y)}" width="16" height="12" fill="${CHART_COLOURS.empty}" stroke="${CHART_COLOURS.grid}"/>`;
    out += `<text x="${num(x + 20)}" y="${baseline}" ${small}>${MISSING}</text>`;
  }
  return `${out}</g>`;
}

// @vitest-environment jsdom
// jsdom for its DOMParser: the charts must be well-formed XML, which only a real
// XML parser can tell.
import { describe, expect, it } from 'vitest';
import { checkSvg } from '../../demo/svg-check';
import {
  CHART_COLOURS,
  barChartSvg,
  escapeXml,
  formatChartValue,
  groupedBarChartSvg,
  heatColour,
  heatmapSvg,
  textColourOn,
  type BarRow,
  type ChartUnit,
} from './svg-charts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const NASTY = '<b>&"x"';

function parse(svg: string): Element {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed: ${error.textContent ?? ''}`);
  return doc.documentElement;
}

function byClass(root: Element, name: string): Element[] {
  return Array.from(root.querySelectorAll(`[class="${name}"]`));
}

/** The element's own text, without tooltips or tspans inside it. */
function ownText(element: Element): string {
  return Array.from(element.childNodes)
    .filter((n) => n.nodeType === n.TEXT_NODE)
    .map((n) => n.textContent ?? '')
    .join('');
}

function attr(element: Element | undefined, name: string): number {
  return Number(element?.getAttribute(name));
}

const bar = (rows: BarRow[], unit: ChartUnit = 'share', max?: number) =>
  parse(barChartSvg({ title: 'AU 12 in happy', rows, unit, max }));

const charts: [string, (title: string, label: string) => string][] = [
  [
    'bar chart',
    (title, label) =>
      barChartSvg({
        title,
        rows: [{ label, value: 0.5, low: 0.3, high: 0.7, note: label }],
        unit: 'share',
      }),
  ],
  [
    'grouped bar chart',
    (title, label) =>
      groupedBarChartSvg({
        title,
        rows: [{ label, values: [0.4, 0.6] }],
        series: [label, 'this dataset'],
        unit: 'share',
      }),
  ],
  [
    'heatmap',
    (title, label) =>
      heatmapSvg({
        title,
        rowLabels: [label, 'sad'],
        columnLabels: [label, 'sad'],
        values: [
          [0.9, 0.1],
          [Number.NaN, 1],
        ],
        unit: 'share',
        rowAxis: label,
        columnAxis: 'predicted',
        highlightDiagonal: true,
      }),
  ],
];

describe.each(charts)('%s as a standalone document', (_name, draw) => {
  const svg = draw('Expected AUs', 'happy');
  const root = parse(svg);

  it('is well-formed SVG with its size and viewBox', () => {
    expect(root.namespaceURI).toBe(SVG_NS);
    expect(root.localName).toBe('svg');
    const width = attr(root, 'width');
    const height = attr(root, 'height');
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    expect(root.getAttribute('viewBox')).toBe(`0 0 ${width} ${height}`);
    expect(checkSvg(svg).errors).toEqual([]);
  });

  it('has a title first, a white background and the system font', () => {
    const first = root.firstElementChild;
    expect(first?.localName).toBe('title');
    expect(first?.textContent).toBe('Expected AUs');
    expect(root.getAttribute('role')).toBe('img');
    expect(root.getAttribute('font-family')).toBe('system-ui, sans-serif');
    const background = root.querySelector('rect');
    expect(background?.getAttribute('fill')).toBe('#ffffff');
    expect(background?.getAttribute('width')).toBe(root.getAttribute('width'));
    expect(background?.getAttribute('height')).toBe(root.getAttribute('height'));
  });

  it('refers to nothing outside itself', () => {
    expect(svg).not.toMatch(/href|url\(|<image|@import|<style|\sid="/);
  });

  it('escapes every piece of caller text', () => {
    const nasty = draw(NASTY, NASTY);
    expect(nasty).toContain('&lt;b&gt;&amp;&quot;x&quot;');
    expect(nasty).not.toContain(NASTY);
    const parsed = parse(nasty);
    expect(parsed.getElementsByTagName('b')).toHaveLength(0);
    expect(parsed.querySelector('title')?.textContent).toBe(NASTY);
    const shown = Array.from(parsed.querySelectorAll('text, tspan')).map(ownText);
    expect(shown).toContain(NASTY);
  });
});

describe('formatChartValue', () => {
  it.each<[number, ChartUnit, string]>([
    [0.4567, 'share', '46%'],
    [0, 'share', '0%'],
    [1, 'share', '100%'],
    [0.005, 'share', '1%'],
    [-0.001, 'share', '0%'],
    [1.5, 'share', '150%'],
    [Number.NaN, 'share', 'n/a'],
    [0, 'count', '0'],
    [999, 'count', '999'],
    [12345, 'count', '12,345'],
    [1234567, 'count', '1,234,567'],
    [2.5, 'count', '2.5'],
    [-0.01, 'count', '0'],
    [Number.POSITIVE_INFINITY, 'count', 'n/a'],
  ])('%s as %s is %s', (value, unit, expected) => {
    expect(formatChartValue(value, unit)).toBe(expected);
  });
});

describe('escapeXml', () => {
  it.each<[string, string, string]>([
    ['markup', NASTY, '&lt;b&gt;&amp;&quot;x&quot;'],
    ['apostrophe', "it's", 'it&apos;s'],
    ['control characters XML cannot hold', 'a\u0000b\u001bc', 'abc'],
    ['tab and newline kept', 'a\tb\nc', 'a\tb\nc'],
    ['lone surrogate dropped', 'a\ud800b', 'ab'],
    ['astral characters kept', 'smile 😀', 'smile 😀'],
  ])('%s', (_name, text, expected) => {
    expect(escapeXml(text)).toBe(expected);
  });
});

describe('barChartSvg', () => {
  it('draws one labelled bar per row, in order', () => {
    const root = bar([
      { label: 'AU6', value: 0.8 },
      { label: 'AU12', value: 0.95 },
      { label: 'AU25', value: 0.3 },
    ]);
    expect(byClass(root, 'label').map(ownText)).toEqual(['AU6', 'AU12', 'AU25']);
    expect(byClass(root, 'bar')).toHaveLength(3);
    expect(byClass(root, 'value').map(ownText)).toEqual(['80%', '95%', '30%']);
  });

  it.each<[ChartUnit, number, string]>([
    ['share', 0.4567, '46%'],
    ['share', 0.004, '0%'],
    ['count', 12345, '12,345'],
    ['count', 7, '7'],
  ])('prints a %s of %s as %s', (unit, value, expected) => {
    const root = bar([{ label: 'x', value }], unit);
    expect(byClass(root, 'value').map(ownText)).toEqual([expected]);
  });

  it('scales bars to the axis and clamps values past it', () => {
    const root = bar(
      [
        { label: 'half', value: 0.5 },
        { label: 'full', value: 1 },
        { label: 'over', value: 1.4 },
        { label: 'negative', value: -0.2 },
      ],
      'share',
    );
    const widths = byClass(root, 'bar').map((b) => attr(b, 'width'));
    expect(widths[0]).toBeCloseTo((widths[1] as number) / 2, 1);
    expect(widths[2]).toBe(widths[1]);
    expect(widths[3]).toBe(0);
    // The over-full bar still says what it is.
    expect(byClass(root, 'value').map(ownText)[2]).toBe('140%');
  });

  it('draws interval whiskers with end ticks where low and high are given', () => {
    const root = bar([
      { label: 'with', value: 0.5, low: 0.25, high: 0.75 },
      { label: 'without', value: 0.5 },
      { label: 'half an interval', value: 0.5, low: 0.25 },
    ]);
    const whiskers = byClass(root, 'whisker');
    expect(whiskers).toHaveLength(1);
    const [span, lowTick, highTick] = Array.from(whiskers[0]?.querySelectorAll('line') ?? []);
    const barRect = byClass(root, 'bar')[0];
    const x0 = attr(barRect, 'x');
    const halfWidth = attr(barRect, 'width');
    expect(attr(span, 'x1')).toBeCloseTo(x0 + halfWidth / 2, 1);
    expect(attr(span, 'x2')).toBeCloseTo(x0 + (halfWidth * 3) / 2, 1);
    expect(attr(lowTick, 'x1')).toBe(attr(span, 'x1'));
    expect(attr(highTick, 'x1')).toBe(attr(span, 'x2'));
    expect(attr(lowTick, 'y2') - attr(lowTick, 'y1')).toBeGreaterThan(0);
    // The value is printed past the whisker, not over it.
    expect(attr(byClass(root, 'value')[0], 'x')).toBeGreaterThan(attr(span, 'x2'));
    expect(attr(byClass(root, 'value')[1], 'x')).toBeCloseTo(x0 + halfWidth + 6, 1);
  });

  it('prints a note in muted text after the value', () => {
    const root = bar([{ label: 'AU12', value: 0.42, note: 'n = 1,200' }]);
    const value = byClass(root, 'value')[0];
    expect(ownText(value as Element)).toBe('42%');
    const note = value?.querySelector('tspan');
    expect(note?.textContent).toBe('n = 1,200');
    expect(note?.getAttribute('fill')).toBe(CHART_COLOURS.muted);
  });

  it('draws flagged rows in the danger colour', () => {
    const root = bar([
      { label: 'fine', value: 0.5 },
      { label: 'flagged', value: 0.1, danger: true },
    ]);
    expect(byClass(root, 'bar').map((b) => b.getAttribute('fill'))).toEqual([
      CHART_COLOURS.accent,
      CHART_COLOURS.danger,
    ]);
  });

  it('grows in height with the rows', () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: `r${i}`, value: 0.1 }));
    const three = attr(bar(rows(3)), 'height');
    const six = attr(bar(rows(6)), 'height');
    expect(six - three).toBe(3 * 28);
  });

  it.each<[string, number, ChartUnit, number | undefined, string[]]>([
    ['a count rounded up to a tick', 37, 'count', undefined, ['0', '10', '20', '30', '40']],
    ['a large count', 12345, 'count', undefined, ['0', '5,000', '10,000', '15,000']],
    ['a count of ten, in whole steps', 10, 'count', undefined, ['0', '2', '4', '6', '8', '10']],
    ['a count of one', 1, 'count', undefined, ['0', '1']],
    ['shares up to 1 by default', 0.3, 'share', undefined, ['0%', '25%', '50%', '75%', '100%']],
    [
      'a given max, labelled at its end',
      0.3,
      'share',
      0.5,
      ['0%', '10%', '20%', '30%', '40%', '50%'],
    ],
    ['a small max in whole percentages', 0.05, 'share', 0.1, ['0%', '2%', '4%', '6%', '8%', '10%']],
  ])('labels the axis for %s', (_name, value, unit, max, expected) => {
    const root = bar([{ label: 'a', value }], unit, max);
    expect(byClass(root, 'tick').map(ownText)).toEqual(expected);
  });

  it('shortens long labels and keeps the full text as a tooltip', () => {
    const long = 'a very long class name that would push the bars off the chart';
    const root = parse(
      barChartSvg({ title: 't', rows: [{ label: long, value: 0.5 }], unit: 'share' }),
    );
    const label = byClass(root, 'label')[0];
    expect(ownText(label as Element)).toMatch(/…$/);
    expect(label?.querySelector('title')?.textContent).toBe(long);
  });

  it('says so when there is nothing to draw', () => {
    const root = bar([]);
    expect(byClass(root, 'empty').map(ownText)).toEqual(['No data']);
    expect(byClass(root, 'bar')).toHaveLength(0);
  });

  it('prints n/a without a bar for a missing value', () => {
    const root = bar([{ label: 'x', value: Number.NaN }]);
    expect(byClass(root, 'bar')).toHaveLength(0);
    expect(byClass(root, 'value').map(ownText)).toEqual(['n/a']);
  });
});

describe('groupedBarChartSvg', () => {
  const series = ['literature', 'this dataset'];
  const root = parse(
    groupedBarChartSvg({
      title: 'AU 12 in happy',
      rows: [
        { label: 'AU6', values: [0.7, 0.55] },
        { label: 'AU12', values: [0.95, 0.9] },
        { label: 'AU25', values: [0.4, Number.NaN] },
      ],
      series,
      unit: 'share',
    }),
  );

  it('draws a bar per row and series, coloured by series', () => {
    const bars = byClass(root, 'bar');
    expect(bars).toHaveLength(5);
    expect(bars.map((b) => b.getAttribute('fill'))).toEqual([
      '#2563eb',
      '#9ca3af',
      '#2563eb',
      '#9ca3af',
      '#2563eb',
    ]);
    expect(byClass(root, 'label').map(ownText)).toEqual(['AU6', 'AU12', 'AU25']);
    expect(byClass(root, 'value').map(ownText)).toEqual(['70%', '55%', '95%', '90%', '40%', 'n/a']);
  });

  it('has a legend naming each series in its colour', () => {
    const entries = byClass(root, 'legend');
    expect(entries.map((e) => e.querySelector('text')?.textContent)).toEqual(series);
    expect(entries.map((e) => e.querySelector('rect')?.getAttribute('fill'))).toEqual([
      '#2563eb',
      '#9ca3af',
    ]);
  });

  it('prints counts with thousands separators', () => {
    const counts = parse(
      groupedBarChartSvg({
        title: 't',
        rows: [{ label: 'happy', values: [1500, 23000] }],
        series,
        unit: 'count',
      }),
    );
    expect(byClass(counts, 'value').map(ownText)).toEqual(['1,500', '23,000']);
  });

  it.each<[string, string[], number[]]>([
    ['too few values', series, [0.1]],
    ['too many values', series, [0.1, 0.2, 0.3]],
    ['no series', [], []],
  ])('rejects %s', (_name, names, values) => {
    expect(() =>
      groupedBarChartSvg({
        title: 't',
        rows: [{ label: 'r', values }],
        series: names,
        unit: 'share',
      }),
    ).toThrow();
  });
});

describe('heatmapSvg', () => {
  const classes = ['happy', 'sad', 'angry'];
  const confusion = (values: number[][], highlightDiagonal = true, columnLabels = classes) =>
    parse(
      heatmapSvg({
        title: 'Given vs predicted',
        rowLabels: classes,
        columnLabels,
        values,
        unit: 'share',
        rowAxis: 'given',
        columnAxis: 'predicted',
        highlightDiagonal,
      }),
    );
  const matrix = [
    [0.9, 0.1, 0],
    [0.2, 0.7, 0.1],
    [Number.NaN, 0.05, 0.95],
  ];

  it('draws every cell, named in its tooltip', () => {
    const root = confusion(matrix);
    const cells = byClass(root, 'cell');
    expect(cells).toHaveLength(9);
    expect(cells[1]?.querySelector('title')?.textContent).toBe('given happy, predicted sad: 10%');
    expect(cells[6]?.querySelector('title')?.textContent).toBe('given angry, predicted happy: n/a');
    expect(byClass(root, 'row-label').map(ownText)).toEqual(classes);
    expect(byClass(root, 'column-label').map(ownText)).toEqual(classes);
    expect(byClass(root, 'axis-title').map(ownText)).toEqual(['predicted', 'given']);
  });

  it('prints values only in cells above zero, dark on light and light on dark', () => {
    const root = confusion(matrix);
    const printed = byClass(root, 'cell-value');
    expect(printed.map(ownText)).toEqual(['90%', '10%', '20%', '70%', '10%', '5%', '95%']);
    const colourOf = (text: string) =>
      printed.find((p) => ownText(p) === text)?.getAttribute('fill');
    expect(colourOf('95%')).toBe(CHART_COLOURS.background);
    expect(colourOf('5%')).toBe(CHART_COLOURS.text);
  });

  it('leaves NaN cells empty and lists them in the legend', () => {
    const root = confusion(matrix);
    expect(byClass(root, 'cell')[6]?.getAttribute('fill')).toBe(CHART_COLOURS.empty);
    expect(byClass(root, 'cell')[2]?.getAttribute('fill')).toBe('#ffffff');
    expect(byClass(root, 'legend')[0]?.textContent).toContain('n/a');
    const full = confusion([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(byClass(full, 'legend')[0]?.textContent).not.toContain('n/a');
  });

  it('outlines the diagonal only when asked', () => {
    const root = confusion(matrix);
    const outlines = byClass(root, 'diagonal');
    expect(outlines).toHaveLength(3);
    const cells = byClass(root, 'cell');
    [0, 4, 8].forEach((cellIndex, i) => {
      expect(attr(outlines[i], 'x')).toBe(attr(cells[cellIndex], 'x') + 1);
      expect(attr(outlines[i], 'y')).toBe(attr(cells[cellIndex], 'y') + 1);
    });
    expect(byClass(confusion(matrix, false), 'diagonal')).toHaveLength(0);
  });

  it.each<[string, string[], boolean]>([
    ['short', ['a', 'b', 'c'], false],
    ['long', ['happiness', 'sadness', 'contempt and disgust'], true],
  ])('rotates %s column labels: %s', (_name, columnLabels, rotated) => {
    const root = confusion(matrix, true, columnLabels);
    const transforms = byClass(root, 'column-label').map((l) => l.getAttribute('transform'));
    for (const transform of transforms) {
      if (rotated) expect(transform).toMatch(/^rotate\(-45 /);
      else expect(transform).toBeNull();
    }
  });

  it('prints counts with thousands separators', () => {
    const root = parse(
      heatmapSvg({
        title: 'Co-occurrence',
        rowLabels: ['AU1', 'AU2'],
        columnLabels: ['AU1', 'AU2'],
        values: [
          [12345, 800],
          [800, 0],
        ],
        unit: 'count',
        rowAxis: 'AU',
        columnAxis: 'AU',
      }),
    );
    expect(byClass(root, 'cell-value').map(ownText)).toEqual(['12,345', '800', '800']);
    expect(byClass(root, 'legend')[0]?.textContent).toContain('12,345');
  });

  it('prints no values when the cells are too small', () => {
    const n = 40;
    const labels = Array.from({ length: n }, (_, i) => `c${i}`);
    const root = parse(
      heatmapSvg({
        title: 'Many classes',
        rowLabels: labels,
        columnLabels: labels,
        values: labels.map(() => labels.map(() => 0.5)),
        unit: 'share',
        rowAxis: 'given',
        columnAxis: 'predicted',
      }),
    );
    expect(byClass(root, 'cell')).toHaveLength(n * n);
    expect(byClass(root, 'cell-value')).toHaveLength(0);
  });

  it.each<[string, number[][]]>([
    ['too few rows', [[1, 0, 0]]],
    [
      'a short row',
      [
        [1, 0, 0],
        [0, 1],
        [0, 0, 1],
      ],
    ],
  ])('rejects %s', (_name, values) => {
    expect(() => confusion(values)).toThrow();
  });
});

describe('colours', () => {
  it.each<[string, number, string]>([
    ['white at zero', 0, '#ffffff'],
    ['accent at one', 1, CHART_COLOURS.accent],
    ['clamped above one', 2, CHART_COLOURS.accent],
  ])('heat colour is %s', (_name, t, expected) => {
    expect(heatColour(t)).toBe(expected);
  });

  it.each<[string, string]>([
    ['#ffffff', CHART_COLOURS.text],
    [heatColour(0.3), CHART_COLOURS.text],
    [CHART_COLOURS.accent, CHART_COLOURS.background],
    [CHART_COLOURS.danger, CHART_COLOURS.background],
  ])('text on %s is %s', (fill, expected) => {
    expect(textColourOn(fill)).toBe(expected);
  });
});

describe('awkward shapes stay well-formed', () => {
  it.each<[string, () => string]>([
    [
      'an empty heatmap',
      () =>
        heatmapSvg({
          title: 't',
          rowLabels: [],
          columnLabels: [],
          values: [],
          unit: 'count',
          rowAxis: 'r',
          columnAxis: 'c',
        }),
    ],
    [
      'a heatmap of one cell',
      () =>
        heatmapSvg({
          title: 't',
          rowLabels: ['a'],
          columnLabels: ['b'],
          values: [[0]],
          unit: 'share',
          rowAxis: 'r',
          columnAxis: 'c',
          highlightDiagonal: true,
        }),
    ],
    [
      'an empty grouped chart',
      () => groupedBarChartSvg({ title: 't', rows: [], series: ['a', 'b'], unit: 'count' }),
    ],
    [
      'a very narrow bar chart',
      () =>
        barChartSvg({
          title: 'a title far wider than the chart itself',
          rows: [{ label: 'label', value: 3, note: 'a long note that cannot fit' }],
          unit: 'count',
          width: 100,
        }),
    ],
    [
      'all-zero counts',
      () => barChartSvg({ title: 't', rows: [{ label: 'a', value: 0 }], unit: 'count' }),
    ],
  ])('%s', (_name, draw) => {
    const svg = draw();
    expect(checkSvg(svg).errors).toEqual([]);
    expect(parse(svg).localName).toBe('svg');
  });
});

/**
 * A tiny structural check of SVG text (no DOM): one root <svg>, balanced tags,
 * quoted attributes, no NaN/undefined leaking into numbers, unique ids. Used by
 * the tests and usable at runtime as a cheap guard.
 */

export interface SvgCheck {
  ok: boolean;
  errors: string[];
  /** Element names with how often each occurs. */
  elements: Record<string, number>;
}

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g;

export function checkSvg(svg: string): SvgCheck {
  const errors: string[] = [];
  const elements: Record<string, number> = {};
  if (!svg.startsWith('<svg ')) errors.push('does not start with <svg');
  if (!svg.endsWith('</svg>')) errors.push('does not end with </svg>');
  if (/NaN|undefined|Infinity|null/.test(svg))
    errors.push('NaN, undefined, Infinity or null in output');
  const stack: string[] = [];
  let last = 0;
  let roots = 0;
  for (const m of svg.matchAll(TAG)) {
    const between = svg.slice(last, m.index);
    if (between.includes('<') || between.includes('>')) {
      errors.push(`malformed markup near offset ${last}: ${between.slice(0, 40)}`);
    }
    if (stack.length === 0 && between.trim() !== '') errors.push('text outside the root element');
    last = m.index + m[0].length;
    const [, closing, name = '', , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) errors.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    elements[name] = (elements[name] ?? 0) + 1;
    if (!selfClosing) stack.push(name);
  }
  const tail = svg.slice(last);
  if (tail.trim() !== '') errors.push(`trailing or malformed text: ${tail.slice(0, 40)}`);
  if (stack.length > 0) errors.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) errors.push(`expected one root element, found ${roots}`);
  const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
  if (new Set(ids).size !== ids.length) errors.push('duplicate id');
  for (const ref of svg.matchAll(/url\(#([^)]*)\)/g)) {
    if (!ids.includes(ref[1])) errors.push(`reference to a missing id: ${ref[1] ?? ''}`);
  }
  return { ok: errors.length === 0, errors, elements };
}

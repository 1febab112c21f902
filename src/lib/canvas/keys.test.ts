import { describe, expect, it } from 'vitest';
import {
  focusCommandFor,
  pageCommandFor,
  ZOOM_IN_FACTOR,
  ZOOM_OUT_FACTOR,
  type CanvasCommand,
  type KeyContext,
  type KeyPress,
} from './keys';

function press(spec: string): KeyPress {
  const parts = spec.split('+');
  const key = spec.endsWith('++') || spec === '+' ? '+' : (parts.at(-1) ?? '');
  return {
    key,
    shiftKey: parts.includes('Shift') && key !== 'Shift',
    ctrlKey: parts.includes('Ctrl'),
    metaKey: parts.includes('Meta'),
    altKey: parts.includes('Alt'),
  };
}

const idle: KeyContext = { selected: false, boxes: 0, canDraw: false };
const drawing: KeyContext = { selected: false, boxes: 2, canDraw: true };
const editing: KeyContext = { selected: true, boxes: 2, canDraw: true };

describe('focus keys (the image region has focus)', () => {
  it.each<[string, KeyContext, CanvasCommand | null]>([
    ['ArrowRight', idle, { kind: 'arrow', dx: 1, dy: 0, large: false }],
    ['ArrowUp', editing, { kind: 'arrow', dx: 0, dy: -1, large: false }],
    ['Shift+ArrowLeft', editing, { kind: 'arrow', dx: -1, dy: 0, large: true }],
    ['Shift+ArrowDown', idle, { kind: 'arrow', dx: 0, dy: 1, large: true }],
    ['Enter', drawing, { kind: 'add-box' }],
    ['Enter', idle, null],
    [']', drawing, { kind: 'select', step: 1 }],
    ['[', drawing, { kind: 'select', step: -1 }],
    [']', idle, null],
    ['Delete', editing, { kind: 'delete' }],
    ['Backspace', editing, { kind: 'delete' }],
    ['Delete', drawing, null],
    ['Escape', editing, { kind: 'deselect' }],
    ['Escape', drawing, null],
    ['r', editing, { kind: 'toggle-resize' }],
    ['Shift+R', editing, { kind: 'toggle-resize' }],
    ['r', drawing, null],
    ['Ctrl+ArrowRight', editing, null],
    ['Alt+ArrowLeft', editing, null],
    ['Meta+Enter', drawing, null],
    ['a', editing, null],
    ['j', editing, null],
    ['+', editing, null],
    ['0', editing, null],
  ])('%s (%j) → %j', (spec, context, want) => {
    expect(focusCommandFor(press(spec), context)).toEqual(want);
  });
});

describe('page keys (focus anywhere else)', () => {
  it.each<[string, KeyContext, CanvasCommand | null]>([
    ['+', idle, { kind: 'zoom', factor: ZOOM_IN_FACTOR }],
    ['Shift++', idle, { kind: 'zoom', factor: ZOOM_IN_FACTOR }],
    ['=', idle, { kind: 'zoom', factor: ZOOM_IN_FACTOR }],
    ['-', idle, { kind: 'zoom', factor: ZOOM_OUT_FACTOR }],
    ['0', idle, { kind: 'fit' }],
    ['Delete', editing, { kind: 'delete' }],
    ['Backspace', editing, { kind: 'delete' }],
    ['Delete', drawing, null],
    ['Ctrl+0', idle, null],
    ['Ctrl+-', idle, null],
    ['ArrowRight', editing, null],
    ['Enter', drawing, null],
    [']', drawing, null],
    ['Escape', editing, null],
  ])('%s (%j) → %j', (spec, context, want) => {
    expect(pageCommandFor(press(spec), context)).toEqual(want);
  });
});

// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoxRect, EvidenceBox } from '../review/evidence';
import { FaceCanvasController, type FaceCanvasEvents } from './controller';
import { fakeImage, installFakeCanvasContext } from './test-support';

/**
 * The controller on a real fabric canvas under jsdom (nothing is painted): what it
 * reports to the component for images, keys and mouse drags. The view is 400 x 300
 * and the image 200 x 100, so the fitted zoom is 2 and the image spans view pixels
 * (0, 50) to (400, 250).
 */

const VIEW = { width: 400, height: 300 };

interface Harness {
  controller: FaceCanvasController;
  element: HTMLCanvasElement;
  zoom: number[];
  edits: EvidenceBox[][];
  shown: { boxes: readonly EvidenceBox[]; selected: string | null }[];
  said: string[];
  failures: (string | null)[];
  landmarks: number[];
}

let restore: () => void;
let harness: Harness;

function makeHarness(loadImage?: (url: string) => Promise<HTMLImageElement>): Harness {
  const element = document.createElement('canvas');
  document.body.append(element);
  const h: Omit<Harness, 'controller'> = {
    element,
    zoom: [],
    edits: [],
    shown: [],
    said: [],
    failures: [],
    landmarks: [],
  };
  const events: FaceCanvasEvents = {
    zoomChanged: (percent) => h.zoom.push(percent),
    boxesEdited: (boxes) => h.edits.push(boxes),
    boxesShown: (boxes, selected) => h.shown.push({ boxes, selected }),
    announce: (message) => h.said.push(message),
    loadFailed: (message) => h.failures.push(message),
    landmarksShown: (count) => h.landmarks.push(count),
  };
  let next = 0;
  const controller = new FaceCanvasController(element, {
    size: VIEW,
    events,
    loadImage: loadImage ?? (async () => fakeImage(200, 100)),
    newId: () => `new-${++next}`,
    now: () => 1000,
  });
  return { ...h, controller };
}

function box(id: string, au: number, x: number, y: number, w: number, h: number): EvidenceBox {
  return {
    version: 1,
    id,
    datasetId: 'd1',
    sample: 4,
    au,
    x,
    y,
    w,
    h,
    createdAt: 1,
    reviewer: 'ana',
  };
}

function key(name: string, options: KeyboardEventInit = {}): KeyboardEvent {
  return new KeyboardEvent('keydown', { key: name, cancelable: true, ...options });
}

/** Presses keys on the focused image region; returns whether each was the viewer's. */
function press(...names: string[]): boolean[] {
  return names.map((name) =>
    name.startsWith('Shift+')
      ? harness.controller.handleKey(key(name.slice(6), { shiftKey: true }), true)
      : harness.controller.handleKey(key(name), true),
  );
}

function lastEdit(): EvidenceBox[] {
  const edit = harness.edits.at(-1);
  if (!edit) throw new Error('no edit reported');
  return edit;
}

function expectNear(got: BoxRect | undefined, want: Partial<BoxRect>): void {
  if (!got) throw new Error('no box');
  for (const side of ['x', 'y', 'w', 'h'] as const) {
    const value = want[side];
    if (value !== undefined) expect(got[side]).toBeCloseTo(value, 9);
  }
}

/** A mouse press, drag and release on the canvas, in view pixels. */
function drag(from: [number, number], to: [number, number]): void {
  const upper = harness.element.parentElement?.querySelector('.upper-canvas');
  if (!upper) throw new Error('fabric made no upper canvas');
  const at = ([x, y]: [number, number]) => ({ clientX: x, clientY: y, bubbles: true, button: 0 });
  upper.dispatchEvent(new MouseEvent('mousedown', at(from)));
  for (const t of [0.25, 0.5, 0.75, 1]) {
    const point: [number, number] = [
      from[0] + (to[0] - from[0]) * t,
      from[1] + (to[1] - from[1]) * t,
    ];
    document.dispatchEvent(new MouseEvent('mousemove', at(point)));
  }
  document.dispatchEvent(new MouseEvent('mouseup', at(to)));
}

beforeEach(() => {
  restore = installFakeCanvasContext();
  harness = makeHarness();
});

afterEach(() => {
  harness.controller.destroy();
  document.body.replaceChildren();
  restore();
});

describe('the image and the view', () => {
  it('fits a new image, centred', async () => {
    await harness.controller.showImage('blob:a');
    expect(harness.controller.transform).toEqual([2, 0, 0, 2, 0, 50]);
    expect(harness.zoom.at(-1)).toBe(200);
    expect(harness.failures).toEqual([null]);
  });

  it('keeps zoom and pan for an image of the same size when asked, else fits', async () => {
    const { controller } = harness;
    await controller.showImage('blob:a');
    controller.zoom(2, { x: 100, y: 100 });
    const zoomed = controller.transform;
    controller.configure({ keepView: true });
    await controller.showImage('blob:b');
    expect(controller.transform).toEqual(zoomed);
    controller.configure({ keepView: false });
    await controller.showImage('blob:c');
    expect(controller.transform).toEqual([2, 0, 0, 2, 0, 50]);
  });

  it('shows the newest image when an older one finishes loading last', async () => {
    restore();
    restore = installFakeCanvasContext();
    harness.controller.destroy();
    const pending = new Map<string, (image: HTMLImageElement) => void>();
    harness = makeHarness((url) => new Promise((resolve) => pending.set(url, resolve)));
    const first = harness.controller.showImage('blob:old');
    const second = harness.controller.showImage('blob:new');
    pending.get('blob:new')?.(fakeImage(100, 100));
    await second;
    pending.get('blob:old')?.(fakeImage(200, 100));
    await first;
    // The square image fits at 3 (300 / 100); the wide one would have fitted at 2.
    expect(harness.controller.transform).toEqual([3, 0, 0, 3, 50, 0]);
  });

  it('reports an image that cannot be decoded, and shows no boxes on it', async () => {
    harness.controller.destroy();
    harness = makeHarness(async () => {
      throw new Error('bad image');
    });
    harness.controller.setBoxes([box('b1', 12, 0.1, 0.1, 0.2, 0.2)]);
    await harness.controller.showImage('blob:broken');
    expect(harness.failures.at(-1)).toBe('This image could not be decoded.');
    expect(harness.controller.keyContext.canDraw).toBe(false);
    harness.controller.configure({ drawAu: 12 });
    expect(press('Enter')).toEqual([false]);
  });

  it('zooms by key within 0.25 and 20 times the fitted zoom, and fits with 0', async () => {
    const { controller } = harness;
    await controller.showImage('blob:a');
    for (let i = 0; i < 40; i++) controller.handleKey(key('+'), false);
    expect(harness.zoom.at(-1)).toBe(4000);
    for (let i = 0; i < 40; i++) controller.handleKey(key('-'), false);
    expect(harness.zoom.at(-1)).toBe(50);
    controller.handleKey(key('0'), false);
    expect(controller.transform).toEqual([2, 0, 0, 2, 0, 50]);
  });

  it('keeps the view centre and zoom on a resize with keepView, else fits', async () => {
    const { controller } = harness;
    controller.configure({ keepView: true });
    await controller.showImage('blob:a');
    controller.resize({ width: 600, height: 300 });
    expect(controller.transform).toEqual([2, 0, 0, 2, 100, 50]);
    controller.configure({ keepView: false });
    controller.resize({ width: 200, height: 300 });
    expect(controller.transform).toEqual([1, 0, 0, 1, 0, 100]);
  });

  it('zooms with the wheel about the pointer', async () => {
    const { controller, element } = harness;
    await controller.showImage('blob:a');
    const upper = element.parentElement?.querySelector('.upper-canvas');
    upper?.dispatchEvent(
      new WheelEvent('wheel', { deltaY: -400, clientX: 100, clientY: 150, cancelable: true }),
    );
    const [zoom, , , , panX, panY] = controller.transform;
    expect(zoom).toBeCloseTo(2 * Math.pow(0.999, -400), 9);
    // The image point under the pointer stays there.
    expect((100 - panX) / zoom).toBeCloseTo(50, 9);
    expect((150 - panY) / zoom).toBeCloseTo(50, 9);
  });
});

describe('boxes by key', () => {
  beforeEach(async () => {
    harness.controller.configure({
      boxContext: { datasetId: 'd1', sample: 4, reviewer: 'ana' },
      imageUrl: null,
    });
    await harness.controller.showImage('blob:a');
  });

  it('leaves Enter to the page until an AU to draw is chosen', () => {
    expect(press('Enter')).toEqual([false]);
    expect(harness.edits).toEqual([]);
  });

  it('adds a box at the centre of the view with Enter, selected and announced', () => {
    harness.controller.configure({ drawAu: 12 });
    expect(press('Enter')).toEqual([true]);
    const [added] = lastEdit();
    expect(added).toMatchObject({ id: 'new-1', au: 12, datasetId: 'd1', sample: 4 });
    expectNear(added, { x: 0.375, y: 0.375, w: 0.25, h: 0.25 });
    expect(harness.controller.selectedId).toBe('new-1');
    expect(harness.said.at(-1)).toBe(
      'Added AU12 box at x 0.38, y 0.38, 0.25 x 0.25. Arrow keys move it.',
    );
  });

  it('adds the box where the zoomed view is, not at the image centre', () => {
    const { controller } = harness;
    controller.configure({ drawAu: 6 });
    // Image point (0.25, 0.5) is view (100, 150): pan it to the view's centre, zoom 4x
    // there. The view then shows 50 x 37.5 image pixels: 0.25 x 0.375 of the image.
    controller.pan(100, 0);
    controller.zoom(4);
    press('Enter');
    expectNear(lastEdit()[0], { x: 0.21875, y: 0.453125, w: 0.0625, h: 0.09375 });
  });

  it('moves the selected box by a step, and by ten with Shift, stopping at the edge', () => {
    const { controller } = harness;
    controller.setBoxes([box('b1', 12, 0.5, 0.5, 0.2, 0.2)]);
    controller.select('b1');
    expect(press('ArrowRight', 'ArrowUp')).toEqual([true, true]);
    expectNear(lastEdit()[0], { x: 0.51, y: 0.49, w: 0.2, h: 0.2 });
    expect(harness.said.at(-1)).toBe('Moved: AU12 box at x 0.51, y 0.49, 0.20 x 0.20.');
    press('Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight');
    expectNear(lastEdit()[0], { x: 0.8, y: 0.49 });
    const edits = harness.edits.length;
    press('ArrowRight');
    expect(harness.edits).toHaveLength(edits);
    expect(harness.said.at(-1)).toBe('The AU12 box cannot go further.');
  });

  it('resizes the selected box after R, from its top-left corner', () => {
    const { controller } = harness;
    controller.setBoxes([box('b1', 12, 0.2, 0.2, 0.2, 0.2)]);
    controller.select('b1');
    press('r', 'ArrowRight', 'Shift+ArrowDown', 'ArrowUp');
    expectNear(lastEdit()[0], { x: 0.2, y: 0.2, w: 0.21, h: 0.29 });
    expect(harness.said).toContain('Arrow keys resize the box.');
    press('r', 'ArrowLeft');
    expectNear(lastEdit()[0], { x: 0.19, y: 0.2, w: 0.21, h: 0.29 });
  });

  it('cycles the selection with ] and [, and announces which box of how many', () => {
    const { controller } = harness;
    controller.setBoxes([box('b1', 12, 0.1, 0.1, 0.2, 0.2), box('b2', 6, 0.5, 0.5, 0.2, 0.2)]);
    press(']');
    expect(controller.selectedId).toBe('b1');
    expect(harness.said.at(-1)).toBe('Selected AU12 box at x 0.10, y 0.10, 0.20 x 0.20, 1 of 2.');
    press(']');
    expect(controller.selectedId).toBe('b2');
    press(']');
    expect(controller.selectedId).toBe('b1');
    press('[');
    expect(controller.selectedId).toBe('b2');
    expect(harness.shown.at(-1)?.selected).toBe('b2');
  });

  it('deletes the selected box with Delete; Escape lets go and the arrows pan', () => {
    const { controller } = harness;
    controller.setBoxes([box('b1', 12, 0.1, 0.1, 0.2, 0.2), box('b2', 6, 0.5, 0.5, 0.2, 0.2)]);
    press(']', 'Delete');
    expect(lastEdit().map((b) => b.id)).toEqual(['b2']);
    expect(harness.said.at(-1)).toBe('Deleted the AU12 box; 1 box left.');
    expect(controller.selectedId).toBe(null);

    press(']');
    expect(press('Escape')).toEqual([true]);
    expect(controller.selectedId).toBe(null);
    const edits = harness.edits.length;
    const before = controller.transform;
    press('ArrowRight');
    expect(controller.transform).toEqual([...before.slice(0, 4), before[4] - 40, before[5]]);
    expect(harness.edits).toHaveLength(edits);
    // With nothing selected, Escape and Delete are left to the page.
    expect(press('Escape', 'Delete')).toEqual([false, false]);
  });

  it('reports no edit for boxes the parent sets', () => {
    harness.controller.setBoxes([box('b1', 12, 0.1, 0.1, 0.2, 0.2)]);
    expect(harness.edits).toEqual([]);
    expect(harness.shown.at(-1)?.boxes.map((b) => b.id)).toEqual(['b1']);
  });

  it('leaves keys typed into a field, and modified keys, to the page', () => {
    const { controller } = harness;
    controller.configure({ drawAu: 12 });
    const input = document.createElement('input');
    document.body.append(input);
    const typed = key('Enter', { bubbles: true });
    let handled: boolean | undefined;
    input.addEventListener('keydown', (event) => (handled = controller.handleKey(event, true)));
    input.dispatchEvent(typed);
    expect(handled).toBe(false);
    expect(controller.handleKey(key('Enter', { ctrlKey: true }), true)).toBe(false);
    expect(harness.edits).toEqual([]);
  });

  it('only zooms, fits and deletes from the page, outside the focused region', () => {
    const { controller } = harness;
    controller.configure({ drawAu: 12 });
    controller.setBoxes([box('b1', 12, 0.1, 0.1, 0.2, 0.2)]);
    expect(controller.handleKey(key('Enter'), false)).toBe(false);
    expect(controller.handleKey(key('ArrowRight'), false)).toBe(false);
    expect(controller.handleKey(key('Delete'), false)).toBe(false);
    controller.select('b1');
    expect(controller.handleKey(key('Delete'), false)).toBe(true);
    expect(lastEdit()).toEqual([]);
  });
});

describe('boxes by mouse', () => {
  beforeEach(async () => {
    harness.controller.configure({ boxContext: { datasetId: 'd1', sample: 4, reviewer: 'ana' } });
    await harness.controller.showImage('blob:a');
  });

  it('draws a box for the chosen AU, in image coordinates', () => {
    harness.controller.configure({ drawAu: 4 });
    // View (40, 70) is image (0.1, 0.1); view (200, 150) is image (0.5, 0.5).
    drag([40, 70], [200, 150]);
    const [drawn] = lastEdit();
    expect(drawn).toMatchObject({ au: 4, id: 'new-1' });
    expectNear(drawn, { x: 0.1, y: 0.1, w: 0.4, h: 0.4 });
    expect(harness.controller.selectedId).toBe('new-1');
    expect(harness.said.at(-1)).toBe('Added AU4 box at x 0.10, y 0.10, 0.40 x 0.40.');
  });

  it('takes a click for a click, not a box, and pans when no AU is chosen', () => {
    const { controller } = harness;
    controller.configure({ drawAu: 4 });
    drag([100, 100], [102, 140]);
    expect(harness.edits).toEqual([]);
    controller.configure({ drawAu: null });
    drag([100, 100], [160, 140]);
    expect(harness.edits).toEqual([]);
    expect(controller.transform).toEqual([2, 0, 0, 2, 60, 90]);
  });

  it('moves a dragged box, kept whole inside the image', () => {
    const { controller } = harness;
    controller.setBoxes([box('b1', 12, 0.4, 0.4, 0.2, 0.2)]);
    // The box's centre is view (200, 150); drag it far past the right edge.
    drag([200, 150], [600, 160]);
    const [moved] = lastEdit();
    expectNear(moved, { x: 0.8, y: 0.45, w: 0.2, h: 0.2 });
    expect(harness.said.at(-1)).toBe('Moved: AU12 box at x 0.80, y 0.45, 0.20 x 0.20.');
  });
});

describe('landmarks', () => {
  // Three points: the image's top-left corner, its centre, and one off its right edge.
  const mesh = Float32Array.from([0, 0, 0.5, 0.5, 1.25, 0.25]);

  it('draws a dot per point at its image pixel, once there is an image', async () => {
    const { controller } = harness;
    controller.configure({ landmarks: mesh });
    expect(controller.landmarksDrawn).toEqual([]);
    await controller.showImage('blob:a');
    expect(controller.landmarksDrawn.map(({ x, y }) => [x, y])).toEqual([
      [0, 0],
      [100, 50],
      [250, 25],
    ]);
    expect(harness.landmarks.at(-1)).toBe(3);
  });

  it('keeps the dots 1.5 screen pixels in radius at any zoom, and at their image points', async () => {
    const { controller } = harness;
    await controller.showImage('blob:a');
    controller.configure({ landmarks: mesh });
    for (const factor of [1, 4, 0.5]) {
      controller.zoom(factor, { x: 120, y: 80 });
      controller.pan(15, -7);
      for (const dot of controller.landmarksDrawn) expect(dot.screenRadius).toBeCloseTo(1.5, 9);
      expect(controller.landmarksDrawn[1]).toMatchObject({ x: 100, y: 50 });
    }
  });

  it('redraws for a new mesh or image, and draws none for null', async () => {
    const { controller } = harness;
    await controller.showImage('blob:a');
    controller.configure({ landmarks: mesh });
    controller.configure({ landmarks: Float32Array.from([0.25, 0.5]) });
    expect(controller.landmarksDrawn.map(({ x, y }) => [x, y])).toEqual([[50, 50]]);
    await controller.showImage(null);
    expect(controller.landmarksDrawn).toEqual([]);
    await controller.showImage('blob:b');
    expect(controller.landmarksDrawn).toHaveLength(1);
    controller.configure({ landmarks: null });
    expect(controller.landmarksDrawn).toEqual([]);
    expect(harness.landmarks.slice(-4)).toEqual([1, 0, 1, 0]);
  });

  it('leaves boxes above the dots, to be picked and dragged', async () => {
    const { controller } = harness;
    await controller.showImage('blob:a');
    controller.configure({ boxes: [box('b1', 12, 0.4, 0.4, 0.2, 0.2)], landmarks: mesh });
    // A click on the box over the centre dot selects the box.
    drag([200, 150], [200, 150]);
    expect(controller.selectedId).toBe('b1');
  });
});

/**
 * Test support only: lets fabric run under jsdom, which has no canvas drawing. Every
 * 2D context call does nothing and text measures 10 px a letter, so geometry, events
 * and selection can be tested while nothing is painted.
 */

function fakeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const fields: Record<string | symbol, unknown> = { canvas };
  const calls: Record<string, unknown> = {
    measureText: (text: string) => ({
      width: 10 * text.length,
      actualBoundingBoxAscent: 8,
      actualBoundingBoxDescent: 2,
      fontBoundingBoxAscent: 8,
      fontBoundingBoxDescent: 2,
    }),
    getImageData: () => ({ data: new Uint8ClampedArray(4), width: 1, height: 1 }),
    createLinearGradient: () => ({ addColorStop: () => undefined }),
    createRadialGradient: () => ({ addColorStop: () => undefined }),
    createPattern: () => ({}),
  };
  return new Proxy(fields, {
    get: (target, key) =>
      key in target ? target[key] : typeof key === 'string' && key in calls ? calls[key] : () => {},
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

/** Gives every canvas element a do-nothing 2D context; returns the undo. */
export function installFakeCanvasContext(): () => void {
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    return fakeContext(this);
  } as unknown as typeof original;
  return () => {
    HTMLCanvasElement.prototype.getContext = original;
  };
}

/** An image element of the given natural size, as a loader would resolve it. */
export function fakeImage(width: number, height: number): HTMLImageElement {
  const image = document.createElement('img');
  Object.defineProperty(image, 'naturalWidth', { value: width });
  Object.defineProperty(image, 'naturalHeight', { value: height });
  Object.defineProperty(image, 'complete', { value: true });
  image.width = width;
  image.height = height;
  return image;
}

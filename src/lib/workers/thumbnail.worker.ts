/// <reference lib="webworker" />

/**
 * Shrinks face images to grid thumbnails off the main thread: decoding and scaling a
 * full-size photo for every visible cell would otherwise stall scrolling.
 */
self.onmessage = async (event: MessageEvent<{ id: number; blob: Blob; size: number }>) => {
  const { id, blob, size } = event.data;
  try {
    const bitmap = await createImageBitmap(blob);
    const scale = Math.min(1, size / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const thumbnail = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
    (self as unknown as Worker).postMessage({ id, thumbnail });
  } catch {
    // Formats the worker cannot decode (SVG, TIFF) are shown from the original.
    (self as unknown as Worker).postMessage({ id, thumbnail: null });
  }
};

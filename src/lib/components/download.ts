/** Saves bytes or text as a file through the browser's download, nothing leaves the machine. */
export function download(name: string, content: string | Uint8Array, type: string): void {
  const part = typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Rasterises a standalone SVG document (explicit width and height, as the
 * diagnosis charts are) to a PNG, `scale` pixels per SVG unit so the image stays
 * sharp when pasted into a report. Goes through an <img> and a canvas because
 * that is the only renderer a browser offers for SVG text.
 */
export function svgToPngBlob(svg: string, scale = 2): Promise<Blob> {
  if (!Number.isFinite(scale) || scale <= 0) {
    return Promise.reject(new RangeError(`scale must be positive: ${scale}`));
  }
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  return new Promise<Blob>((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
      const context = canvas.getContext('2d');
      if (!context) {
        reject(new Error('Could not draw the chart: this browser gave no 2D canvas.'));
        return;
      }
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => {
        if (blob) resolve(blob);
        else reject(new Error('Could not turn the chart into a PNG (the canvas gave no image).'));
      }, 'image/png');
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('Could not load the chart as an image: the SVG is not valid.'));
    };
    image.src = url;
  });
}

/**
 * A Blob as a stream of 4 MiB slices. Blob.stream() hands out 64 KiB chunks, each a
 * round trip to the browser's file reader: for a 50 MB file that waiting cost more
 * than the parse. The next two slices are read while the current one is parsed (with
 * one, a fast parse still waited for the file about a tenth of its time).
 */
export function sliceStream(blob: Blob, sliceBytes = 4 * 1024 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (at >= blob.size) {
          controller.close();
          return;
        }
        const end = Math.min(at + sliceBytes, blob.size);
        const bytes = new Uint8Array(await blob.slice(at, end).arrayBuffer());
        at = end;
        controller.enqueue(bytes);
      },
    },
    { highWaterMark: 2 },
  );
}

/** A Blob read a range at a time (a zip's directory, then its entries), never whole. */
export function blobSource(blob: Blob): {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
} {
  return {
    size: blob.size,
    read: async (offset, length) =>
      new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

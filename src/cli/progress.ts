/** A progress line on a terminal, rewritten in place; nothing when the output is piped. */
export interface Progress {
  update(line: string): void;
  done(): void;
}

export function progressOn(stream: NodeJS.WriteStream, quiet = false): Progress {
  const shown = stream.isTTY === true && !quiet;
  let last = 0;
  let written = false;
  return {
    update(line) {
      if (!shown) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      stream.write(`\r\x1b[2K${line}`);
      written = true;
    },
    done() {
      if (shown && written) stream.write('\r\x1b[2K');
      written = false;
    },
  };
}

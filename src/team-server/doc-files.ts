import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/**
 * The server's own persistence: per document, a snapshot (the whole state as one Yjs
 * update) and a log of the updates applied since, each appended as it is applied,
 * before the next message is read. A killed server loses nothing it applied: on
 * load, the snapshot and the log are applied in order (a frame cut short by the
 * kill is the one update not yet written, and is skipped). Writes are synchronous,
 * so a snapshot and the log's reset can never interleave with an append.
 */
export class DocFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Document names are the clients' text: the files are named by its hash. */
  private base(name: string): string {
    return path.join(this.dir, createHash('sha256').update(name).digest('hex'));
  }

  /** The updates to apply to rebuild a document: its snapshot, then its log. */
  load(name: string): Uint8Array[] {
    const base = this.base(name);
    const updates: Uint8Array[] = [];
    if (existsSync(`${base}.snapshot`)) updates.push(readFileSync(`${base}.snapshot`));
    if (existsSync(`${base}.log`)) {
      const log = readFileSync(`${base}.log`);
      let at = 0;
      while (at + 4 <= log.length) {
        const length = log.readUInt32LE(at);
        if (at + 4 + length > log.length) break;
        updates.push(log.subarray(at + 4, at + 4 + length));
        at += 4 + length;
      }
    }
    return updates;
  }

  append(name: string, update: Uint8Array): void {
    const frame = Buffer.alloc(4 + update.length);
    frame.writeUInt32LE(update.length, 0);
    frame.set(update, 4);
    appendFileSync(`${this.base(name)}.log`, frame);
  }

  /** Replaces the snapshot with the whole state (written aside, then renamed) and empties the log. */
  snapshot(name: string, state: Uint8Array): void {
    const base = this.base(name);
    writeFileSync(`${base}.snapshot.tmp`, state);
    renameSync(`${base}.snapshot.tmp`, `${base}.snapshot`);
    writeFileSync(`${base}.log`, new Uint8Array(0));
  }
}

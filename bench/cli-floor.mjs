// The floor of the command line's `report` (issue 19): the least work any command that
// reports on RAF-CE label files must do. Start Node, read every byte of the three files,
// find each line's name and value (the boundaries into typed arrays, no strings), check
// that the three files name the same images in the same order, and count the classes.
// Run as a child process and timed from outside, as the command is.
import { readFileSync } from 'node:fs';

const [emotions, aus, partition] = process.argv.slice(2).map((path) => readFileSync(path));
if (!emotions || !aus || !partition) throw new Error('usage: cli-floor <emo> <AU> <partition>');

/** Line starts and the end of each line's first field. */
function boundaries(bytes) {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  const start = new Int32Array(lines + 1);
  const nameEnd = new Int32Array(lines + 1);
  let line = 0;
  let at = 0;
  while (at < bytes.length) {
    start[line] = at;
    let i = at;
    while (i < bytes.length && bytes[i] !== 32 && bytes[i] !== 10) i++;
    nameEnd[line] = i;
    while (i < bytes.length && bytes[i] !== 10) i++;
    line++;
    at = i + 1;
  }
  return { count: line, start, nameEnd };
}

const files = [emotions, aus, partition].map((bytes) => ({ bytes, ...boundaries(bytes) }));
const [first, ...others] = files;
for (const other of others) {
  if (other.count !== first.count) throw new Error('the files hold different numbers of lines');
  for (let line = 0; line < first.count; line++) {
    const a = first.start[line];
    const length = first.nameEnd[line] - a;
    const b = other.start[line];
    if (other.nameEnd[line] - b !== length) throw new Error(`line ${line + 1}: names differ`);
    for (let j = 0; j < length; j++)
      if (first.bytes[a + j] !== other.bytes[b + j])
        throw new Error(`line ${line + 1}: names differ`);
  }
}
const classes = new Float64Array(16);
for (let line = 0; line < first.count; line++) {
  const value = first.bytes[first.nameEnd[line] + 1] - 48;
  const next = first.bytes[first.nameEnd[line] + 2];
  const c = next >= 48 && next <= 57 ? value * 10 + next - 48 : value;
  classes[c & 15]++;
}
process.stdout.write(`${JSON.stringify({ samples: first.count, classes: Array.from(classes) })}\n`);

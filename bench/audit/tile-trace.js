/**
 * Makes a large trace out of a real one: `tileTrace(input, output, copies)` writes the recorded events of `input`
 * `copies` times, one copy after the other on the clock, with frame, root and resource ids renumbered per copy.
 * Every copy is the real tracer's record of real traffic; only the repetition is made. Used by the audit section
 * to reach 100k requests without recording them all (recording costs minutes per 10k requests on 2 cores).
 * `node bench/audit/tile-trace.js <in> <out> <copies>` runs it from the command line.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

async function* lines(file) {
  yield* createInterface({ input: createReadStream(file), crlfDelay: Infinity });
}

/** Highest frame, root and resource id and the last time (µs) of the input: the step between copies. */
async function extent(file) {
  let maxId = 0;
  let lastUs = 0;
  for await (const line of lines(file)) {
    if (!line.startsWith('[')) continue;
    const row = JSON.parse(line);
    if (row[0] === '@' || row[0] === 'S') continue;
    if (typeof row[1] === 'number') maxId = Math.max(maxId, row[1]);
    for (const value of times(row)) lastUs = Math.max(lastUs, value);
  }
  return { step: maxId + 1, spanUs: lastUs + 1000 };
}

/** The time fields of a row, by event code (docs/trace-format.md). */
const TIME_FIELDS = { F: [5], f: [5, 7], X: [2], W: [3, 4], P: [3], H: [3, 4], Q: [5], q: [2], O: [3], o: [2] };
/** Id fields that name a frame, root or resource (0 means none and stays 0). */
const ID_FIELDS = { F: [1, 3, 6], f: [1, 3, 6], X: [1], W: [1], P: [1], H: [1], Q: [1, 3, 4], q: [1], O: [1], o: [1] };

function times(row) {
  return (TIME_FIELDS[row[0]] ?? []).map((i) => row[i]);
}

export async function tileTrace(input, output, copies) {
  const { step, spanUs } = await extent(input);
  const out = createWriteStream(output);
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let head = true;
  let end;
  for (let copy = 0; copy < copies; copy++) {
    for await (const line of lines(input)) {
      if (line.length === 0) continue;
      if (!line.startsWith('[')) {
        const record = JSON.parse(line);
        // The header and the part record once, the end record once at the end of the last copy, no CPU profile.
        if (record.type === 'end') end = record;
        else if (head && record.type !== 'profile') await write(`${line}\n`);
        continue;
      }
      const row = JSON.parse(line);
      if (row[0] === '@' || row[0] === 'S') {
        if (head || row[0] === '@') await write(`${line}\n`);
        continue;
      }
      if (copy > 0) {
        for (const i of ID_FIELDS[row[0]] ?? []) if (row[i] !== 0) row[i] += copy * step;
        for (const i of TIME_FIELDS[row[0]] ?? []) row[i] += copy * spanUs;
        if (row[0] === 'H' && Array.isArray(row[5])) row[5] = row[5].map((id) => id + copy * step);
      }
      await write(`${JSON.stringify(row)}\n`);
    }
    head = false;
  }
  if (end) await write(`${JSON.stringify({ ...end, t: end.t + (copies - 1) * spanUs })}\n`);
  out.end();
  await once(out, 'finish');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const [input, output, copies] = process.argv.slice(2);
  await tileTrace(input, output, Number(copies));
}

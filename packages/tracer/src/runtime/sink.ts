import { closeSync, fstatSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../format.js';

/** Buffer size: memory stays bounded whatever the program does; one write(2) per full buffer. */
const CAPACITY = 256 * 1024;
/** Largest hot event in bytes (nine integers and punctuation), so a hot push never checks per byte. */
const HOT_MAX = 200;

/** The ASCII digits of 00..99, two bytes each: integers are encoded two digits per division. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[i * 2] = 48 + ((i / 10) | 0);
  PAIRS[i * 2 + 1] = 48 + (i % 10);
}

export function headerLine(tool: string): string {
  const header: TraceHeader = { format: TRACE_FORMAT, version: TRACE_VERSION, created: Date.now(), clock: 'us', tool };
  return JSON.stringify(header) + '\n';
}

/**
 * Append-only writer for one part (one process or worker thread) of a trace file.
 * Hot events are encoded straight into a preallocated byte buffer (no strings, no garbage); each flush
 * is one write(2) on an O_APPEND descriptor starting with a `["@",pid,tid]` line, so several processes and
 * threads share the file without interleaving inside a chunk. A write failure disables the sink,
 * is reported once through `onFailure`, and is never thrown.
 */
export class Sink {
  private readonly buf = Buffer.allocUnsafe(CAPACITY);
  private readonly head: number;
  private pos: number;
  dropped = 0;
  failed = false;
  /** After the process 'exit' event: every push is written at once (later exit listeners may still run code). */
  direct = false;

  constructor(
    private readonly fd: number,
    private readonly onFailure: (error: unknown) => void,
  ) {
    this.head = this.buf.write(`["@",${process.pid},${threadId}]\n`, 0, 'latin1');
    this.pos = this.head;
  }

  /** Opens the trace file. `create` truncates and writes the header (the session owner); otherwise appends. */
  static open(path: string, create: boolean, tool: string, onFailure: (error: unknown) => void): Sink {
    if (create) writeFileSync(path, headerLine(tool));
    // Always O_APPEND: other processes and threads append to the same file between our writes.
    const fd = openSync(path, 'a');
    if (!create && fstatSync(fd).size === 0) writeSync(fd, headerLine(tool));
    return new Sink(fd, onFailure);
  }

  /** A rare line (part, site, end...): any text, already terminated by a newline. */
  line(text: string): void {
    if (this.failed) {
      this.dropped++;
      return;
    }
    const bytes = Buffer.byteLength(text);
    if (this.pos + bytes > CAPACITY) this.flush();
    if (this.head + bytes > CAPACITY) {
      this.writeOut(Buffer.concat([this.buf.subarray(0, this.head), Buffer.from(text)]));
      return;
    }
    this.pos += this.buf.write(text, this.pos);
    if (this.direct) this.flush();
  }

  /** A hot event: `["<code>",n1,n2,...]` with integer fields. */
  ev(
    code: number,
    a: number,
    b: number,
    c?: number,
    d?: number,
    e?: number,
    f?: number,
    g?: number,
    h?: number,
    i?: number,
  ): void {
    if (this.failed) {
      this.dropped++;
      return;
    }
    if (this.pos + HOT_MAX > CAPACITY) this.flush();
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 91; // [
    buf[p++] = 34; // "
    buf[p++] = code;
    buf[p++] = 34;
    buf[p++] = 44; // ,
    p = this.int(p, a);
    buf[p++] = 44;
    p = this.int(p, b);
    if (c !== undefined) {
      buf[p++] = 44;
      p = this.int(p, c);
      if (d !== undefined) {
        buf[p++] = 44;
        p = this.int(p, d);
        if (e !== undefined) {
          buf[p++] = 44;
          p = this.int(p, e);
          if (f !== undefined) {
            buf[p++] = 44;
            p = this.int(p, f);
            if (g !== undefined) {
              buf[p++] = 44;
              p = this.int(p, g);
              if (h !== undefined) {
                buf[p++] = 44;
                p = this.int(p, h);
                if (i !== undefined) {
                  buf[p++] = 44;
                  p = this.int(p, i);
                }
              }
            }
          }
        }
      }
    }
    buf[p++] = 93; // ]
    buf[p++] = 10; // \n
    this.pos = p;
    if (this.direct) this.flush();
  }

  private int(p: number, value: number): number {
    const buf = this.buf;
    let v = value;
    if (v < 0) {
      buf[p++] = 45;
      v = -v;
    }
    if (v < 10) {
      buf[p++] = 48 + v;
      return p;
    }
    if (v < 2147483648) {
      // int32 fast path (ids, sites and timestamps of the first 35 minutes): two digits per division
      const digits = v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
      let q = p + digits;
      while (v >= 100) {
        const next = (v / 100) | 0;
        const pair = (v - next * 100) << 1;
        buf[--q] = PAIRS[pair + 1]!;
        buf[--q] = PAIRS[pair]!;
        v = next;
      }
      if (v >= 10) {
        buf[--q] = PAIRS[(v << 1) + 1]!;
        buf[--q] = PAIRS[v << 1]!;
      } else {
        buf[--q] = 48 + v;
      }
      return p + digits;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    let q = p + digits - 1;
    while (v >= 10) {
      const next = Math.floor(v / 10);
      buf[q--] = 48 + (v - next * 10);
      v = next;
    }
    buf[q] = 48 + v;
    return p + digits;
  }

  flush(): void {
    if (this.pos === this.head || this.failed) return;
    const end = this.pos;
    this.pos = this.head;
    this.writeOut(this.buf.subarray(0, end));
  }

  private writeOut(chunk: Buffer): void {
    try {
      let done = 0;
      while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done);
    } catch (error) {
      this.failed = true;
      this.dropped++;
      this.onFailure(error);
    }
  }

  close(): void {
    this.flush();
    try {
      closeSync(this.fd);
    } catch {
      // already closed: nothing to lose
    }
    this.failed = true;
  }
}

import { closeSync, fstatSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../format.js';

/** Buffer size: memory stays bounded whatever the program does; one write(2) per full buffer. */
const CAPACITY = 256 * 1024;
/** Largest hot event in bytes (a text event: nine integers and punctuation), so a hot push never checks per byte. */
const HOT_MAX = 200;

/** The ASCII digits of 00..99, two bytes each: integers are encoded two digits per division. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[i * 2] = 48 + ((i / 10) | 0);
  PAIRS[i * 2 + 1] = 48 + (i % 10);
}

/**
 * Binary hot records (see docs/trace-format.md, version 2): little-endian int32 words, the first word's low byte the
 * record code (a control byte, never `[` or `{`, so a reader tells records from text lines by their first byte) and
 * its second byte a flag (threw, rejected). Times are µs relative to the chunk's base (`BASE`, the first record of
 * every chunk). Written through an Int32Array: a few stores per event, where decimal text cost a division per two digits.
 */
export const BIN = { BASE: 1, F: 2, f: 3, X: 4, W: 5, P: 6 } as const;
/** Size in bytes of each binary record, by code. */
export const BIN_SIZE = [0, 12, 28, 32, 12, 20, 16] as const;
const BASE_BYTES = 12;
/** Int32Array stores are in the platform's byte order; the format's records are little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO32 = 4294967296;

/** A time relative to the chunk's base (µs) that a binary record can hold: an int32. */
const fits = (relative: number): boolean => relative === (relative | 0);

export function headerLine(tool: string): string {
  const header: TraceHeader = { format: TRACE_FORMAT, version: TRACE_VERSION, created: Date.now(), clock: 'us', tool };
  return JSON.stringify(header) + '\n';
}

/** The text padded with spaces before its final newline to a multiple of 4 bytes: binary records stay word-aligned. */
function padded(text: string): string {
  const rest = Buffer.byteLength(text) & 3;
  return rest === 0 ? text : `${text.slice(0, -1)}${'   '.slice(rest - 1)}\n`;
}

/**
 * Append-only writer for one part (one process or worker thread) of a trace file.
 * Hot events are binary records stored straight into a preallocated buffer (no strings, no garbage); each flush
 * is one write(2) on an O_APPEND descriptor starting with a `["@",pid,tid]` line and the chunk's time base, so several
 * processes and threads share the file without interleaving inside a chunk. A value that does not fit a record
 * (a time more than 35 minutes from the chunk's base, an id above 2^31) is written as a text event instead.
 * A write failure disables the sink, is reported once through `onFailure`, and is never thrown.
 */
export class Sink {
  private readonly buf = Buffer.from(new ArrayBuffer(CAPACITY));
  private readonly i32 = new Int32Array(this.buf.buffer, 0, CAPACITY >> 2);
  private readonly head: number;
  /** Where the chunk's events start (after its `@` line and base record): a chunk ending here is empty. */
  private start: number;
  private pos: number;
  /** The chunk's time base (µs): binary records carry times relative to it. */
  private base = 0;
  private readonly binary: boolean;
  dropped = 0;
  failed = false;
  /** After the process 'exit' event: every push is written at once (later exit listeners may still run code). */
  direct = false;

  constructor(
    private readonly fd: number,
    private readonly onFailure: (error: unknown) => void,
    private readonly clock: () => number = () => 0,
    binary = true,
    tid = 0,
  ) {
    this.binary = binary && LITTLE_ENDIAN;
    this.head = this.buf.write(padded(`["@",${process.pid},${tid}]\n`), 0, 'latin1');
    this.pos = this.start = this.head;
    this.begin();
  }

  /** Opens the trace file. `create` truncates and writes the header (the session owner); otherwise appends. */
  static open(path: string, create: boolean, tool: string, onFailure: (error: unknown) => void, clock?: () => number, tid = 0, binary = true): Sink {
    if (create) writeFileSync(path, headerLine(tool));
    // Always O_APPEND: other processes and threads append to the same file between our writes.
    const fd = openSync(path, 'a');
    if (!create && fstatSync(fd).size === 0) writeSync(fd, headerLine(tool));
    return new Sink(fd, onFailure, clock, binary, tid);
  }

  /** Room for a record of `bytes` (flushing a full chunk first); false, and the event counted as dropped, once writing failed. */
  private reserve(bytes: number): boolean {
    if (this.failed) {
      this.dropped++;
      return false;
    }
    if (this.pos + bytes > CAPACITY) this.flush();
    return true;
  }

  /** A binary record of `bytes` is written: keep it, and write it out at once when every event must reach the file. */
  private advance(bytes: number): void {
    this.pos += bytes;
    if (this.direct) this.flush();
  }

  /** Starts a chunk's events: its time base, read now. */
  private begin(): void {
    this.pos = this.head;
    if (!this.binary) {
      this.start = this.head;
      return;
    }
    const base = this.clock();
    this.base = base;
    const hi = Math.floor(base / TWO32);
    const w = this.head >> 2;
    this.i32[w] = BIN.BASE;
    this.i32[w + 1] = (base - hi * TWO32) | 0;
    this.i32[w + 2] = hi | 0;
    this.pos = this.start = this.head + BASE_BYTES;
  }

  /** A rare line (part, site, end...): any text, already terminated by a newline. */
  line(raw: string): void {
    if (this.failed) {
      this.dropped++;
      return;
    }
    const text = padded(raw);
    const bytes = Buffer.byteLength(text);
    if (this.pos + bytes > CAPACITY) this.flush();
    if (this.start + bytes > CAPACITY) {
      this.writeOut(Buffer.concat([this.buf.subarray(0, this.head), Buffer.from(text)]));
      return;
    }
    this.pos += this.buf.write(text, this.pos);
    if (this.direct) this.flush();
  }

  /** A frame's first suspension (`F`). */
  frame(id: number, site: number, parent: number, pseg: number, t0: number, root: number): void {
    if (!this.reserve(28)) return;
    const r0 = t0 - this.base;
    if (!this.binary || !fits(r0) || id > 0x7fffffff) {
      this.ev(70, id, site, parent, pseg, t0, root);
      return;
    }
    const i32 = this.i32;
    const w = this.pos >> 2;
    i32[w] = BIN.F;
    i32[w + 1] = id;
    i32[w + 2] = site;
    i32[w + 3] = parent;
    i32[w + 4] = pseg;
    i32[w + 5] = r0;
    i32[w + 6] = root;
    this.advance(28);
  }

  /** A frame that finished without suspending (`f`). */
  frameOnce(id: number, site: number, parent: number, pseg: number, t0: number, root: number, t: number, threw: 0 | 1): void {
    if (!this.reserve(32)) return;
    const r0 = t0 - this.base;
    const r1 = t - this.base;
    if (!this.binary || !fits(r0) || !fits(r1) || id > 0x7fffffff) {
      this.ev(102, id, site, parent, pseg, t0, root, t, threw);
      return;
    }
    const i32 = this.i32;
    const w = this.pos >> 2;
    i32[w] = BIN.f | (threw << 8);
    i32[w + 1] = id;
    i32[w + 2] = site;
    i32[w + 3] = parent;
    i32[w + 4] = pseg;
    i32[w + 5] = r0;
    i32[w + 6] = root;
    i32[w + 7] = r1;
    this.advance(32);
  }

  /** A frame written with `F` finished (`X`). */
  exit(id: number, t: number, threw: 0 | 1): void {
    if (!this.reserve(12)) return;
    const r = t - this.base;
    if (!this.binary || !fits(r) || id > 0x7fffffff) {
      this.ev(88, id, t, threw);
      return;
    }
    const i32 = this.i32;
    const w = this.pos >> 2;
    i32[w] = BIN.X | (threw << 8);
    i32[w + 1] = id;
    i32[w + 2] = r;
    this.advance(12);
  }

  /** One await, suspended at `ts` and resumed at `t` (`W`). */
  wait(id: number, site: number, ts: number, t: number, rejected: 0 | 1): void {
    if (!this.reserve(20)) return;
    const r0 = ts - this.base;
    const r1 = t - this.base;
    if (!this.binary || !fits(r0) || !fits(r1) || id > 0x7fffffff) {
      this.ev(87, id, site, ts, t, rejected);
      return;
    }
    const i32 = this.i32;
    const w = this.pos >> 2;
    i32[w] = BIN.W | (rejected << 8);
    i32[w + 1] = id;
    i32[w + 2] = site;
    i32[w + 3] = r0;
    i32[w + 4] = r1;
    this.advance(20);
  }

  /** An await still pending at exit (`P`). */
  pending(id: number, site: number, ts: number): void {
    if (!this.reserve(16)) return;
    const r = ts - this.base;
    if (!this.binary || !fits(r) || id > 0x7fffffff) {
      this.ev(80, id, site, ts);
      return;
    }
    const i32 = this.i32;
    const w = this.pos >> 2;
    i32[w] = BIN.P;
    i32[w + 1] = id;
    i32[w + 2] = site;
    i32[w + 3] = r;
    this.advance(16);
  }

  /** A hot event as a text line: `["<code>",n1,n2,...]` with integer fields, padded to a multiple of 4 bytes. */
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
    if (!this.reserve(HOT_MAX)) return;
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
    while ((p & 3) !== 3) buf[p++] = 32;
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
    if (this.pos === this.start || this.failed) return;
    const end = this.pos;
    this.writeOut(this.buf.subarray(0, end));
    this.begin();
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

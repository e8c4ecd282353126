import { open } from 'node:fs/promises';
import { TRACE_FORMAT, TRACE_VERSION, type SiteKind, type TraceHeader } from '../format.js';
import { chargeProfile } from './cpu-profile.js';
import { AwaitRecord, FrameRecord, GrowF64, GrowI32, GrowU8, NONE, SegmentRecord, setPartColumns, type AwaitColumns, type FrameColumns, type PartColumns, type SegmentColumns } from './columns.js';
import type { Await, CpuSegment, Frame, Hang, HangGroup, Part, Resource, Root, Site, Trace } from './model.js';

/** A trace file that cannot be read at all (missing, not an overlap trace, a newer version). */
export class TraceReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'TraceReadError';
  }
}

type Row = (string | number | number[])[];


/** Reads a trace file in chunks (bounded memory besides the model itself). Throws TraceReadError. */
export async function readTrace(file: string): Promise<Trace> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new TraceReadError(file, `cannot open the trace (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const builder = new TraceBuilder(file);
  try {
    // Records are cut from the bytes and hot events parsed from them directly: no string and no array per event
    // (a trace of a million awaits has millions of records); other lines are decoded as text.
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer | undefined;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const data = carry ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const start = builder.scan(data, data.length);
      carry = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
    }
    if (carry) builder.rest(carry);
  } finally {
    await handle.close();
  }
  return builder.finish();
}

/**
 * Parses a whole trace held in memory (tests, small traces). Throws TraceReadError. Give the file's bytes
 * (`readFileSync(file)`): a version 2 trace holds binary records, which text decoding would damage.
 */
export function parseTrace(input: string | Uint8Array, file = '<trace>'): Trace {
  const builder = new TraceBuilder(file);
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const start = builder.scan(data, data.length);
  if (start < data.length) builder.rest(data.subarray(start));
  return builder.finish();
}

/** Size in bytes of each binary record (version 2), by its code byte; 0: not a record code. */
const BIN_SIZE = [0, 12, 28, 32, 12, 20, 16];
const BIN_BASE = 1;
const BIN_CODE = ['', '', 'F', 'f', 'X', 'W', 'P'];

const HOT_CODES = new Set(['F', 'f', 'X', 'W', 'P', 'q']);

/** Parses a hot event line (`["W",1,2,3,4,0]`: a code and integers) without JSON.parse; undefined otherwise. */
function hotRow(text: string): Row | undefined {
  if (text.charCodeAt(0) !== 91 || text.charCodeAt(1) !== 34 || text.charCodeAt(3) !== 34 || text.charCodeAt(4) !== 44) return undefined;
  const code = text[2]!;
  if (!HOT_CODES.has(code)) return undefined;
  const row: Row = [code];
  let value = 0;
  let negative = false;
  let digits = 0;
  for (let i = 5; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 45 && digits === 0 && !negative) {
      negative = true;
    } else if ((c === 44 || c === 93) && digits > 0) {
      row.push(negative ? -value : value);
      if (c === 93) return i === text.length - 1 ? row : undefined;
      value = 0;
      negative = false;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The one-letter code strings, by byte. */
const CODE_TEXT: string[] = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
const HOT_BYTES = new Uint8Array(128);
for (const code of HOT_CODES) HOT_BYTES[code.charCodeAt(0)] = 1;

/**
 * `hotRow` on bytes: parses `buf[start, end)` into `row` (reused: the builder keeps no hot row) and returns
 * true, or returns false for any other line.
 */
function hotBytes(buf: Buffer, start: number, end: number, row: Row): boolean {
  if (end - start < 7 || buf[start] !== 91 || buf[start + 1] !== 34 || buf[start + 3] !== 34 || buf[start + 4] !== 44) return false;
  const code = buf[start + 2]!;
  if (code >= 128 || HOT_BYTES[code] === 0) return false;
  row[0] = CODE_TEXT[code]!;
  let n = 1;
  let value = 0;
  let negative = false;
  let digits = 0;
  for (let i = start + 5; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 45 && digits === 0 && !negative) {
      negative = true;
    } else if ((c === 44 || c === 93) && digits > 0 && n < 16) {
      row[n++] = negative ? -value : value;
      if (c === 93) {
        row.length = n;
        return i === end - 1;
      }
      value = 0;
      negative = false;
      digits = 0;
    } else {
      return false;
    }
  }
  return false;
}

class TraceBuilder {
  private header: TraceHeader | undefined;
  private readonly parts = new Map<string, PartBuilder>();
  private current: PartBuilder | undefined;
  private readonly warnings: string[] = [];
  private n = 0;

  constructor(private readonly file: string) {}

  private part(pid: number, tid: number): PartBuilder {
    const key = `${pid}.${tid}`;
    let part = this.parts.get(key);
    if (!part) {
      part = new PartBuilder(pid, tid, this.warnings);
      this.parts.set(key, part);
    }
    return part;
  }

  private readonly row: Row = [];
  /** The time base of the chunk being read (µs), from its binary base record; NaN before one. */
  private base = NaN;

  /**
   * Reads the whole records and lines of `buf[0, end)`; returns where the first incomplete one starts (the caller
   * carries it over to the next read). Text lines start with `{` or `[`; binary records with their code byte.
   */
  scan(buf: Buffer, end: number): number {
    let p = 0;
    while (p < end) {
      const b = buf[p]!;
      if (b < BIN_SIZE.length && BIN_SIZE[b]! > 0) {
        const size = BIN_SIZE[b]!;
        if (p + size > end) return p;
        this.record(buf, p, b);
        p += size;
        continue;
      }
      const nl = buf.indexOf(10, p);
      if (nl < 0 || nl >= end) return p;
      let e = nl;
      while (e > p && (buf[e - 1] === 32 || buf[e - 1] === 13)) e--;
      if (b === 91 || b === 123) this.bytes(buf, p, e);
      else this.line(buf.toString('utf8', p, e));
      p = nl + 1;
    }
    return p;
  }

  /** What was left at the end of the input: a last line without newline, or a record cut short by a kill. */
  rest(buf: Buffer): void {
    const b = buf[0]!;
    if (b < BIN_SIZE.length && BIN_SIZE[b]! > 0) {
      this.n++;
      this.warnings.push(`record ${this.n}: cut short (the process was stopped while writing)`);
      return;
    }
    this.line(buf.toString('utf8').trimEnd(), true);
  }

  /** A binary record at `buf[p]`: the chunk's base, or a hot event with times relative to it. */
  private record(buf: Buffer, p: number, code: number): void {
    this.n++;
    if (this.header === undefined) throw new TraceReadError(this.file, 'not an overlap trace (the first line is not JSON)');
    if (code === BIN_BASE) {
      this.base = buf.readUInt32LE(p + 4) + buf.readInt32LE(p + 8) * 4294967296;
      return;
    }
    const part = this.current;
    if (part === undefined || Number.isNaN(this.base)) {
      this.warnings.push(`record ${this.n}: event before any part or chunk base`);
      return;
    }
    const base = this.base;
    const row = this.row;
    row[0] = BIN_CODE[code]!;
    const flag = buf[p + 1]!;
    switch (code) {
      case 2: // F frame, site, parent, pseg, t0, root
        row[1] = buf.readInt32LE(p + 4);
        row[2] = buf.readInt32LE(p + 8);
        row[3] = buf.readInt32LE(p + 12);
        row[4] = buf.readInt32LE(p + 16);
        row[5] = base + buf.readInt32LE(p + 20);
        row[6] = buf.readInt32LE(p + 24);
        row.length = 7;
        break;
      case 3: // f frame, site, parent, pseg, t0, root, end, threw
        row[1] = buf.readInt32LE(p + 4);
        row[2] = buf.readInt32LE(p + 8);
        row[3] = buf.readInt32LE(p + 12);
        row[4] = buf.readInt32LE(p + 16);
        row[5] = base + buf.readInt32LE(p + 20);
        row[6] = buf.readInt32LE(p + 24);
        row[7] = base + buf.readInt32LE(p + 28);
        row[8] = flag;
        row.length = 9;
        break;
      case 4: // X frame, end, threw
        row[1] = buf.readInt32LE(p + 4);
        row[2] = base + buf.readInt32LE(p + 8);
        row[3] = flag;
        row.length = 4;
        break;
      case 5: // W frame, site, suspended, resumed, rejected
        row[1] = buf.readInt32LE(p + 4);
        row[2] = buf.readInt32LE(p + 8);
        row[3] = base + buf.readInt32LE(p + 12);
        row[4] = base + buf.readInt32LE(p + 16);
        row[5] = flag;
        row.length = 6;
        break;
      default: // 6, P frame, site, suspended
        row[1] = buf.readInt32LE(p + 4);
        row[2] = buf.readInt32LE(p + 8);
        row[3] = base + buf.readInt32LE(p + 12);
        row.length = 4;
    }
    part.add(row);
  }

  /** One line given as bytes `buf[start, end)` (without its newline). */
  bytes(buf: Buffer, start: number, end: number): void {
    if (this.current !== undefined && hotBytes(buf, start, end, this.row)) {
      this.n++;
      this.current.add(this.row);
      return;
    }
    this.line(buf.toString('utf8', start, end));
  }

  line(text: string, last = false): void {
    this.n++;
    if (text.length === 0) return;
    if (this.current !== undefined && (!last || text.endsWith(']'))) {
      const row = hotRow(text);
      if (row !== undefined) {
        this.current.add(row);
        return;
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (this.n === 1) throw new TraceReadError(this.file, 'not an overlap trace (the first line is not JSON)');
      this.warnings.push(`line ${this.n}: ${last ? 'cut short (the process was stopped while writing)' : 'not JSON'}`);
      return;
    }
    if (this.n === 1) {
      const header = value as Partial<TraceHeader>;
      if (header?.format !== TRACE_FORMAT) throw new TraceReadError(this.file, `not an overlap trace (no "format": "${TRACE_FORMAT}" header)`);
      if (typeof header.version !== 'number' || header.version > TRACE_VERSION) {
        throw new TraceReadError(this.file, `trace format version ${String(header.version)} is newer than this reader (${TRACE_VERSION})`);
      }
      this.header = header as TraceHeader;
      return;
    }
    if (Array.isArray(value)) {
      const row = value as Row;
      if (row[0] === '@') {
        this.current = this.part(row[1] as number, row[2] as number);
        this.base = NaN;
        return;
      }
      if (!this.current) {
        this.warnings.push(`line ${this.n}: event before any part`);
        return;
      }
      this.current.add(row);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.pid !== 'number' || typeof record.tid !== 'number') {
      this.warnings.push(`line ${this.n}: record without pid/tid`);
      return;
    }
    const part = this.part(record.pid, record.tid);
    if (record.type === 'part') part.info = record;
    else if (record.type === 'end' && record.by === 'runner') part.runnerEnd = record;
    else if (record.type === 'end') part.end = record;
    else if (record.type === 'profile') part.profileRecord = record;
    else this.warnings.push(`line ${this.n}: unknown record type ${String(record.type)}`);
  }

  finish(): Trace {
    if (!this.header) throw new TraceReadError(this.file, 'empty trace file');
    const builders = [...this.parts.values()].filter((p) => p.info !== undefined || p.events > 0 || p.runnerEnd !== undefined);
    const origins = builders.map((p) => (typeof p.info?.origin === 'number' ? p.info.origin : this.header!.created));
    const zero = origins.length > 0 ? Math.min(...origins) : this.header.created;
    const parts = builders.map((builder, i) => builder.finish(origins[i]! - zero, origins[i]!));
    return { header: this.header, parts, warnings: this.warnings };
  }
}

const unknownSite = (id: number): Site => ({ id, kind: 'fn', file: '<unknown>', line: 0, column: 0, name: '' });

function append<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}

/** Frame ids below this go through a table (the tracer's ids are small consecutive integers); others a map. */
const ID_TABLE_LIMIT = 1 << 26;

/**
 * Builds one part as its lines stream in, with times in ms since the part's own origin (rows are not kept);
 * `finish` puts them on the trace's shared clock. Frames and awaits are appended to columns as they stream (no
 * object per event); `finish` derives the CPU segments into columns too and makes the object view over them.
 */
class PartBuilder {
  info: Record<string, unknown> | undefined;
  end: Record<string, unknown> | undefined;
  runnerEnd: Record<string, unknown> | undefined;
  profileRecord: Record<string, unknown> | undefined;
  events = 0;
  private readonly sites = new Map<number, Site>();
  // Frames, by dense index in the order their F/f records came.
  private readonly fId = new GrowF64();
  private readonly fSite: Site[] = [];
  private readonly fParent = new GrowF64();
  private readonly fParentSegment = new GrowF64();
  private readonly fRoot = new GrowF64();
  private readonly fStart = new GrowF64();
  private readonly fEnd = new GrowF64();
  private readonly fThrew = new GrowU8();
  /** Awaits seen so far per frame: the next await's index. */
  private readonly fAwaits = new GrowI32();
  /** Dense index + 1 of each frame id below ID_TABLE_LIMIT (0: none); other ids in `idMap`. */
  private idTable = new Int32Array(1024);
  private idMap: Map<unknown, number> | undefined;
  /** False once a frame id is announced twice (the later frame replaces the earlier one under that id). */
  private dense = true;
  // Awaits, in the order they suspended.
  private readonly aFrame = new GrowF64();
  private readonly aFrameIndex = new GrowI32();
  private readonly aSite: Site[] = [];
  private readonly aIndex = new GrowI32();
  private readonly aStart = new GrowF64();
  private readonly aEnd = new GrowF64();
  private readonly aRejected = new GrowU8();
  private readonly roots = new Map<number, Root>();
  private readonly resources = new Map<number, Resource>();
  private readonly hangs: Hang[] = [];
  private lastUs = 0;

  constructor(
    readonly pid: number,
    readonly tid: number,
    private readonly warnings: string[],
  ) {}

  private site(id: number): Site {
    return this.sites.get(id) ?? unknownSite(id);
  }

  private seen(us: number): void {
    if (us > this.lastUs) this.lastUs = us;
  }

  /** Dense index of the frame announced last under `id`, or -1. */
  private frameIndex(id: unknown): number {
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < ID_TABLE_LIMIT) return id < this.idTable.length ? this.idTable[id]! - 1 : -1;
    return this.idMap?.get(id) ?? -1;
  }

  private addFrame(row: Row): number {
    const [, id, siteId, parent, pseg, t0, root] = row as number[];
    const index = this.fId.length;
    this.fId.push(id!);
    this.fSite.push(this.site(siteId!));
    this.fParent.push(parent === 0 ? NaN : parent!);
    this.fParentSegment.push(pseg!);
    this.fRoot.push(root!);
    this.fStart.push(t0! / 1000);
    this.fEnd.push(NaN);
    this.fThrew.push(0);
    this.fAwaits.push(0);
    if (this.frameIndex(id) >= 0) this.dense = false;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < ID_TABLE_LIMIT) {
      if (id >= this.idTable.length) {
        let size = this.idTable.length * 2;
        while (size <= id) size *= 2;
        const next = new Int32Array(size);
        next.set(this.idTable);
        this.idTable = next;
      }
      this.idTable[id] = index + 1;
    } else (this.idMap ??= new Map()).set(id, index);
    this.seen(t0!);
    return index;
  }

  add(row: Row): void {
    this.events++;
    switch (row[0]) {
      case 'S': {
        const [, id, kind, file, line, column, name] = row as [string, number, SiteKind, string, number, number, string];
        this.sites.set(id, { id, kind, file, line, column, name });
        break;
      }
      case 'F':
        this.addFrame(row);
        break;
      case 'f': {
        const index = this.addFrame(row);
        this.fEnd.data[index] = (row[7] as number) / 1000;
        this.fThrew.data[index] = row[8] === 1 ? 1 : 0;
        this.seen(row[7] as number);
        break;
      }
      case 'X': {
        const index = this.frameIndex(row[1]);
        if (index >= 0) {
          this.fEnd.data[index] = (row[2] as number) / 1000;
          this.fThrew.data[index] = row[3] === 1 ? 1 : 0;
        }
        this.seen(row[2] as number);
        break;
      }
      case 'W':
      case 'P': {
        const index = this.frameIndex(row[1]);
        const pending = row[0] === 'P';
        const site = this.site(row[2] as number);
        const start = (row[3] as number) / 1000;
        this.aFrame.push(row[1] as number);
        this.aFrameIndex.push(index);
        this.aSite.push(site);
        this.aIndex.push(index >= 0 ? this.fAwaits.data[index]++ : 0);
        this.aStart.push(start);
        this.aEnd.push(pending ? NaN : (row[4] as number) / 1000);
        this.aRejected.push(!pending && row[5] === 1 ? 1 : 0);
        this.seen(row[pending ? 3 : 4] as number);
        if (pending) this.hangs.push({ frame: row[1] as number, site, since: start, reportedAt: NaN, reason: 'pending-at-exit', chain: [], root: 0, key: '' });
        break;
      }
      case 'H': {
        const [, frame, siteId, since, at, chain] = row as [string, number, number, number, number, number[]];
        this.hangs.push({ frame, site: this.site(siteId), since: since / 1000, reportedAt: at / 1000, reason: 'slow', chain: Array.isArray(chain) ? chain : [], root: 0, key: '' });
        this.seen(at);
        break;
      }
      case 'Q': {
        const [, id, kind, frame, root, t, detail] = row as [string, number, string, number, number, number, string];
        this.resources.set(id, { id, kind, detail, frame, root, start: t / 1000, end: null, endInferred: false, failed: false });
        this.seen(t);
        break;
      }
      case 'q': {
        const resource = this.resources.get(row[1] as number);
        if (resource) {
          resource.end = (row[2] as number) / 1000;
          resource.failed = row[3] === 1;
        }
        this.seen(row[2] as number);
        break;
      }
      case 'O': {
        const [, id, kind, t, detail] = row as [string, number, string, number, string];
        const space = typeof detail === 'string' ? detail.indexOf(' ') : -1;
        const http = kind === 'http';
        this.roots.set(id, {
          id,
          kind: http ? 'http' : 'process',
          detail,
          method: http && space > 0 ? detail.slice(0, space) : null,
          route: http ? (space >= 0 ? detail.slice(space + 1) : String(detail)) : null,
          routeFrom: http ? 'path' : null,
          cutOff: false,
          start: t / 1000,
          end: null,
          status: null,
          frames: [],
        });
        this.seen(t);
        break;
      }
      case 'o': {
        const root = this.roots.get(row[1] as number);
        if (root) {
          root.end = (row[2] as number) / 1000;
          root.status = row[3] as number;
          if (typeof row[4] === 'string' && row[4].length > 0) {
            root.route = row[4];
            root.routeFrom = 'pattern';
          }
        }
        this.seen(row[2] as number);
        break;
      }
      default:
        this.warnings.push(`part ${this.pid}.${this.tid}: unknown event ${JSON.stringify(row[0])}`);
    }
  }

  finish(offsetMs: number, origin: number): Part {
    const { roots, resources, hangs } = this;
    const endRecord = this.end;
    const endUs = typeof endRecord?.t === 'number' ? endRecord.t : this.lastUs;
    const end = {
      clean: endRecord !== undefined,
      time: endUs / 1000,
      exitCode: typeof endRecord?.code === 'number' ? endRecord.code : typeof this.runnerEnd?.code === 'number' ? this.runnerEnd.code : null,
      signal: typeof this.runnerEnd?.signal === 'string' ? this.runnerEnd.signal : null,
      dropped: typeof endRecord?.dropped === 'number' ? endRecord.dropped : 0,
      exitChain: Array.isArray(endRecord?.exit) ? (endRecord.exit as unknown[]).filter((id): id is number => typeof id === 'number') : [],
    };
    roots.set(0, {
      id: 0,
      kind: 'process',
      detail: String(this.info?.entry ?? ''),
      method: null,
      route: null,
      routeFrom: null,
      cutOff: false,
      start: 0,
      end: end.time,
      status: end.exitCode,
      frames: [],
    });
    for (const root of roots.values()) if (root.kind === 'http' && root.end === null) root.cutOff = true;

    const { columns, frames, awaits, cpu } = this.model();
    const profile = this.profileRecord ? chargeProfile(this.profileRecord, frames, cpu) : null;
    linkAwaits(frames, [...resources.values()]);
    for (const frame of frames.values()) roots.get(frame.root)?.frames.push(frame.id);
    // Awaits cut short by a deliberate process.exit (the exiting frame's callers) are not hangs.
    const exiting = new Set(end.exitChain);
    const kept = exiting.size === 0 ? hangs : hangs.filter((h) => h.reason !== 'pending-at-exit' || !exiting.has(h.frame));
    for (const hang of kept) if (hang.chain.length === 0) hang.chain = chainOf(frames, hang.frame);
    if (!end.clean) addKilledHangs(frames, kept, end.time);
    for (const hang of kept) {
      if (Number.isNaN(hang.reportedAt)) hang.reportedAt = end.time;
      hang.root = frames.get(hang.frame)?.root ?? 0;
      hang.key = hangKey(hang, frames);
    }
    const partHangs = dedupeHangs(kept);

    const part: Part = {
      key: `${this.pid}.${this.tid}`,
      pid: this.pid,
      tid: this.tid,
      ppid: typeof this.info?.ppid === 'number' ? this.info.ppid : null,
      main: this.info?.main === true,
      entry: typeof this.info?.entry === 'string' ? this.info.entry : null,
      node: typeof this.info?.node === 'string' ? this.info.node : null,
      origin,
      sites: this.sites,
      frames,
      awaits,
      cpu,
      roots,
      resources: [...resources.values()],
      hangs: partHangs,
      hangGroups: groupHangs(partHangs, frames, roots),
      profile,
      end,
    };
    if (offsetMs !== 0) shiftPart(part, columns, offsetMs);
    setPartColumns(part, columns);
    return part;
  }

  /**
   * The frame, await and segment columns at their exact size, and the object view over them: frames by id (a
   * frame id announced twice names the later frame, in the place of the first), each frame's awaits, its CPU
   * segments (segment i runs from the frame's start, or the resumption after await i-1, to await i or the
   * frame's end) and its children.
   */
  private model(): { columns: PartColumns; frames: Map<number, Frame>; awaits: Await[]; cpu: CpuSegment[] } {
    const fc: FrameColumns = {
      count: this.fId.length,
      id: this.fId.done(),
      site: this.fSite,
      parent: this.fParent.done(),
      parentSegment: this.fParentSegment.done(),
      root: this.fRoot.done(),
      start: this.fStart.done(),
      end: this.fEnd.done(),
      threw: this.fThrew.done(),
    };
    const ac: AwaitColumns = {
      count: this.aFrame.length,
      frame: this.aFrame.done(),
      frameIndex: this.aFrameIndex.done(),
      site: this.aSite,
      index: this.aIndex.done(),
      start: this.aStart.done(),
      end: this.aEnd.done(),
      rejected: this.aRejected.done(),
    };
    const n = fc.count;
    const records = new Array<FrameRecord>(n);
    const frames = new Map<number, Frame>();
    for (let f = 0; f < n; f++) {
      const record = new FrameRecord(fc, f);
      records[f] = record;
      frames.set(fc.id[f]!, record);
    }
    // Each frame's awaits, allocated at their exact size.
    const awaitCount = this.fAwaits.data;
    for (let f = 0; f < n; f++) if (awaitCount[f]! > 0) records[f]!.awaits = new Array<Await>(awaitCount[f]!);
    const awaits = new Array<Await>(ac.count);
    for (let a = 0; a < ac.count; a++) {
      const record = new AwaitRecord(ac, a);
      awaits[a] = record;
      const f = ac.frameIndex[a]!;
      if (f >= 0) records[f]!.awaits[ac.index[a]!] = record;
    }
    // The frames of the part in map order, as dense indexes (the column order unless an id came twice).
    const order = this.dense ? null : Int32Array.from(frames.values(), (frame) => FrameRecord.indexOf(frame as FrameRecord));
    const count = order ? order.length : n;
    const sFrame = new GrowF64();
    const sFrameIndex = new GrowI32();
    const sIndex = new GrowI32();
    const sStart = new GrowF64();
    const sEnd = new GrowF64();
    const sSelf = new GrowF64();
    const firstSegment = new Int32Array(n);
    const segmentCount = new Int32Array(n);
    for (let k = 0; k < count; k++) {
      const f = order ? order[k]! : k;
      const id = fc.id[f]!;
      firstSegment[f] = sFrame.length;
      const list = records[f]!.awaits;
      let from = fc.start[f]!;
      let open = true;
      let index = 0;
      for (const a of list) {
        sFrame.push(id);
        sFrameIndex.push(f);
        sIndex.push(index++);
        sStart.push(from);
        sEnd.push(a.start);
        sSelf.push(a.start - from);
        const end = a.end;
        if (end === null) {
          open = false;
          break;
        }
        from = end;
      }
      const end = fc.end[f]!;
      if (open && end === end) {
        sFrame.push(id);
        sFrameIndex.push(f);
        sIndex.push(index++);
        sStart.push(from);
        sEnd.push(end);
        sSelf.push(end - from);
      }
      segmentCount[f] = index;
    }
    const sc: SegmentColumns = { count: sFrame.length, frame: sFrame.done(), frameIndex: sFrameIndex.done(), index: sIndex.done(), start: sStart.done(), end: sEnd.done(), self: sSelf.done() };
    const cpu = new Array<CpuSegment>(sc.count);
    for (let g = 0; g < sc.count; g++) cpu[g] = new SegmentRecord(sc, g);
    for (let k = 0; k < count; k++) {
      const f = order ? order[k]! : k;
      const c = segmentCount[f]!;
      if (c > 0) records[f]!.segments = cpu.slice(firstSegment[f]!, firstSegment[f]! + c);
      const parent = fc.parent[f]!;
      if (parent !== parent) continue;
      const p = frames.get(parent);
      if (!p) continue;
      // The child is a call of the await that ends the parent's segment it was called in (in frame order).
      p.children = append(p.children, fc.id[f]!);
      const waited = p.awaits[fc.parentSegment[f]!];
      if (waited) waited.calls = append(waited.calls, fc.id[f]!);
    }
    // A child's first segment runs inside the parent's segment that called it: not the parent's own time.
    const self = sc.self;
    for (let k = 0; k < count; k++) {
      const f = order ? order[k]! : k;
      const parent = fc.parent[f]!;
      if (parent !== parent || segmentCount[f] === 0) continue;
      const p = frames.get(parent) as FrameRecord | undefined;
      if (!p) continue;
      const pf = FrameRecord.indexOf(p);
      const ps = fc.parentSegment[f]!;
      if (!(Number.isInteger(ps) && ps >= 0 && ps < segmentCount[pf]!)) continue;
      const g = firstSegment[pf]! + ps;
      const first = firstSegment[f]!;
      self[g] = Math.max(0, self[g]! - (sc.end[first]! - sc.start[first]!));
    }
    return { columns: { frames: fc, awaits: ac, segments: sc, dense: this.dense }, frames, awaits, cpu };
  }
}

/** Moves every time of a part by `ms` (parts are built on their own clock, then put on the trace's). */
function shiftPart(part: Part, columns: PartColumns, ms: number): void {
  // Frames, awaits and segments in their columns (NaN, "not ended", stays NaN).
  for (const column of [columns.frames.start, columns.frames.end, columns.awaits.start, columns.awaits.end, columns.segments.start, columns.segments.end]) {
    for (let i = 0; i < column.length; i++) column[i]! += ms;
  }
  for (const root of part.roots.values()) {
    root.start += ms;
    if (root.end !== null) root.end += ms;
  }
  for (const resource of part.resources) {
    resource.start += ms;
    if (resource.end !== null) resource.end += ms;
  }
  for (const hang of part.hangs) {
    hang.since += ms;
    hang.reportedAt += ms;
  }
  for (const group of part.hangGroups) group.since += ms;
  part.end.time += ms;
}

/** Kinds the tracer sees start but not end (their promises are not observed, to keep the program's timing). */
const UNOBSERVED_KINDS = new Set(['fs', 'dns', 'timer']);

/** Each resource to the await that ends the segment which started it (calls are linked with the children). */
function linkAwaits(frames: Map<number, Frame>, resources: Resource[]): void {
  for (const resource of resources) {
    const frame = frames.get(resource.frame);
    if (!frame) continue;
    const waited = frame.awaits[awaitIndexAt(frame, resource.start)];
    if (waited) waited.resources = append(waited.resources, resource.id);
    if (resource.end === null && UNOBSERVED_KINDS.has(resource.kind) && waited?.end != null) {
      resource.end = waited.end;
      resource.endInferred = true;
      resource.failed = waited.rejected;
    }
  }
}

/** The await ending the segment running at `time` (the first await suspending at or after it), by binary search. */
function awaitIndexAt(frame: Frame, time: number): number {
  const awaits = frame.awaits;
  let lo = 0;
  let hi = awaits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (awaits[mid]!.start < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function chainOf(frames: Map<number, Frame>, id: number): number[] {
  const chain: number[] = [];
  for (let f = frames.get(id); f !== undefined && chain.length < 256; f = f.parent === null ? undefined : frames.get(f.parent)) {
    chain.push(f.id);
  }
  return chain;
}

/** A part that died without an end record: its innermost unfinished frames were waiting when it was killed. */
function addKilledHangs(frames: Map<number, Frame>, hangs: Hang[], at: number): void {
  const open = [...frames.values()].filter((f) => f.end === null);
  const hasOpenChild = new Set(open.map((f) => f.parent));
  const reported = new Set(hangs.map((h) => h.frame));
  for (const frame of open) {
    if (hasOpenChild.has(frame.id) || reported.has(frame.id)) continue;
    const last = frame.awaits[frame.awaits.length - 1];
    hangs.push({ frame: frame.id, site: null, since: last?.end ?? frame.start, reportedAt: at, reason: 'killed', chain: chainOf(frames, frame.id), root: 0, key: '' });
  }
}

function dedupeHangs(hangs: Hang[]): Hang[] {
  const byKey = new Map<string, Hang>();
  for (const hang of hangs) {
    const key = `${hang.frame}:${hang.since}`;
    const old = byKey.get(key);
    if (!old || (old.reason === 'slow' && hang.reason === 'pending-at-exit')) byKey.set(key, old ? { ...hang, chain: old.chain } : hang);
  }
  // A frame waiting on a hung child is part of the child's chain, not a hang of its own.
  const all = [...byKey.values()];
  const waitingOnOthers = new Set<string>();
  for (const hang of all) for (const frame of hang.chain.slice(1)) waitingOnOthers.add(`${hang.reason}:${frame}`);
  return all.filter((h) => !waitingOnOthers.has(`${h.reason}:${h.frame}`));
}

/** Reason, site and the function site of every frame of the chain: what makes two hangs the same hang. */
function hangKey(hang: Hang, frames: Map<number, Frame>): string {
  const chain = hang.chain.map((id) => frames.get(id)?.site.id ?? -1).join(',');
  return `${hang.reason}:${hang.site?.id ?? -1}:${chain}`;
}

/** One group per key, largest first (then earliest): 16 requests cut off at the same await read as one entry. */
function groupHangs(hangs: Hang[], frames: Map<number, Frame>, roots: Map<number, Root>): HangGroup[] {
  const groups = new Map<string, HangGroup>();
  for (const hang of hangs) {
    let group = groups.get(hang.key);
    if (!group) {
      const chain = hang.chain.map((id) => frames.get(id)?.site).filter((site): site is Site => site !== undefined);
      group = { key: hang.key, reason: hang.reason, site: hang.site, chain, count: 0, cutOff: 0, since: hang.since, longestMs: 0, hangs: [] };
      groups.set(hang.key, group);
    }
    group.count++;
    group.hangs.push(hang);
    if (roots.get(hang.root)?.cutOff === true) group.cutOff++;
    group.since = Math.min(group.since, hang.since);
    group.longestMs = Math.max(group.longestMs, hang.reportedAt - hang.since);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.since - b.since);
}

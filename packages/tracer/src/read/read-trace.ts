import { open } from 'node:fs/promises';
import { TRACE_FORMAT, TRACE_VERSION, type SiteKind, type TraceHeader } from '../format.js';
import type { Await, CpuSegment, Frame, Hang, Part, Resource, Root, Site, Trace } from './model.js';

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

/** Raw events of one part, in µs since the part's own origin, before they are put on the shared clock. */
interface RawPart {
  pid: number;
  tid: number;
  info: Record<string, unknown> | undefined;
  end: Record<string, unknown> | undefined;
  runnerEnd: Record<string, unknown> | undefined;
  rows: Row[];
  lastUs: number;
}

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
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const text = carry + chunk.toString('utf8', 0, bytesRead);
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) builder.line(line);
    }
    if (carry.length > 0) builder.line(carry, true);
  } finally {
    await handle.close();
  }
  return builder.finish();
}

/** Parses a whole trace held in memory (tests, small traces). Throws TraceReadError. */
export function parseTrace(text: string, file = '<trace>'): Trace {
  const builder = new TraceBuilder(file);
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  for (const line of lines) builder.line(line);
  if (last.length > 0) builder.line(last, true);
  return builder.finish();
}

class TraceBuilder {
  private header: TraceHeader | undefined;
  private readonly parts = new Map<string, RawPart>();
  private current: RawPart | undefined;
  private readonly warnings: string[] = [];
  private n = 0;

  constructor(private readonly file: string) {}

  private part(pid: number, tid: number): RawPart {
    const key = `${pid}.${tid}`;
    let part = this.parts.get(key);
    if (!part) {
      part = { pid, tid, info: undefined, end: undefined, runnerEnd: undefined, rows: [], lastUs: 0 };
      this.parts.set(key, part);
    }
    return part;
  }

  line(text: string, last = false): void {
    this.n++;
    if (text.length === 0) return;
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
        return;
      }
      if (!this.current) {
        this.warnings.push(`line ${this.n}: event before any part`);
        return;
      }
      this.current.rows.push(row);
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
    else this.warnings.push(`line ${this.n}: unknown record type ${String(record.type)}`);
  }

  finish(): Trace {
    if (!this.header) throw new TraceReadError(this.file, 'empty trace file');
    const raws = [...this.parts.values()].filter((p) => p.info !== undefined || p.rows.length > 0 || p.runnerEnd !== undefined);
    const origins = raws.map((p) => (typeof p.info?.origin === 'number' ? p.info.origin : this.header!.created));
    const zero = origins.length > 0 ? Math.min(...origins) : this.header.created;
    const parts = raws.map((raw, i) => buildPart(raw, origins[i]! - zero, origins[i]!, this.warnings));
    return { header: this.header, parts, warnings: this.warnings };
  }
}

const unknownSite = (id: number): Site => ({ id, kind: 'fn', file: '<unknown>', line: 0, column: 0, name: '' });

function buildPart(raw: RawPart, offsetMs: number, origin: number, warnings: string[]): Part {
  const ms = (us: number) => offsetMs + us / 1000;
  const sites = new Map<number, Site>();
  const frames = new Map<number, Frame>();
  const roots = new Map<number, Root>();
  const resources = new Map<number, Resource>();
  const awaits: Await[] = [];
  const hangs: Hang[] = [];
  const site = (id: number) => sites.get(id) ?? unknownSite(id);
  let lastUs = 0;
  const seen = (us: number) => {
    if (us > lastUs) lastUs = us;
  };

  const addFrame = (row: Row): Frame => {
    const [, id, siteId, parent, pseg, t0, root] = row as number[];
    const frame: Frame = {
      id: id!,
      site: site(siteId!),
      parent: parent === 0 ? null : parent!,
      parentSegment: pseg!,
      root: root!,
      start: ms(t0!),
      end: null,
      threw: false,
      children: [],
      awaits: [],
      segments: [],
    };
    frames.set(frame.id, frame);
    seen(t0!);
    return frame;
  };

  for (const row of raw.rows) {
    switch (row[0]) {
      case 'S': {
        const [, id, kind, file, line, column, name] = row as [string, number, SiteKind, string, number, number, string];
        sites.set(id, { id, kind, file, line, column, name });
        break;
      }
      case 'F':
        addFrame(row);
        break;
      case 'f': {
        const frame = addFrame(row);
        frame.end = ms(row[7] as number);
        frame.threw = row[8] === 1;
        seen(row[7] as number);
        break;
      }
      case 'X': {
        const frame = frames.get(row[1] as number);
        if (frame) {
          frame.end = ms(row[2] as number);
          frame.threw = row[3] === 1;
        }
        seen(row[2] as number);
        break;
      }
      case 'W':
      case 'P': {
        const frame = frames.get(row[1] as number);
        const pending = row[0] === 'P';
        const a: Await = {
          frame: row[1] as number,
          site: site(row[2] as number),
          index: frame ? frame.awaits.length : 0,
          start: ms(row[3] as number),
          end: pending ? null : ms(row[4] as number),
          rejected: !pending && row[5] === 1,
          calls: [],
          resources: [],
        };
        frame?.awaits.push(a);
        awaits.push(a);
        seen(row[pending ? 3 : 4] as number);
        if (pending) hangs.push({ frame: a.frame, site: a.site, since: a.start, reportedAt: NaN, reason: 'pending-at-exit', chain: [] });
        break;
      }
      case 'H': {
        const [, frame, siteId, since, at, chain] = row as [string, number, number, number, number, number[]];
        hangs.push({ frame, site: site(siteId), since: ms(since), reportedAt: ms(at), reason: 'slow', chain: Array.isArray(chain) ? chain : [] });
        seen(at);
        break;
      }
      case 'Q': {
        const [, id, kind, frame, root, t, detail] = row as [string, number, string, number, number, number, string];
        resources.set(id, { id, kind, detail, frame, root, start: ms(t), end: null, endInferred: false, failed: false });
        seen(t);
        break;
      }
      case 'q': {
        const resource = resources.get(row[1] as number);
        if (resource) {
          resource.end = ms(row[2] as number);
          resource.failed = row[3] === 1;
        }
        seen(row[2] as number);
        break;
      }
      case 'O': {
        const [, id, kind, t, detail] = row as [string, number, string, number, string];
        roots.set(id, { id, kind: kind === 'http' ? 'http' : 'process', detail, start: ms(t), end: null, status: null, frames: [] });
        seen(t);
        break;
      }
      case 'o': {
        const root = roots.get(row[1] as number);
        if (root) {
          root.end = ms(row[2] as number);
          root.status = row[3] as number;
        }
        seen(row[2] as number);
        break;
      }
      default:
        warnings.push(`part ${raw.pid}.${raw.tid}: unknown event ${JSON.stringify(row[0])}`);
    }
  }

  const endRecord = raw.end;
  const endUs = typeof endRecord?.t === 'number' ? endRecord.t : lastUs;
  const end = {
    clean: endRecord !== undefined,
    time: ms(endUs),
    exitCode: typeof endRecord?.code === 'number' ? endRecord.code : typeof raw.runnerEnd?.code === 'number' ? raw.runnerEnd.code : null,
    signal: typeof raw.runnerEnd?.signal === 'string' ? raw.runnerEnd.signal : null,
    dropped: typeof endRecord?.dropped === 'number' ? endRecord.dropped : 0,
  };
  roots.set(0, { id: 0, kind: 'process', detail: String(raw.info?.entry ?? ''), start: offsetMs, end: end.time, status: end.exitCode, frames: [] });

  const cpu = buildSegments(frames);
  linkAwaits(frames, [...resources.values()]);
  for (const frame of frames.values()) roots.get(frame.root)?.frames.push(frame.id);
  for (const hang of hangs) if (hang.chain.length === 0) hang.chain = chainOf(frames, hang.frame);
  if (!end.clean) addKilledHangs(frames, hangs, end.time);
  for (const hang of hangs) if (Number.isNaN(hang.reportedAt)) hang.reportedAt = end.time;

  return {
    key: `${raw.pid}.${raw.tid}`,
    pid: raw.pid,
    tid: raw.tid,
    ppid: typeof raw.info?.ppid === 'number' ? raw.info.ppid : null,
    main: raw.info?.main === true,
    entry: typeof raw.info?.entry === 'string' ? raw.info.entry : null,
    node: typeof raw.info?.node === 'string' ? raw.info.node : null,
    origin,
    sites,
    frames,
    awaits,
    cpu,
    roots,
    resources: [...resources.values()],
    hangs: dedupeHangs(hangs),
    end,
  };
}

/** Segment i runs from the frame's start (or the resumption after await i-1) to await i (or the frame's end). */
function buildSegments(frames: Map<number, Frame>): CpuSegment[] {
  const cpu: CpuSegment[] = [];
  for (const frame of frames.values()) {
    let from: number | null = frame.start;
    for (const a of frame.awaits) {
      if (from === null) break;
      frame.segments.push({ frame: frame.id, index: frame.segments.length, start: from, end: a.start, self: a.start - from });
      from = a.end;
    }
    if (from !== null && frame.end !== null) {
      frame.segments.push({ frame: frame.id, index: frame.segments.length, start: from, end: frame.end, self: frame.end - from });
    }
    cpu.push(...frame.segments);
    if (frame.parent !== null) frames.get(frame.parent)?.children.push(frame.id);
  }
  // A child's first segment runs inside the parent's segment that called it: not the parent's own time.
  for (const frame of frames.values()) {
    if (frame.parent === null) continue;
    const parentSeg = frames.get(frame.parent)?.segments[frame.parentSegment];
    const first = frame.segments[0];
    if (parentSeg && first) parentSeg.self = Math.max(0, parentSeg.self - (first.end - first.start));
  }
  cpu.sort((a, b) => a.start - b.start);
  return cpu;
}

/** Kinds the tracer sees start but not end (their promises are not observed, to keep the program's timing). */
const UNOBSERVED_KINDS = new Set(['fs', 'dns', 'timer']);

function linkAwaits(frames: Map<number, Frame>, resources: Resource[]): void {
  for (const frame of frames.values()) {
    for (const childId of frame.children) {
      const child = frames.get(childId);
      if (child) frame.awaits[child.parentSegment]?.calls.push(childId);
    }
  }
  for (const resource of resources) {
    const frame = frames.get(resource.frame);
    if (!frame) continue;
    const segment = frame.segments.find((s) => resource.start >= s.start && resource.start <= s.end);
    const index = segment ? segment.index : frame.awaits.findIndex((a) => resource.start <= a.start);
    const waited = index >= 0 ? frame.awaits[index] : undefined;
    waited?.resources.push(resource.id);
    if (resource.end === null && UNOBSERVED_KINDS.has(resource.kind) && waited?.end != null) {
      resource.end = waited.end;
      resource.endInferred = true;
      resource.failed = waited.rejected;
    }
  }
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
  for (const frame of open) {
    if (hasOpenChild.has(frame.id) || hangs.some((h) => h.frame === frame.id)) continue;
    const last = frame.awaits[frame.awaits.length - 1];
    hangs.push({ frame: frame.id, site: null, since: last?.end ?? frame.start, reportedAt: at, reason: 'killed', chain: chainOf(frames, frame.id) });
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
  return all.filter((h) => !all.some((g) => g !== h && g.frame !== h.frame && g.reason === h.reason && g.chain.includes(h.frame)));
}

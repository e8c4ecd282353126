import { parseTrace, type Trace } from '@overlap/tracer';

/**
 * Hand-built traces for unit tests, written in the tracer's own file format and read with its reader, so the
 * tests exercise the same model the CLI gets. Times are milliseconds.
 */
export const FILE = '/app/main.js';

export interface AwaitSpec {
  readonly line: number;
  readonly name?: string;
  readonly start: number;
  /** null: still pending at exit. */
  readonly end: number | null;
}

export interface FrameSpec {
  readonly id: number;
  readonly name: string;
  /** Line of the function; its awaits have their own lines. */
  readonly line: number;
  readonly parent?: number;
  /** The parent's segment index during which this frame was called. */
  readonly pseg?: number;
  readonly root?: number;
  readonly start: number;
  readonly end: number | null;
  readonly awaits?: readonly AwaitSpec[];
}

export interface ResourceSpec {
  readonly id: number;
  readonly kind: string;
  readonly detail: string;
  readonly frame: number;
  readonly root?: number;
  readonly start: number;
  readonly end: number;
}

export interface RootSpec {
  readonly id: number;
  readonly detail: string;
  readonly start: number;
  readonly end: number;
}

const us = (ms: number) => Math.round(ms * 1000);

export function buildTrace(spec: { frames: readonly FrameSpec[]; resources?: readonly ResourceSpec[]; roots?: readonly RootSpec[]; end?: number }): Trace {
  const lines: string[] = [JSON.stringify({ format: 'overlap-trace', version: 1, created: 1_700_000_000_000, clock: 'us', tool: 'test' })];
  lines.push(JSON.stringify({ type: 'part', pid: 1, tid: 0, ppid: 0, main: true, entry: FILE, node: 'v20', origin: 1_700_000_000_000 }));
  lines.push(JSON.stringify(['@', 1, 0]));
  const sites = new Map<string, number>();
  const site = (kind: string, line: number, name: string) => {
    const key = `${kind}:${line}:${name}`;
    let id = sites.get(key);
    if (id === undefined) {
      id = sites.size;
      sites.set(key, id);
      lines.push(JSON.stringify(['S', id, kind, FILE, line, kind === 'fn' ? 1 : 3, name]));
    }
    return id;
  };
  for (const root of spec.roots ?? []) lines.push(JSON.stringify(['O', root.id, 'http', us(root.start), root.detail]));
  for (const f of spec.frames) {
    const fn = site('fn', f.line, f.name);
    const head = [f.id, fn, f.parent ?? 0, f.pseg ?? -1, us(f.start), f.root ?? 0];
    if ((f.awaits ?? []).length === 0 && f.end !== null) {
      lines.push(JSON.stringify(['f', ...head, us(f.end), 0]));
      continue;
    }
    lines.push(JSON.stringify(['F', ...head]));
    for (const a of f.awaits ?? []) {
      const s = site('await', a.line, a.name ?? '');
      lines.push(JSON.stringify(a.end === null ? ['P', f.id, s, us(a.start)] : ['W', f.id, s, us(a.start), us(a.end), 0]));
    }
    if (f.end !== null) lines.push(JSON.stringify(['X', f.id, us(f.end), 0]));
  }
  for (const r of spec.resources ?? []) {
    lines.push(JSON.stringify(['Q', r.id, r.kind, r.frame, r.root ?? 0, us(r.start), r.detail]));
    lines.push(JSON.stringify(['q', r.id, us(r.end), 0]));
  }
  for (const root of spec.roots ?? []) lines.push(JSON.stringify(['o', root.id, us(root.end), 200]));
  const end = spec.end ?? Math.max(...spec.frames.map((f) => f.end ?? 0), ...(spec.roots ?? []).map((r) => r.end));
  lines.push(JSON.stringify({ type: 'end', pid: 1, tid: 0, t: us(end), code: 0 }));
  return parseTrace(`${lines.join('\n')}\n`);
}

/** A leaf async function called from `parent` in its segment `pseg`: one await of `ms` after `cpu` ms of work. */
export function leaf(id: number, name: string, line: number, parent: number, pseg: number, start: number, ms: number, cpu = 0): FrameSpec {
  return {
    id,
    name,
    line,
    parent,
    pseg,
    start,
    end: start + cpu + ms,
    awaits: [{ line: line + 1, name: 'sleep', start: start + cpu, end: start + cpu + ms }],
  };
}

/**
 * `x = await A()` (50 ms); `y = await B()` (100 ms); `z = await C(x)` (40 ms): B is the slowest and independent.
 * `issueCpuMs` of CPU runs before B and before C (the work that issues each call).
 */
export function dagTrace(issueCpuMs = 0): Trace {
  const b = 50.2 + issueCpuMs;
  const c = b + 100.1 + issueCpuMs;
  return buildTrace({
    frames: [
      {
        id: 1,
        name: 'main',
        line: 10,
        start: 0,
        end: c + 40.2,
        awaits: [
          { line: 11, name: 'A', start: 0.1, end: 50.1 },
          { line: 12, name: 'B', start: b, end: b + 100 },
          { line: 13, name: 'C', start: c, end: c + 40 },
        ],
      },
      leaf(2, 'A', 1, 1, 0, 0.05, 50),
      leaf(3, 'B', 4, 1, 1, b - 0.05, 100),
      leaf(4, 'C', 7, 1, 2, c - 0.05, 40),
    ],
  });
}

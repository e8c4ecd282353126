import type { Sink } from './sink.js';
import { registerShifts } from './stack-columns.js';

/** One invocation of an instrumented async function (or a module evaluating top-level await). */
export class Frame {
  /** True until the frame first suspends: while true, its caller is still on the stack. */
  sync = true;
  /** Site id of the await the frame is suspended at, or -1 while it runs. */
  pend = -1;
  /** When the pending await suspended (µs). */
  ts = 0;
  /** Number of resumptions so far: the index of the CPU segment now running. */
  seg = 0;
  threw = false;
  /** Segment index whose pending await was already reported as a hang. */
  hung = -1;
  /**
   * A time the frame's next hook uses instead of reading the clock, or -1: set by `E` and `R`, hooks after which
   * the instrumentation saw only call-free code until the frame's next hook (a read costs more than that code).
   */
  tq = -1;
  /** Neighbours in the recorder's list of live frames (see `LiveFrames`). */
  prev: Frame | null = null;
  next: Frame | null = null;
  constructor(
    readonly id: number,
    readonly base: number,
    readonly site: number,
    readonly parent: Frame | null,
    /** The parent's segment index when this frame was called (-1 without parent). */
    readonly pseg: number,
    readonly root: number,
    readonly t0: number,
  ) {}
}

// The global `performance` (the `node:perf_hooks` module would also load its histograms and observers at start).
const clock = globalThis.performance.now.bind(globalThis.performance);
/** Microseconds since this thread's time origin. */
export const nowUs = (): number => Math.floor(clock() * 1000);

const SITE_KINDS = ['fn', 'await', 'for-await', 'module'];

/**
 * The hot path. Instrumented code calls these methods directly (`__ovR.s(...)`): each is a few field
 * writes and at most one fixed-size event encoded into the sink's byte buffer. Causality comes from
 * `cur`, a frame stack kept by the instrumentation itself (enter, suspend, resume, exit), not from
 * async_hooks or promise hooks, which would tax every promise in the process.
 */
export class Recorder {
  /** The frame whose synchronous code is running now, or null when only uninstrumented code runs. */
  cur: Frame | null = null;
  /** Root that frames without a parent join: 0 (the process) or the HTTP request being dispatched. */
  curRoot = 0;
  /** Frames that have suspended and not exited (for hang detection and the exit report). */
  readonly live = new LiveFrames();
  private nextFrame = 1;
  private nextSite = 0;
  /** Per-site wait statistics (count, total µs) for "pending far longer than usual" detection. */
  readonly waitCount: number[] = [];
  readonly waitTotal: number[] = [];
  on = true;
  /** Called once, when the first instrumented module registers (work deferred until user code runs). */
  onFirstModule: (() => void) | null = null;
  /**
   * Clock reads shared across a call of a known async function (the instrumentation proves that the callee's entry
   * is the next hook after the caller's `ek` / `rk`, and that the caller's `sk` is the next hook after the callee's
   * first suspension or exit): `tn` is the time the next frame entered from `tnOf` takes, `tl` the time the next
   * `sk` of `tlOf` takes. A hook that takes one clears its owner, so a time is used at most once.
   */
  private tn = 0;
  private tnOf: Frame | null = null;
  private tl = 0;
  private tlOf: Frame | null = null;

  constructor(readonly sink: Sink) {}

  /** Registers a module's sites; returns the base id that the module's site indexes are added to. */
  m(url: string, files: string[], sites: (string | number)[], shifts: number[][]): number {
    if (this.onFirstModule !== null) {
      const first = this.onFirstModule;
      this.onFirstModule = null;
      first();
    }
    const base = this.nextSite;
    const n = Math.floor(sites.length / 5);
    this.nextSite += n;
    // One slot per site, filled in order: the arrays stay packed (a store past the end makes them holey or sparse).
    for (let i = 0; i < n; i++) {
      this.waitCount.push(0);
      this.waitTotal.push(0);
    }
    try {
      registerShifts(url, shifts);
      let text = '';
      for (let i = 0; i < n; i++) {
        const o = i * 5;
        const kind = SITE_KINDS[sites[o] as number] ?? 'fn';
        const file = files[sites[o + 4] as number] ?? url;
        text += `["S",${base + i},"${kind}",${JSON.stringify(file)},${sites[o + 1]},${sites[o + 2]},${JSON.stringify(sites[o + 3])}]\n`;
      }
      if (this.on) this.sink.line(text);
    } catch {
      // a malformed table only loses site names; the program goes on
    }
    return base;
  }

  /** Enter: a frame starts. Its parent is whichever frame is running synchronously right now. */
  e(base: number, k: number): Frame {
    const p = this.cur;
    if (p === null) {
      const f = new Frame(this.nextFrame++, base, base + k, null, -1, this.curRoot, nowUs());
      this.cur = f;
      return f;
    }
    let t: number;
    if (p === this.tnOf) {
      t = this.tn;
      this.tnOf = null;
    } else {
      t = nowUs();
    }
    const f = new Frame(this.nextFrame++, base, base + k, p, p.seg, p.root, t);
    this.cur = f;
    return f;
  }

  /** Enter, where only call-free code runs before a call of a known async function: its entry reuses the start time. */
  ek(base: number, k: number): Frame {
    const f = this.e(base, k);
    this.tn = f.t0;
    this.tnOf = f;
    return f;
  }

  /** Enter, where only call-free code runs before the frame's first suspension or exit: that hook reuses the start time. */
  E(base: number, k: number): Frame {
    const f = this.e(base, k);
    f.tq = f.t0;
    return f;
  }

  /** Suspend: called with the awaited value just before the frame yields. Returns the value unchanged. */
  s<T>(f: Frame, k: number, v: T): T {
    let t = f.tq;
    if (t < 0) t = nowUs();
    else f.tq = -1;
    this.suspend(f, k, t);
    return v;
  }

  /** Suspend on the promise of a call of a known async function: the callee's last hook has just read the time. */
  sk<T>(f: Frame, k: number, v: T): T {
    let t: number;
    if (this.tlOf === f) {
      t = this.tl;
      this.tlOf = null;
    } else {
      t = f.tq;
      if (t < 0) t = nowUs();
      else f.tq = -1;
    }
    this.suspend(f, k, t);
    return v;
  }

  private suspend(f: Frame, k: number, t: number): void {
    f.pend = f.base + k;
    f.ts = t;
    if (f.sync) {
      f.sync = false;
      this.tl = t;
      this.tlOf = f.parent;
      this.cur = f.parent;
      if (this.on) {
        this.live.add(f);
        this.sink.frame(f.id, f.site, f.parent === null ? 0 : f.parent.id, f.pseg, f.t0, f.root);
      }
    } else {
      this.cur = null;
    }
  }

  /** Resume after a fulfilled await. Returns the awaited result unchanged. */
  r<T>(f: Frame, v: T): T {
    if (f.pend >= 0) this.resumed(f, 0);
    this.cur = f;
    return v;
  }

  /** Resume, where only call-free code runs before the frame's next suspension or exit: that hook reuses this time. */
  R<T>(f: Frame, v: T): T {
    if (f.pend >= 0) f.tq = this.resumed(f, 0);
    this.cur = f;
    return v;
  }

  /** Resume, where only call-free code runs before a call of a known async function: its entry reuses this time. */
  rk<T>(f: Frame, v: T): T {
    if (f.pend >= 0) {
      this.tn = this.resumed(f, 0);
      this.tnOf = f;
    }
    this.cur = f;
    return v;
  }

  /** Start of a catch or finally block: if the frame was suspended, a rejected await resumed it. */
  c(f: Frame): void {
    // the call an `ek` / `rk` prepared for threw before it was made
    if (this.tnOf === f) this.tnOf = null;
    if (f.pend >= 0) this.resumed(f, 1);
    this.cur = f;
  }

  /** The frame's body threw (or an await it was suspended on rejected). Returns the error unchanged. */
  t<E>(f: Frame, error: E): E {
    f.threw = true;
    return error;
  }

  /** Exit: the frame's promise is about to settle. */
  x(f: Frame): void {
    if (f.pend >= 0) this.resumed(f, 1);
    let t = f.tq;
    if (t < 0) t = nowUs();
    else f.tq = -1;
    if (f.sync) {
      this.tl = t;
      this.tlOf = f.parent;
      this.cur = f.parent;
      if (this.on) {
        this.sink.frameOnce(f.id, f.site, f.parent === null ? 0 : f.parent.id, f.pseg, f.t0, f.root, t, f.threw ? 1 : 0);
      }
    } else {
      this.cur = null;
      this.live.delete(f);
      if (this.on) this.sink.exit(f.id, t, f.threw ? 1 : 0);
    }
  }

  /** Records the resumption of the pending await; returns its time. */
  private resumed(f: Frame, rejected: 0 | 1): number {
    const t = nowUs();
    const site = f.pend;
    f.pend = -1;
    f.seg++;
    this.waitCount[site]! += 1;
    this.waitTotal[site]! += t - f.ts;
    if (this.on) this.sink.wait(f.id, site, f.ts, t, rejected);
    return t;
  }

  /** `for await (x of it)`: wraps the iterable so each step is a suspend/resume of the frame. */
  fa(f: Frame, k: number, iterable: unknown): unknown {
    return forAwait(this, f, k, iterable);
  }
}

/**
 * The frames that suspended and have not exited, as a list threaded through the frames themselves: adding and
 * removing is four field writes, where a `Set` hashes every frame (half a million times for a million awaits).
 * Iterated only off the hot path (hang scans, the exit report).
 */
export class LiveFrames {
  private head: Frame | null = null;
  size = 0;

  add(f: Frame): void {
    f.prev = null;
    f.next = this.head;
    if (this.head !== null) this.head.prev = f;
    this.head = f;
    this.size++;
  }

  delete(f: Frame): void {
    if (f.prev !== null) f.prev.next = f.next;
    else if (this.head === f) this.head = f.next;
    else return;
    if (f.next !== null) f.next.prev = f.prev;
    f.prev = null;
    f.next = null;
    this.size--;
  }

  /** Oldest first, as a Set would iterate (the list keeps the newest at its head). */
  *[Symbol.iterator](): IterableIterator<Frame> {
    const frames: Frame[] = [];
    for (let f = this.head; f !== null; f = f.next) frames.push(f);
    for (let i = frames.length - 1; i >= 0; i--) yield frames[i]!;
  }
}

/**
 * The iterable of a `for await`: the same iteration, with a suspension marked before each step. The step's own
 * promise goes back to the loop untouched, so the loop resumes on exactly the microtask it would have; the
 * instrumentation marks the resumption at the start of the body and after the loop.
 */
function forAwait(rec: Recorder, f: Frame, k: number, iterable: unknown): unknown {
  if (iterable === null || iterable === undefined) return iterable;
  const source = iterable as Record<symbol, unknown>;
  const asyncMethod = source[Symbol.asyncIterator];
  const isAsync = typeof asyncMethod === 'function';
  const method = isAsync ? asyncMethod : source[Symbol.iterator];
  if (typeof method !== 'function') return iterable;
  const open = (): Iterator<unknown> => {
    const it = (method as (this: unknown) => Iterator<unknown>).call(iterable);
    const wrapped: Iterator<unknown> = {
      next: (...args: [] | [unknown]) => {
        rec.s(f, k, undefined);
        return it.next(...args);
      },
    };
    if (typeof it.return === 'function') {
      wrapped.return = (value?: unknown) => {
        rec.s(f, k, undefined);
        return it.return!(value);
      };
    }
    if (typeof it.throw === 'function') wrapped.throw = (error?: unknown) => it.throw!(error);
    return wrapped;
  };
  return isAsync ? { [Symbol.asyncIterator]: open } : { [Symbol.iterator]: open };
}

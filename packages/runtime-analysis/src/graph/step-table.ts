/**
 * The steps of a simulation graph as struct-of-arrays: one entry per step in typed arrays indexed by a global
 * step number, with a frame's calls, awaited frames and leaf operations in CSR form (`xStart[g]..xStart[g + 1]`).
 * Frames are referred to by their dense index in the graph; sites and resource keys by index into string tables.
 * A trace of a million awaits is a few dozen typed arrays instead of millions of small objects.
 */
export interface StepTable {
  readonly count: number;
  /** STEP_CPU, STEP_WAIT, or STEP_CPU | STEP_OFFLOADED. */
  readonly kind: Uint8Array;
  /** CPU steps: duration; wait steps: the gap between the last awaited frame's end and the resumption. */
  readonly ms: Float64Array;
  /** CPU steps: the recorded segment index they stand for, and the dense index of its frame (-1: none). */
  readonly originSegment: Int32Array;
  readonly originFrame: Int32Array;
  /** Wait steps: index among the recorded frame's awaits (-1: created by a rewrite), and site index (-1: none). */
  readonly awaitIndex: Int32Array;
  readonly site: Int32Array;
  readonly callStart: Int32Array;
  /** Dense frame index of each call (-1: a frame not in the graph). */
  readonly callFrame: Int32Array;
  readonly callAt: Float64Array;
  readonly callDetached: Uint8Array;
  readonly waitStart: Int32Array;
  /** Dense frame index of each awaited frame (-1: not in the graph). */
  readonly waitsOn: Int32Array;
  readonly leafStart: Int32Array;
  /** Local step index (in the same frame) at whose end the leaf operation starts. */
  readonly leafFrom: Int32Array;
  readonly leafMs: Float64Array;
  /** NaN: no due time. */
  readonly leafDue: Float64Array;
  readonly leafResourceStart: Int32Array;
  /** Index into the graph's resource keys. */
  readonly leafResource: Int32Array;
}

export const STEP_CPU = 1;
export const STEP_WAIT = 2;
export const STEP_OFFLOADED = 4;

// One class per element type: a generic one makes every push a polymorphic access.
class GrowF64 {
  length = 0;
  private data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  /** The values at their exact size (a grown buffer keeps up to half of it spare). */
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

class GrowI32 {
  length = 0;
  private data: Int32Array;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  /** The values at their exact size (a grown buffer keeps up to half of it spare). */
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class GrowU8 {
  length = 0;
  private data: Uint8Array;
  constructor(capacity: number) {
    this.data = new Uint8Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  /** The values at their exact size (a grown buffer keeps up to half of it spare). */
  done(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

const f64 = (n = 256) => new GrowF64(n);
const i32 = (n = 256) => new GrowI32(n);
const u8 = (n = 256) => new GrowU8(n);

/** String tables shared by a graph and its rewrites: a site or resource key is an index into them. */
export class Interner<T> {
  readonly list: T[] = [];
  private readonly index = new Map<T, number>();
  constructor(initial: readonly T[] = []) {
    for (const value of initial) this.of(value);
  }
  of(value: T): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/** Appends steps in order; a step's calls, awaited frames and leaves are added right after the step itself. */
export class StepTableBuilder {
  private readonly kind = u8(1024);
  private readonly ms = f64(1024);
  private readonly originSegment = i32(1024);
  private readonly originFrame = i32(1024);
  private readonly awaitIndex = i32(1024);
  private readonly site = i32(1024);
  private readonly callStart = i32(1024);
  private readonly callFrame = i32();
  private readonly callAt = f64();
  private readonly callDetached = u8();
  private readonly waitStart = i32(1024);
  private readonly waitsOn = i32();
  private readonly leafStart = i32(1024);
  private readonly leafFrom = i32();
  private readonly leafMs = f64();
  private readonly leafDue = f64();
  private readonly leafResourceStart = i32();
  private readonly leafResource = i32();

  get count(): number {
    return this.kind.length;
  }

  private step(kind: number, ms: number, originFrame: number, originSegment: number, awaitIndex: number, site: number): void {
    this.kind.push(kind);
    this.ms.push(ms);
    this.originFrame.push(originFrame);
    this.originSegment.push(originSegment);
    this.awaitIndex.push(awaitIndex);
    this.site.push(site);
    this.callStart.push(this.callFrame.length);
    this.waitStart.push(this.waitsOn.length);
    this.leafStart.push(this.leafFrom.length);
  }

  cpu(ms: number, originFrame: number, originSegment: number, offloaded = false): void {
    this.step(offloaded ? STEP_CPU | STEP_OFFLOADED : STEP_CPU, ms, originFrame, originSegment, -1, -1);
  }

  call(frame: number, at: number, detached = false): void {
    this.callFrame.push(frame);
    this.callAt.push(at);
    this.callDetached.push(detached ? 1 : 0);
  }

  wait(awaitIndex: number, site: number, gapMs: number): void {
    this.step(STEP_WAIT, gapMs, -1, -1, awaitIndex, site);
  }

  waitOn(frame: number): void {
    this.waitsOn.push(frame);
  }

  leaf(from: number, ms: number, due: number | undefined): void {
    this.leafFrom.push(from);
    this.leafMs.push(ms);
    this.leafDue.push(due === undefined ? NaN : due);
    this.leafResourceStart.push(this.leafResource.length);
  }

  leafResourceKey(key: number): void {
    this.leafResource.push(key);
  }

  done(): StepTable {
    this.callStart.push(this.callFrame.length);
    this.waitStart.push(this.waitsOn.length);
    this.leafStart.push(this.leafFrom.length);
    this.leafResourceStart.push(this.leafResource.length);
    return {
      count: this.kind.length,
      kind: this.kind.done(),
      ms: this.ms.done(),
      originSegment: this.originSegment.done(),
      originFrame: this.originFrame.done(),
      awaitIndex: this.awaitIndex.done(),
      site: this.site.done(),
      callStart: this.callStart.done(),
      callFrame: this.callFrame.done(),
      callAt: this.callAt.done(),
      callDetached: this.callDetached.done(),
      waitStart: this.waitStart.done(),
      waitsOn: this.waitsOn.done(),
      leafStart: this.leafStart.done(),
      leafFrom: this.leafFrom.done(),
      leafMs: this.leafMs.done(),
      leafDue: this.leafDue.done(),
      leafResourceStart: this.leafResourceStart.done(),
      leafResource: this.leafResource.done(),
    };
  }
}


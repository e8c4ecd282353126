import type { Await, CpuCharge, CpuSegment, FlameNode, Frame, Part, Site } from './model.js';

/**
 * The hot part of a trace's model as columns: frames, awaits and CPU segments in typed arrays (times in ms, `NaN`
 * for "not ended"), each kind indexed by a dense number in the order the reader met them. A trace of a million
 * awaits holds a few typed arrays here instead of millions of objects with boxed numbers.
 *
 * `Frame`, `Await` and `CpuSegment` objects of a `Part` read their fields from these columns (`FrameRecord`,
 * `AwaitRecord`, `SegmentRecord`: a reference and an index each), so the object model stays the public API while
 * code that walks every event (the audit's graph builder) reads the columns directly through `partColumns`.
 */
export interface FrameColumns {
  readonly count: number;
  readonly id: Float64Array;
  readonly site: readonly Site[];
  /** Parent id; NaN: none. */
  readonly parent: Float64Array;
  readonly parentSegment: Float64Array;
  readonly root: Float64Array;
  readonly start: Float64Array;
  /** NaN: never finished. */
  readonly end: Float64Array;
  readonly threw: Uint8Array;
}

export interface AwaitColumns {
  readonly count: number;
  /** The frame id the record named, and that frame's dense index (-1: a frame the trace never announced). */
  readonly frame: Float64Array;
  readonly frameIndex: Int32Array;
  readonly site: readonly Site[];
  readonly index: Int32Array;
  readonly start: Float64Array;
  /** NaN: still pending. */
  readonly end: Float64Array;
  readonly rejected: Uint8Array;
}

export interface SegmentColumns {
  readonly count: number;
  /** Frame id and dense frame index of each segment; segments are stored frame by frame, as `Part.cpu` lists them. */
  readonly frame: Float64Array;
  readonly frameIndex: Int32Array;
  readonly index: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly self: Float64Array;
}

export interface PartColumns {
  readonly frames: FrameColumns;
  readonly awaits: AwaitColumns;
  readonly segments: SegmentColumns;
  /**
   * True when `Part.frames` lists exactly the frame columns in column order (no frame id announced twice): then
   * dense frame index f is the f-th frame of `part.frames.values()`.
   */
  readonly dense: boolean;
}

const columnsOf = new WeakMap<Part, PartColumns>();

/** The columns behind a part read from a trace file, or undefined for a part built some other way (tests). */
export function partColumns(part: Part): PartColumns | undefined {
  return columnsOf.get(part);
}

export function setPartColumns(part: Part, columns: PartColumns): void {
  columnsOf.set(part, columns);
}

/** Shared empty list for frames and awaits without children, awaits, calls or resources (most have none). */
export const NONE: never[] = [];

export class FrameRecord implements Frame {
  readonly #c: FrameColumns;
  readonly #i: number;
  children: number[] = NONE;
  awaits: Await[] = NONE;
  segments: CpuSegment[] = NONE;
  constructor(columns: FrameColumns, index: number) {
    this.#c = columns;
    this.#i = index;
  }
  /** The frame's dense index in its part's frame columns. */
  static indexOf(frame: FrameRecord): number {
    return frame.#i;
  }
  get id(): number {
    return this.#c.id[this.#i]!;
  }
  get site(): Site {
    return this.#c.site[this.#i]!;
  }
  get parent(): number | null {
    const p = this.#c.parent[this.#i]!;
    return p !== p ? null : p;
  }
  get parentSegment(): number {
    return this.#c.parentSegment[this.#i]!;
  }
  get root(): number {
    return this.#c.root[this.#i]!;
  }
  get start(): number {
    return this.#c.start[this.#i]!;
  }
  get end(): number | null {
    const e = this.#c.end[this.#i]!;
    return e !== e ? null : e;
  }
  get threw(): boolean {
    return this.#c.threw[this.#i] === 1;
  }
}

export class AwaitRecord implements Await {
  readonly #c: AwaitColumns;
  readonly #i: number;
  calls: number[] = NONE;
  resources: number[] = NONE;
  constructor(columns: AwaitColumns, index: number) {
    this.#c = columns;
    this.#i = index;
  }
  get frame(): number {
    return this.#c.frame[this.#i]!;
  }
  get site(): Site {
    return this.#c.site[this.#i]!;
  }
  get index(): number {
    return this.#c.index[this.#i]!;
  }
  get start(): number {
    return this.#c.start[this.#i]!;
  }
  get end(): number | null {
    const e = this.#c.end[this.#i]!;
    return e !== e ? null : e;
  }
  get rejected(): boolean {
    return this.#c.rejected[this.#i] === 1;
  }
}

export class SegmentRecord implements CpuSegment {
  readonly #c: SegmentColumns;
  readonly #i: number;
  declare profile?: CpuCharge[];
  declare flame?: FlameNode;
  constructor(columns: SegmentColumns, index: number) {
    this.#c = columns;
    this.#i = index;
  }
  get frame(): number {
    return this.#c.frame[this.#i]!;
  }
  get index(): number {
    return this.#c.index[this.#i]!;
  }
  get start(): number {
    return this.#c.start[this.#i]!;
  }
  get end(): number {
    return this.#c.end[this.#i]!;
  }
  get self(): number {
    return this.#c.self[this.#i]!;
  }
}

// Growable columns, one class per element type (a generic one makes every push a polymorphic access).
export class GrowF64 {
  length = 0;
  data: Float64Array;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
  private grow(): void {
    const next = new Float64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  /** The values at their exact size. */
  done(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

export class GrowI32 {
  length = 0;
  data: Int32Array;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
  private grow(): void {
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  done(): Int32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

export class GrowU8 {
  length = 0;
  data: Uint8Array;
  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
  private grow(): void {
    const next = new Uint8Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  done(): Uint8Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

/** Site kinds as they are encoded in the table the instrumented module hands to the runtime. */
export const SITE_KIND_CODE = { fn: 0, await: 1, 'for-await': 2, module: 3 } as const;

/** One await site or function in the loaded source, with its original location (1-based line and column). */
export interface SiteInfo {
  kind: keyof typeof SITE_KIND_CODE;
  /** Offset in the loaded (generated) source. */
  offset: number;
  name: string;
  file: string;
  line: number;
  column: number;
}

/** Offsets -> 1-based line and 0-based column in the loaded source. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  locate(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! };
  }
}

import { rootSpan } from '@overlap/runtime-analysis';
import type { SourcePoint } from '@overlap/runtime-analysis';
import type { Trace } from '@overlap/tracer';

/** A root in a few words, the same in every run of a program: `process` or `GET /page`. */
function label(kind: 'process' | 'http', detail: string): string {
  return kind === 'http' ? detail : 'process';
}

/** Labels of the roots in which any of the sites ran (awaited). */
export function rootsRunning(trace: Trace, sites: readonly SourcePoint[]): Set<string> {
  const wanted = new Set(sites.map((s) => `${s.file}:${s.line}`));
  const labels = new Set<string>();
  for (const part of trace.parts) {
    for (const a of part.awaits) {
      if (!wanted.has(`${a.site.file}:${a.site.line}`)) continue;
      const frame = part.frames.get(a.frame);
      const root = frame ? part.roots.get(frame.root) : undefined;
      if (root) labels.add(label(root.kind, root.detail));
    }
  }
  return labels;
}

/** Durations (ms) of the roots with these labels, as the runtime analysis measures roots. */
export function rootDurations(trace: Trace, labels: ReadonlySet<string>): number[] {
  const out: number[] = [];
  for (const part of trace.parts) {
    for (const root of part.roots.values()) {
      if (!labels.has(label(root.kind, root.detail))) continue;
      const span = rootSpan(part, root.id);
      if (span) out.push(span.end - span.start);
    }
  }
  return out;
}

/** Mean of the finite values; NaN when there are none (a run that recorded no such root). */
export function mean(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? NaN : finite.reduce((s, v) => s + v, 0) / finite.length;
}

import { fileURLToPath } from 'node:url';
import type { CpuCharge, CpuProfileSummary, CpuSegment, FlameNode, Frame } from './model.js';

type NodeRow = [id: number, parent: number, name: string, url: string, line: number, column: number];

interface ProfileRecord {
  nodes?: unknown;
  samples?: unknown;
  intervalUs?: unknown;
}

const SELF = '(self)';

/** This package's folder: frames of the tracer's own hooks in a sampled stack are left out of flame trees. */
const TRACER_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function pathOf(url: string): string {
  if (!url.startsWith('file:')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/**
 * Charges the profile's samples to the CPU segments they fell in (times in µs on the part's clock, segments in ms
 * on the same clock). In each sample's stack, the segment's own function is the deepest frame in the segment's
 * file with the segment's function name (or, for a callback V8 names differently, the outermost frame in that
 * file); the frame it called is what the sample is charged to, `(self)` when the sample is in the function itself.
 * So two 150 ms `render()` calls in one segment read as `render` 300 ms, not as the caller's own time.
 */
export function chargeProfile(record: ProfileRecord, frames: Map<number, Frame>, cpu: CpuSegment[]): CpuProfileSummary | null {
  if (!Array.isArray(record.nodes) || !Array.isArray(record.samples)) return null;
  const nodes = new Map<number, { parent: number; name: string; file: string; line: number }>();
  for (const row of record.nodes as NodeRow[]) {
    if (!Array.isArray(row)) continue;
    nodes.set(row[0], { parent: row[1], name: row[2], file: pathOf(row[3]), line: row[4] });
  }
  const intervalMs = (typeof record.intervalUs === 'number' ? record.intervalUs : 1000) / 1000;
  const samples = record.samples as number[];
  // Equal starts: a callee entered at its caller's clock read (the tracer shares one read across a known call)
  // starts when the caller does; the later frame is the callee, so it sorts last and is found first.
  const sorted = [...cpu].sort((a, b) => a.start - b.start || a.frame - b.frame);
  const charges = new Map<CpuSegment, Map<string, CpuCharge>>();
  let count = 0;
  let inSegments = 0;
  for (let i = 0; i + 1 < samples.length; i += 2) {
    const node = nodes.get(samples[i]!);
    if (!node || node.name === '(idle)' || node.name === '(program)' || node.name === '(garbage collector)') continue;
    count++;
    const ms = samples[i + 1]! / 1000;
    const segment = innermostAt(sorted, ms);
    if (!segment) continue;
    inSegments++;
    const site = frames.get(segment.frame)?.site;
    if (!site) continue;
    // Stack from the sampled function (leaf) to the root.
    const stack: { name: string; file: string; line: number }[] = [];
    for (let id = samples[i]!, n = nodes.get(id); n !== undefined && stack.length < 512; id = n.parent, n = nodes.get(id)) {
      if (n.name !== '(root)') stack.push(n);
    }
    let own = -1;
    for (let k = 0; k < stack.length; k++) {
      if (stack[k]!.file === site.file && stack[k]!.name === site.name) {
        own = k;
        break;
      }
    }
    if (own < 0) for (let k = stack.length - 1; k >= 0; k--) if (stack[k]!.file === site.file) {
      own = k;
      break;
    }
    const callee = own > 0 ? stack[own - 1]! : undefined;
    const name = own < 0 ? SELF : callee ? callee.name || '(anonymous)' : SELF;
    const key = callee ? `${name}\u0000${callee.file}\u0000${callee.line}` : SELF;
    let bySegment = charges.get(segment);
    if (!bySegment) charges.set(segment, (bySegment = new Map()));
    let charge = bySegment.get(key);
    if (!charge) {
      charge = { name, file: callee?.file ?? site.file, line: callee?.line ?? site.line, ms: 0, samples: 0 };
      bySegment.set(key, charge);
    }
    charge.samples++;
    addToFlame(segment, site, stack, own);
  }
  // A loaded machine drops ticks: split the segment's measured duration by the share of its samples instead.
  for (const [segment, bySegment] of charges) {
    const list = [...bySegment.values()];
    const total = list.reduce((sum, c) => sum + c.samples, 0);
    for (const charge of list) charge.ms = ((segment.end - segment.start) * charge.samples) / total;
    segment.profile = list.sort((a, b) => b.ms - a.ms);
  }
  return { intervalMs, samples: count, inSegments };
}

/** The innermost segment running at `ms`: among the segments containing it, the one that started last (of equal starts, the later frame). */
function innermostAt(sorted: CpuSegment[], ms: number): CpuSegment | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start <= ms) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo - 1, steps = 0; k >= 0 && steps < 256; k--, steps++) {
    const segment = sorted[k]!;
    if (segment.end >= ms) return segment;
  }
  return undefined;
}

/**
 * Adds one sample's stack to the segment's flame tree: from the segment's own function (the root) down to the
 * sampled leaf. A sample outside the segment's function (own < 0) counts as the root's own time. The tracer's own
 * frames (the hooks instrumented code calls) are skipped: what they called hangs under the frame that called them.
 */
function addToFlame(segment: CpuSegment, site: { name: string; file: string; line: number }, stack: readonly { name: string; file: string; line: number }[], own: number): void {
  let node = (segment.flame ??= { name: site.name || '(anonymous)', file: site.file, line: site.line, samples: 0, children: [] });
  node.samples++;
  for (let k = own - 1; k >= 0; k--) {
    const frame = stack[k]!;
    if (frame.file.startsWith(TRACER_ROOT)) continue;
    const name = frame.name || '(anonymous)';
    let child = node.children.find((c) => c.name === name && c.file === frame.file && c.line === frame.line);
    if (!child) node.children.push((child = { name, file: frame.file, line: frame.line, samples: 0, children: [] }));
    child.samples++;
    node = child;
  }
}

import type { Part } from '@overlap/tracer';
import { timelineFrame } from '../graph/root-timeline.js';
import { framesOfRoots, type SimFrame, type SimGraph } from '../graph/sim-graph.js';
import type { RootTimeline, TimelineFrame, TimelineItem } from '../model.js';
import type { Schedule } from './simulate.js';

const MIN_ITEM_MS = 0.05;

/**
 * A root's timeline as a replay placed it: the schedule a rewrite gives, for drawing over the recorded one. CPU
 * steps start where the replay ran them; a wait lasts from the end of the CPU step before it to the start of the
 * one after it (or the frame's end). Frames a rewrite created (each await of a schedule started on its own) take
 * the name of the function they belong to.
 */
export function replayedTimeline(part: Part, graph: SimGraph, schedule: Schedule, rootId: number, rootFrames?: readonly SimFrame[]): RootTimeline | null {
  const span = graph.roots.get(rootId);
  const end = schedule.rootEnds.get(rootId);
  if (!span || end === undefined) return null;
  const frames: TimelineFrame[] = [];
  const items: TimelineItem[] = [];
  const owner = (id: number): TimelineFrame | null => {
    for (let f = graph.frames.get(id); f; f = f.parent === null ? undefined : graph.frames.get(f.parent)) {
      const recorded = part.frames.get(f.id);
      if (recorded) return timelineFrame(part, recorded);
    }
    return null;
  };
  for (const frame of rootFrames ?? graph.frames.values()) {
    if (frame.root !== rootId) continue;
    const own = owner(frame.id);
    if (!own) continue;
    frames.push(frame.id === own.id ? own : { ...own, id: frame.id, parent: frame.parent, calledAt: null });
    const frameEnd = schedule.frameEnds.get(frame.id);
    frame.steps.forEach((step, i) => {
      if (step.kind === 'cpu') {
        const at = schedule.stepStart(frame.id, i);
        if (at === undefined || step.ms < MIN_ITEM_MS) return;
        items.push({ frame: frame.id, kind: 'cpu', file: own.file, line: own.line, name: own.name, start: at - span.start, ms: step.ms });
        return;
      }
      const before = frame.steps[i - 1];
      const from = before && before.kind === 'cpu' ? schedule.stepStart(frame.id, i - 1) : undefined;
      if (from === undefined || !before || before.kind !== 'cpu') return;
      const waitStart = from + before.ms;
      const resumed = schedule.stepStart(frame.id, i + 1) ?? frameEnd;
      if (resumed === undefined || resumed - waitStart < MIN_ITEM_MS) return;
      items.push({
        frame: frame.id,
        kind: 'wait',
        file: step.site?.file ?? own.file,
        line: step.site?.line ?? own.line,
        name: step.site ? step.site.name : '(its dependencies)',
        start: waitStart - span.start,
        ms: resumed - waitStart,
      });
    });
  }
  items.sort((a, b) => a.start - b.start);
  return { part: part.key, root: rootId, totalMs: end - span.start, frames, items };
}

/** The rewritten timelines of the shown roots a rewrite changed (none unless the report asked for timelines). */
export function rewrittenTimelines(prepared: { readonly part: Part; readonly shown?: ReadonlySet<number> }, graph: SimGraph, schedule: Schedule, affected: ReadonlySet<number> | undefined): RootTimeline[] {
  if (!prepared.shown || !affected) return [];
  const wanted = [...prepared.shown].filter((root) => affected.has(root));
  if (wanted.length === 0) return [];
  // One pass over the graph for all of them: a server's graph has a million frames, a report shows a hundred roots.
  const byRoot = framesOfRoots(graph, new Set(wanted));
  return wanted.flatMap((root) => replayedTimeline(prepared.part, graph, schedule, root, byRoot.get(root)) ?? []);
}

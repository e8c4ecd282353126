import type { Frame, Part, Site } from '@overlap/tracer';
import type { StaticGroup } from '../model.js';

/** One execution of a static group in one frame: the frame's await indexes, one per group member that ran. */
export interface GroupInstance {
  readonly frame: Frame;
  /** Await indexes in the frame, by member position (undefined: that member did not run in this instance). */
  readonly members: readonly (number | undefined)[];
}

/** A loop that ran in one frame: the await indexes of each iteration. */
export interface LoopInstance {
  readonly frame: Frame;
  readonly iterations: readonly (readonly number[])[];
}

/** Which member of the group a trace site is, or -1. Lines join; columns break ties on shared lines. */
export function memberOf(site: Site, group: StaticGroup): number {
  if (site.kind !== 'await' && site.kind !== 'for-await') return -1;
  if (site.file !== group.file) return -1;
  const onLine = group.awaits.flatMap((a, i) => (a.line === site.line ? [i] : []));
  if (onLine.length <= 1) return onLine[0] ?? -1;
  const exact = onLine.find((i) => group.awaits[i]!.column === site.column);
  return exact ?? onLine[0]!;
}

/** `memberOf` for one group, once per site of a part (ids are per part): a part has a few hundred sites and millions of awaits. */
function memberCache(group: StaticGroup): (site: Site) => number {
  const bySite = new Map<number, number>();
  return (site) => {
    let m = bySite.get(site.id);
    if (m === undefined) {
      m = memberOf(site, group);
      bySite.set(site.id, m);
    }
    return m;
  };
}

/** Frames of a part that ran one of the group's awaits, split into instances (a member repeating starts one). */
export function groupInstances(part: Part, group: StaticGroup): GroupInstance[] {
  const out: GroupInstance[] = [];
  const member = memberCache(group);
  for (const frame of part.frames.values()) {
    let current: (number | undefined)[] | null = null;
    frame.awaits.forEach((a, index) => {
      const m = member(a.site);
      if (m < 0) return;
      if (!current || current[m] !== undefined) {
        if (current) out.push({ frame, members: current });
        current = new Array<number | undefined>(group.awaits.length).fill(undefined);
      }
      current[m] = index;
    });
    if (current) out.push({ frame, members: current });
  }
  return out;
}

/** Runs of a frame's awaits at the loop's sites, split into iterations where the source order goes back. */
export function loopInstances(part: Part, group: StaticGroup): LoopInstance[] {
  const out: LoopInstance[] = [];
  const member = memberCache(group);
  for (const frame of part.frames.values()) {
    let iterations: number[][] = [];
    let previous = -1;
    const close = () => {
      if (iterations.length >= 2) out.push({ frame, iterations });
      iterations = [];
      previous = -1;
    };
    frame.awaits.forEach((a, index) => {
      const m = member(a.site);
      if (m < 0) {
        close();
        return;
      }
      if (a.end === null) return;
      if (m <= previous || iterations.length === 0) iterations.push([]);
      iterations[iterations.length - 1]!.push(index);
      previous = m;
    });
    close();
  }
  return out;
}

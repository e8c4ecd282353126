import type { Session as InspectorSession } from 'node:inspector';
import { nowUs } from './recorder.js';

/** Sampling interval of the opt-in CPU profile: 1 ms keeps a long run's profile small and still sees a 5 ms step. */
const INTERVAL_US = 1000;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Opt-in (`OVERLAP_TRACE_CPU_PROFILE=1`, `runTraced({ cpuProfile: true })`): V8's sampling profiler through an
 * in-thread inspector session, started now and stopped synchronously at exit. Returns the line to append to the
 * trace at exit (a `profile` record on the part's own clock), or undefined if the profiler cannot run.
 */
export async function startCpuProfile(): Promise<(() => string | undefined) | undefined> {
  // process.getBuiltinModule, not import(): the register bundle maps built-ins to their used names only
  const { Session } = process.getBuiltinModule('node:inspector') as typeof import('node:inspector');
  const session: InspectorSession = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
  session.post('Profiler.start');
  // V8 stamps samples with its monotonic clock in µs, the clock process.hrtime reads: map them onto the trace's.
  const offset = Number(process.hrtime.bigint() / 1000n) - nowUs();
  return () => {
    let profile: Profile | undefined;
    // An in-thread session answers synchronously, so this works inside the 'exit' event.
    session.post('Profiler.stop', (error, result) => {
      if (!error) profile = (result as { profile: Profile }).profile;
    });
    session.disconnect();
    return profile ? profileLine(profile, offset) : undefined;
  };
}

/** Compact form: nodes as [id, parent, name, url, line, column] (1-based line), samples as [node, time µs] pairs. */
function profileLine(profile: Profile, offset: number): string {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nodes = profile.nodes.map((n) => [n.id, parent.get(n.id) ?? 0, n.callFrame.functionName, n.callFrame.url, n.callFrame.lineNumber + 1, n.callFrame.columnNumber + 1]);
  const samples: number[] = [];
  let t = profile.startTime - offset;
  const ids = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < ids.length; i++) {
    t += deltas[i] ?? 0;
    samples.push(ids[i]!, Math.round(t));
  }
  return JSON.stringify({ nodes, samples, intervalUs: INTERVAL_US });
}

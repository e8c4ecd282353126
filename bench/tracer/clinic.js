/**
 * Clinic.js Bubbleprof as a third comparison, only where it runs on this Node. It is not a dependency of the
 * project (unmaintained, no release since 2023, hundreds of transitive packages); this reports what a check on
 * our Node found, and whether a copy happens to be installed.
 */
import { resolveFromRoot } from '../lib/paths.js';

/** What the check found (2026-11-21, Node 20.20.2, @clinic/bubbleprof 10.0.0 installed into a scratch folder). */
export const clinicFinding =
  'checked by hand on Node 20.20.2 with @clinic/bubbleprof 10.0.0 (not a project dependency): collection runs, but on the ' +
  '100k-await workload the program took 19.7 s instead of 0.05 s (about 400x), its heap grew by 150 MB and it wrote ' +
  '152 MB of trace (about 1.5 KB per await); the collector then failed with "premature close" while joining its trace, ' +
  'so no report could be made. Under HTTP load it would not give comparable figures; the async_hooks row stands in for it.';

export async function clinicStatus() {
  try {
    resolveFromRoot('@clinic/bubbleprof/package.json');
    return `installed at the root, but not measured: ${clinicFinding}`;
  } catch {
    return clinicFinding;
  }
}

/**
 * `node --import @overlap/tracer/register app.js`: traces this process (and, through NODE_OPTIONS, its
 * children and workers). The output file is OVERLAP_TRACE_OUT (default ./overlap-trace.ndjson).
 */
import { startTracer } from './runtime/start.js';

try {
  await startTracer(import.meta.url);
} catch {
  // the tracer must never stop the program from starting
}

import { nowUs, type Frame, type Recorder } from './recorder.js';

/** A wait is a hang once it is this far past its site's usual time (and at least MIN_US long). */
const FACTOR = 10;
const MIN_US = 1_000_000;
/** Sites with fewer settled waits than this have no "usual time": only waits over FIRST_US count. */
const MIN_SAMPLES = 3;
const FIRST_US = 5_000_000;

/**
 * Returns a scan that records each await pending far longer than its site usually takes, once, with the
 * chain of frames waiting on it (the frame, its caller, ...). Runs on the flush timer, never on the hot path.
 */
export function watchHangs(rec: Recorder): () => void {
  return () => {
    if (!rec.on) return;
    const now = nowUs();
    for (const f of rec.live) {
      if (f.pend < 0 || f.hung === f.seg) continue;
      const waited = now - f.ts;
      const count = rec.waitCount[f.pend] ?? 0;
      const limit = count >= MIN_SAMPLES ? Math.max(MIN_US, (FACTOR * (rec.waitTotal[f.pend] ?? 0)) / count) : FIRST_US;
      if (waited < limit) continue;
      f.hung = f.seg;
      rec.sink.line(`["H",${f.id},${f.pend},${f.ts},${now},[${chain(f).join(',')}]]\n`);
    }
  };
}

function chain(f: Frame): number[] {
  const ids: number[] = [];
  for (let p: Frame | null = f; p !== null && ids.length < 64; p = p.parent) ids.push(p.id);
  return ids;
}

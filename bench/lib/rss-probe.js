/**
 * Preloaded into measured child processes (`node --import <this file> ...`): at exit, writes the process's
 * peak resident set size and CPU time to BENCH_PROBE_OUT. Worker threads share the process, so maxRSS covers
 * them; only the main thread writes.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.BENCH_PROBE_OUT;
if (isMainThread && out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    try {
      writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
    } catch {
      // a probe must never change how the measured program ends
    }
  });
}

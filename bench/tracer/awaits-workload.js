/**
 * A promise-heavy micro workload: `node awaits-workload.js <awaits> <sample>` runs that many awaits in user code
 * (two per iteration: the loop awaits `step`, `step` awaits `leaf`) and prints one JSON line: wall time of the
 * loop and its CPU time (user + system: steadier than wall time on a shared machine), heap and RSS before and after. With `sample` = 1 (needs --expose-gc) it also collects garbage at every
 * tenth of the run and keeps the largest retained heap seen, to tell memory held from garbage not yet collected.
 */
const awaits = Number(process.argv[2] ?? 1_000_000);
const sample = process.argv[3] === '1';
const iterations = Math.ceil(awaits / 2);

async function leaf(i) {
  return i & 7;
}

async function step(i) {
  const value = await leaf(i);
  return value + 1;
}

async function run() {
  let sum = 0;
  const every = Math.ceil(iterations / 10);
  let peakHeap = 0;
  for (let i = 0; i < iterations; i++) {
    sum += await step(i);
    if (sample && i % every === every - 1) {
      globalThis.gc();
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
  }
  return { sum, peakHeap };
}

if (sample) globalThis.gc();
const before = process.memoryUsage();
const started = performance.now();
const cpuStart = process.cpuUsage();
const { sum, peakHeap } = await run();
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const unswept = process.memoryUsage().heapUsed;
if (sample) globalThis.gc();
const after = process.memoryUsage();
process.stdout.write(
  JSON.stringify({
    awaits: iterations * 2,
    sum,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    heapUnswept: unswept,
    peakRetainedHeap: peakHeap,
    rssBefore: before.rss,
    rssAfter: after.rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);

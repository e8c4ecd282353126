import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { FileAnalyzer, type AnalyzerSetup } from './analyze-file.js';
import type { FileOutcome } from './outcome.js';

export interface FileTask {
  readonly path: string;
  readonly unit: number;
}

export interface WorkerBatch {
  readonly id: number;
  readonly files: readonly FileTask[];
}

export interface WorkerResult {
  readonly id: number;
  readonly outcomes: readonly FileOutcome[];
}

export interface PoolOptions {
  /** 0 analyses in this thread; undefined chooses from the number of files and cores. */
  readonly threads?: number | undefined;
  readonly onProgress?: (done: number) => void;
  /** Each file's outcome as soon as it is known (in completion order, which workers do not keep). */
  readonly onOutcome?: (outcome: FileOutcome) => void;
}

/** Below this many files, a worker's start-up (loading the engine again) costs more than it saves. */
const inProcessBelow = 120;
/** Files a worker must have to pay for its start-up (about 0.2 s, a few dozen files' analysis). */
const filesPerWorker = 300;
const batchSize = 16;
/**
 * A young generation larger than V8's default (16 MB semi-spaces on 64-bit): a parsed tree is garbage once its file
 * is analysed, and a young generation that holds a few files' trees lets most of them die there instead of being
 * copied and promoted. Measured on issue 13's corpus (docs/benchmarks.md). Workers take it as a resource limit;
 * the main thread's heap is fixed when Node starts, which is why large runs analyse on a worker.
 */
const youngGenerationMb = 96;

/**
 * 0 (this thread) for small runs; otherwise one worker per idle core the files can keep busy, at least one (for its
 * young generation). Idle cores are the cores less the load average: on a busy machine a second worker only
 * competes with the first.
 */
export function chooseThreads(files: number, requested: number | undefined, cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  if (requested !== undefined) return requested;
  if (files < inProcessBelow) return 0;
  const idleCores = Math.floor(cores - load + 0.5);
  return Math.max(1, Math.min(idleCores, 8, Math.floor(files / filesPerWorker)));
}

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent. An analysis keeps
 * little alive (one file's tree, a bounded set of dependency trees and their summaries) and makes garbage fast, so
 * V8's own factor (up to 4x) let the heap reach 340 MB around 80 MB of live data on issue 13's corpus. 50% kept the
 * peak RSS of `--threads 0` at 300 MB instead of 515 MB, with no CPU cost seen (docs/benchmarks.md). The factor is
 * read at each collection, so setting it here applies to this thread and to workers started after it; it is one
 * V8 flag for the whole process, which is the CLI's.
 */
const heapGrowingPercent = 50;

/** Analyses files on a small pool of worker threads, or in this thread for small projects. Keeps input order. */
export async function analyzeFiles(setup: AnalyzerSetup, tasks: readonly FileTask[], options: PoolOptions = {}): Promise<FileOutcome[]> {
  const threads = chooseThreads(tasks.length, options.threads);
  if (tasks.length > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
  const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (threads === 0 || !existsSync(workerFile)) return analyzeInProcess(setup, tasks, options);
  return analyzeOnWorkers(setup, tasks, threads, workerFile, options);
}

async function analyzeInProcess(setup: AnalyzerSetup, tasks: readonly FileTask[], options: PoolOptions): Promise<FileOutcome[]> {
  const analyzer = new FileAnalyzer(setup);
  const outcomes: FileOutcome[] = [];
  for (const task of tasks) {
    const outcome = analyzer.analyze(task.path, task.unit);
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
    options.onProgress?.(outcomes.length);
    // Let a progress bar repaint and signals arrive on long runs.
    if (outcomes.length % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return outcomes;
}

function analyzeOnWorkers(
  setup: AnalyzerSetup,
  tasks: readonly FileTask[],
  threads: number,
  workerFile: string,
  options: PoolOptions,
): Promise<FileOutcome[]> {
  const batches: WorkerBatch[] = [];
  for (let start = 0; start < tasks.length; start += batchSize) {
    batches.push({ id: batches.length, files: tasks.slice(start, start + batchSize) });
  }
  const results: Array<readonly FileOutcome[] | undefined> = new Array(batches.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let finished = 0;

  return new Promise<FileOutcome[]>((resolve, reject) => {
    const stopAll = () => Promise.all(workers.map((worker) => worker.terminate()));
    const feed = (worker: Worker) => {
      const batch = batches[next++];
      if (batch) worker.postMessage(batch);
    };
    for (let index = 0; index < Math.min(threads, batches.length); index++) {
      const worker = new Worker(workerFile, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } });
      workers.push(worker);
      worker.on('message', (result: WorkerResult) => {
        results[result.id] = result.outcomes;
        for (const outcome of result.outcomes) options.onOutcome?.(outcome);
        done += result.outcomes.length;
        options.onProgress?.(done);
        if (++finished === batches.length) {
          void stopAll().then(() => resolve(results.flatMap((outcomes) => outcomes ?? [])));
        } else {
          feed(worker);
        }
      });
      worker.on('error', (error) => {
        void stopAll();
        reject(error);
      });
      feed(worker);
    }
  });
}

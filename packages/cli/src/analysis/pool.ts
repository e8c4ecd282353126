import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
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
}

/** Below this many files, starting workers (each loads the parser and TypeScript) costs more than it saves. */
const inProcessBelow = 120;
const batchSize = 16;

export function chooseThreads(files: number, requested: number | undefined): number {
  if (requested !== undefined) return requested;
  if (files < inProcessBelow) return 0;
  return Math.max(0, Math.min(availableParallelism(), 8, Math.ceil(files / (batchSize * 2))));
}

/** Analyses files on a small pool of worker threads, or in this thread for small projects. Keeps input order. */
export async function analyzeFiles(setup: AnalyzerSetup, tasks: readonly FileTask[], options: PoolOptions = {}): Promise<FileOutcome[]> {
  const threads = chooseThreads(tasks.length, options.threads);
  const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (threads === 0 || !existsSync(workerFile)) return analyzeInProcess(setup, tasks, options);
  return analyzeOnWorkers(setup, tasks, threads, workerFile, options);
}

async function analyzeInProcess(setup: AnalyzerSetup, tasks: readonly FileTask[], options: PoolOptions): Promise<FileOutcome[]> {
  const analyzer = new FileAnalyzer(setup);
  const outcomes: FileOutcome[] = [];
  for (const task of tasks) {
    outcomes.push(analyzer.analyze(task.path, task.unit));
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
      const worker = new Worker(workerFile, { workerData: setup });
      workers.push(worker);
      worker.on('message', (result: WorkerResult) => {
        results[result.id] = result.outcomes;
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

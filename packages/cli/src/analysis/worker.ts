import { parentPort, workerData } from 'node:worker_threads';
import { FileAnalyzer, type AnalyzerSetup } from './analyze-file.js';
import type { WorkerBatch, WorkerResult } from './pool.js';

// One analyzer per worker, so parsed dependencies are shared by every file this worker sees.
const analyzer = new FileAnalyzer(workerData as AnalyzerSetup);

parentPort?.on('message', (batch: WorkerBatch) => {
  const result: WorkerResult = { id: batch.id, outcomes: batch.files.map((file) => analyzer.analyze(file.path, file.unit)) };
  parentPort?.postMessage(result);
});

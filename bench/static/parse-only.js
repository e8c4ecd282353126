/**
 * The floor for static analysis: read every file and parse it with typescript-estree (the parser behind
 * @typescript-eslint/parser and `overlap check`), and nothing else. `node parse-only.js <list.json> <threads>`;
 * with threads > 0, files go in batches to that many worker threads, as `overlap check` does.
 * Prints `{ files, errors }` as JSON.
 */
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parse } from '@typescript-eslint/typescript-estree';

const batchSize = 16;

function parseOne(path) {
  const text = readFileSync(path, 'utf8');
  try {
    parse(text, { filePath: path, loc: true, range: true, comment: false, jsx: /\.[jt]sx$/u.test(path) });
    return 0;
  } catch {
    return 1;
  }
}

if (!isMainThread) {
  parentPort.on('message', (batch) => {
    let errors = 0;
    for (const path of batch) errors += parseOne(path);
    parentPort.postMessage({ files: batch.length, errors });
  });
} else {
  const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const threads = Number(process.argv[3] ?? 0);
  if (threads === 0) {
    let errors = 0;
    for (const path of files) errors += parseOne(path);
    process.stdout.write(JSON.stringify({ files: files.length, errors }) + '\n');
  } else {
    const batches = [];
    for (let start = 0; start < files.length; start += batchSize) batches.push(files.slice(start, start + batchSize));
    let next = 0;
    let done = 0;
    let errors = 0;
    const workers = [];
    await new Promise((resolve, reject) => {
      for (let index = 0; index < Math.min(threads, batches.length); index++) {
        const worker = new Worker(new URL(import.meta.url), { workerData: null });
        workers.push(worker);
        worker.on('error', reject);
        worker.on('message', (result) => {
          errors += result.errors;
          if (++done === batches.length) resolve();
          else if (next < batches.length) worker.postMessage(batches[next++]);
        });
        worker.postMessage(batches[next++]);
      }
    });
    await Promise.all(workers.map((worker) => worker.terminate()));
    process.stdout.write(JSON.stringify({ files: files.length, errors }) + '\n');
  }
}

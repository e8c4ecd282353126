/**
 * The floor for static analysis: read every file and parse it into an ESTree, and nothing else.
 * `node parse-only.js <list.json> <threads> [typescript-estree|oxc]`: typescript-estree is the parser behind
 * @typescript-eslint/parser; oxc (oxc-parser, native, its AST handed to JavaScript as JSON on Node 20) is the
 * fastest ESTree parse a JavaScript tool can get. With threads > 0, files go in batches to that many worker
 * threads, as `overlap check` does. Prints `{ files, errors }` as JSON.
 */
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const batchSize = 16;
const parserName = (isMainThread ? process.argv[4] : workerData?.parser) ?? 'typescript-estree';
const parseText = parserName === 'oxc' ? await oxcParser() : await typescriptEstree();

async function typescriptEstree() {
  const { parse } = await import('@typescript-eslint/typescript-estree');
  return (path, text) => parse(text, { filePath: path, loc: true, range: true, comment: false, jsx: /\.[jt]sx$/u.test(path) });
}

async function oxcParser() {
  const { parseSync } = await import('oxc-parser');
  return (path, text) => {
    const result = parseSync(path, text, { astType: 'ts', range: true, preserveParens: false });
    // The AST crosses from Rust as JSON and is materialised on first access: take it, as a linter would.
    if (!result.program || result.errors.length > 0) throw new Error(result.errors[0]?.message ?? 'no program');
  };
}

function parseOne(path) {
  const text = readFileSync(path, 'utf8');
  try {
    parseText(path, text);
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
        const worker = new Worker(new URL(import.meta.url), { workerData: { parser: parserName } });
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

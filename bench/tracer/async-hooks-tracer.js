/**
 * The comparison for the tracer benchmark: plain `async_hooks` instrumentation, the way tools before
 * AsyncLocalStorage recorded async causality (Clinic Bubbleprof works this way). Every async resource's
 * init (with its trigger and the context that created it), before, after and promise resolution is recorded
 * with a timestamp into a buffer that streams to BENCH_ASYNC_HOOKS_OUT, like our tracer's sink. It records
 * all promises of the process, not only user code: that is what createHook offers.
 * `node --import ./async-hooks-tracer.js app.js`.
 */
import { createHook, executionAsyncId } from 'node:async_hooks';
import { openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const fd = openSync(process.env.BENCH_ASYNC_HOOKS_OUT ?? 'async-hooks-trace.txt', 'w');
const limit = 256 * 1024;
let buffer = '';
const now = () => Math.floor(performance.now() * 1000);
const push = (line) => {
  buffer += line;
  // writeSync starts no async resource, so flushing inside a hook cannot recurse.
  if (buffer.length > limit) {
    writeSync(fd, buffer);
    buffer = '';
  }
};

createHook({
  init(asyncId, type, triggerAsyncId) {
    push(`I ${asyncId} ${type} ${triggerAsyncId} ${executionAsyncId()} ${now()}\n`);
  },
  before(asyncId) {
    push(`B ${asyncId} ${now()}\n`);
  },
  after(asyncId) {
    push(`A ${asyncId} ${now()}\n`);
  },
  promiseResolve(asyncId) {
    push(`R ${asyncId} ${now()}\n`);
  },
}).enable();

process.on('exit', () => writeSync(fd, buffer));

import type { AnyCheck } from '../engine/check.js';
import { preferConcurrentAwaits } from './prefer-concurrent-awaits.js';
import { preferConcurrentIteration } from './prefer-concurrent-iteration.js';
import { noStaleWriteAcrossAwait } from './no-stale-write-across-await.js';
import { noCheckThenActAcrossAwait } from './no-check-then-act-across-await.js';
import { noUnboundedConcurrency } from './no-unbounded-concurrency.js';
import { noBlockingInAsync } from './no-blocking-in-async.js';

/**
 * Every check, in rule-table order. One file per rule in this folder, named by its rule id.
 */
export const allChecks: readonly AnyCheck[] = [
  preferConcurrentAwaits,
  preferConcurrentIteration,
  noStaleWriteAcrossAwait,
  noCheckThenActAcrossAwait,
  noUnboundedConcurrency,
  noBlockingInAsync,
];

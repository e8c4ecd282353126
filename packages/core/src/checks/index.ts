import type { AnyCheck } from '../engine/check.js';
import { noStaleWriteAcrossAwait } from './no-stale-write-across-await.js';
import { noCheckThenActAcrossAwait } from './no-check-then-act-across-await.js';
import { noUnboundedConcurrency } from './no-unbounded-concurrency.js';
import { noBlockingInAsync } from './no-blocking-in-async.js';

/**
 * Every check, in rule-table order. One file per rule in this folder, named by its rule id.
 */
export const allChecks: readonly AnyCheck[] = [
  noStaleWriteAcrossAwait,
  noCheckThenActAcrossAwait,
  noUnboundedConcurrency,
  noBlockingInAsync,
];

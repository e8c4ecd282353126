import type { AnyCheck } from '../engine/check.js';

/**
 * Every check, in rule-table order. One file per rule in this folder, named by its rule id.
 */
export const allChecks: readonly AnyCheck[] = [];

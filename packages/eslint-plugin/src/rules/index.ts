import type { TSESLint } from '@typescript-eslint/utils';
import preferConcurrentAwaits from './prefer-concurrent-awaits.js';
import preferConcurrentIteration from './prefer-concurrent-iteration.js';
import noStaleWriteAcrossAwait from './no-stale-write-across-await.js';
import noCheckThenActAcrossAwait from './no-check-then-act-across-await.js';
import noUnboundedConcurrency from './no-unbounded-concurrency.js';
import noBlockingInAsync from './no-blocking-in-async.js';

/**
 * Every rule of the plugin by id (without the `overlap/` prefix). One file per rule in this folder, named by its
 * id, each a single `ruleFromCheck` call on the engine's check of the same name.
 */
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {
  'prefer-concurrent-awaits': preferConcurrentAwaits as unknown as TSESLint.RuleModule<string, readonly unknown[]>,
  'prefer-concurrent-iteration': preferConcurrentIteration as unknown as TSESLint.RuleModule<string, readonly unknown[]>,
  'no-stale-write-across-await': noStaleWriteAcrossAwait as unknown as TSESLint.RuleModule<string, readonly unknown[]>,
  'no-check-then-act-across-await': noCheckThenActAcrossAwait as unknown as TSESLint.RuleModule<string, readonly unknown[]>,
  'no-unbounded-concurrency': noUnboundedConcurrency as unknown as TSESLint.RuleModule<string, readonly unknown[]>,
  'no-blocking-in-async': noBlockingInAsync as unknown as TSESLint.RuleModule<string, readonly unknown[]>,
};

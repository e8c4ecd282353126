import { RuleTester, type RunTests } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { afterAll, describe, it } from 'vitest';

// RuleTester runs its cases through whatever test framework it is given; ours is vitest.
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

type RuleTesterConfig = ConstructorParameters<typeof RuleTester>[0];

/** Runs a rule's RuleTester suite under vitest. */
export function testRule<MessageId extends string, Options extends readonly unknown[]>(
  name: string,
  rule: TSESLint.RuleModule<MessageId, Options, unknown>,
  tests: RunTests<MessageId, Options>,
  config?: RuleTesterConfig,
): void {
  const ruleTester = new RuleTester(config);
  // The plugin may resolve its own copy of @typescript-eslint/utils: the rule's type differs only by that copy.
  type TestedRule = Parameters<typeof ruleTester.run<MessageId, Options>>[1];
  ruleTester.run(name, rule as unknown as TestedRule, tests);
}

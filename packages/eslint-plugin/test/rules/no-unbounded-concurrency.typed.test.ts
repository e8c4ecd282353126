import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import type { NoUnboundedConcurrencyMessageId as MessageId, NoUnboundedConcurrencyRuleOptions as Options } from '@overlap/core';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-unbounded-concurrency.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
// Starting the TypeScript project service takes seconds on a busy machine: give the first case room.
RuleTester.it = (name: string, fn: () => void) => it(name, fn, 120_000);
RuleTester.itOnly = (name: string, fn: () => void) => it.only(name, fn, 120_000);

/**
 * With type information a tuple's length is known even when the value is a parameter: the rule reads it from the
 * type. The file is virtual (the project service's default project); its name sits outside any test folder so the
 * rule does not treat it as test code.
 */
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const ruleTester = new RuleTester({
  languageOptions: {
    parserOptions: { projectService: { allowDefaultProject: ['*.ts'] }, tsconfigRootDir: packageRoot },
  },
});
type TestedRule = Parameters<typeof ruleTester.run<MessageId, Options>>[1];

ruleTester.run('no-unbounded-concurrency (typed)', rule as unknown as TestedRule, {
  valid: [
    {
      name: 'a tuple parameter has a known length',
      filename: `${packageRoot}typed-case.ts`,
      code: `export async function mirror(urls: [primary: string, fallback: string]) {
  return Promise.all(urls.map(async (url) => (await fetch(url)).status));
}`,
    },
  ],
  invalid: [
    {
      name: 'an array parameter does not',
      filename: `${packageRoot}typed-case.ts`,
      code: `export async function mirror(urls: string[]) {
  return Promise.all(urls.map(async (url) => (await fetch(url)).status));
}`,
      errors: [{ messageId: 'unboundedMap', line: 2, column: 10, suggestions: [] }],
    },
  ],
});

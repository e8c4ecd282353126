import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { it } from 'vitest';
import rule from '../../src/rules/no-unbounded-concurrency.js';
import { testRule } from '../support/rule-tester.js';

// Starting the TypeScript project service takes seconds on a busy machine: give the first case room.
RuleTester.it = (name: string, fn: () => void) => it(name, fn, 120_000);
RuleTester.itOnly = (name: string, fn: () => void) => it.only(name, fn, 120_000);

/**
 * With type information the engine knows which calls give back a promise (core's `returnsPromise`): a method
 * reached through a typed receiver that returns `Promise<T>` is async work per element, and one that returns a plain
 * value is not. The types do not show a request to a service, so the promise-returning one is `medium` (off by
 * default, reported with `reportMediumConfidence`).
 */
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const typedConfig = {
  languageOptions: {
    parserOptions: { projectService: { allowDefaultProject: ['*.ts'] }, tsconfigRootDir: packageRoot },
  },
};

const code = `interface PriceService { load(sku: string): Promise<number>; }
export async function prices(service: PriceService, skus: string[]) {
  return Promise.all(skus.map((sku) => service.load(sku)));
}`;

const plainValueCode = `interface PriceTable { price(sku: string): number; }
export async function prices(table: PriceTable, skus: string[]) {
  return Promise.all(skus.map((sku) => table.price(sku)));
}`;

testRule('no-unbounded-concurrency (typed, returnsPromise)', rule, {
  valid: [
    {
      name: 'a method returning a plain value starts no async work',
      filename: `${packageRoot}typed-summaries-case.ts`,
      code: plainValueCode,
    },
    {
      name: 'a promise-returning method says the work is async, not that it reaches a service: medium, off by default',
      filename: `${packageRoot}typed-summaries-case.ts`,
      code,
    },
  ],
  invalid: [
    {
      name: 'a method typed as returning a promise is async work per element',
      filename: `${packageRoot}typed-summaries-case.ts`,
      code,
      options: [{ reportMediumConfidence: true }],
      errors: [{ messageId: 'unboundedMap', line: 3, column: 10, suggestions: [] }],
    },
  ],
}, typedConfig);

testRule('no-unbounded-concurrency (untyped, returnsPromise unknown)', rule, {
  valid: [{ name: 'without types the same call is a medium guess, off by default', code }],
  invalid: [],
});

import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { it } from 'vitest';
import rule from '../../src/rules/no-unbounded-concurrency.js';
import { testRule } from '../support/rule-tester.js';

// Starting the TypeScript project service takes seconds on a busy machine: give the first case room.
RuleTester.it = (name: string, fn: () => void) => it(name, fn, 120_000);
RuleTester.itOnly = (name: string, fn: () => void) => it.only(name, fn, 120_000);

/**
 * With type information a tuple's length is known even when the value is a parameter: the rule reads it from the
 * type. The file is virtual (the project service's default project); its name sits outside any test folder so the
 * rule does not treat it as test code.
 */
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const typedConfig = {
  languageOptions: {
    parserOptions: { projectService: { allowDefaultProject: ['*.ts'] }, tsconfigRootDir: packageRoot },
  },
};

testRule('no-unbounded-concurrency (typed)', rule, {
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
}, typedConfig);

import { RuleTester } from '@typescript-eslint/rule-tester';
import type { PreferConcurrentIterationMessageId, PreferConcurrentIterationOptions } from '@overlap/core';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/prefer-concurrent-iteration.js';
import { invalid, valid } from './prefer-concurrent-iteration.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();
// The plugin may resolve its own copy of @typescript-eslint/utils: the rule's type differs only by that copy.
type TestedRule = Parameters<typeof ruleTester.run<PreferConcurrentIterationMessageId, PreferConcurrentIterationOptions>>[1];
ruleTester.run('prefer-concurrent-iteration', rule as unknown as TestedRule, { valid, invalid });

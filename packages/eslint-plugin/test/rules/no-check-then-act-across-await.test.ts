import { RuleTester } from '@typescript-eslint/rule-tester';
import type { NoCheckThenActAcrossAwaitMessageId, NoCheckThenActAcrossAwaitOptions } from '@overlap/core';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-check-then-act-across-await.js';
import { invalid, valid } from './no-check-then-act-across-await.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();
// The plugin may resolve its own copy of @typescript-eslint/utils: the rule's type differs only by that copy.
type TestedRule = Parameters<typeof ruleTester.run<NoCheckThenActAcrossAwaitMessageId, NoCheckThenActAcrossAwaitOptions>>[1];
ruleTester.run('no-check-then-act-across-await', rule as unknown as TestedRule, { valid, invalid });

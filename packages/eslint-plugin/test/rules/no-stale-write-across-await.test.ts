import { RuleTester } from '@typescript-eslint/rule-tester';
import type { NoStaleWriteAcrossAwaitMessageId, NoStaleWriteAcrossAwaitOptions } from '@overlap/core';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-stale-write-across-await.js';
import { invalid, valid } from './no-stale-write-across-await.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();
// The plugin may resolve its own copy of @typescript-eslint/utils: the rule's type differs only by that copy.
type TestedRule = Parameters<typeof ruleTester.run<NoStaleWriteAcrossAwaitMessageId, NoStaleWriteAcrossAwaitOptions>>[1];
ruleTester.run('no-stale-write-across-await', rule as unknown as TestedRule, { valid, invalid });

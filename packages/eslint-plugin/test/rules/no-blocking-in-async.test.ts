import { RuleTester } from '@typescript-eslint/rule-tester';
import type { NoBlockingInAsyncMessageId as MessageId, NoBlockingInAsyncOptions as Options } from '@overlap/core';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-blocking-in-async.js';
import { invalid, valid } from './no-blocking-in-async.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();
// The plugin may resolve its own copy of @typescript-eslint/utils: the rule's type differs only by that copy.
type TestedRule = Parameters<typeof ruleTester.run<MessageId, Options>>[1];
ruleTester.run('no-blocking-in-async', rule as unknown as TestedRule, { valid, invalid });

import rule from '../../src/rules/no-unbounded-concurrency.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './no-unbounded-concurrency.cases.js';

testRule('no-unbounded-concurrency', rule, { valid, invalid });

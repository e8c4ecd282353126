import rule from '../../src/rules/prefer-concurrent-iteration.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './prefer-concurrent-iteration.cases.js';

testRule('prefer-concurrent-iteration', rule, { valid, invalid });

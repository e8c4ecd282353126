import rule from '../../src/rules/prefer-concurrent-awaits.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './prefer-concurrent-awaits.cases.js';

testRule('prefer-concurrent-awaits', rule, { valid, invalid });

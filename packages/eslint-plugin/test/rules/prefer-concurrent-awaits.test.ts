import rule from '../../src/rules/prefer-concurrent-awaits.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './prefer-concurrent-awaits.cases.js';
import * as summaries from './prefer-concurrent-awaits.summaries.cases.js';

testRule('prefer-concurrent-awaits', rule, { valid: [...valid, ...summaries.valid], invalid: [...invalid, ...summaries.invalid] });

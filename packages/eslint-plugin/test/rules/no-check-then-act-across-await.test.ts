import rule from '../../src/rules/no-check-then-act-across-await.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './no-check-then-act-across-await.cases.js';

testRule('no-check-then-act-across-await', rule, { valid, invalid });

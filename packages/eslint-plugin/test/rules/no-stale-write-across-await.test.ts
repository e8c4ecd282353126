import rule from '../../src/rules/no-stale-write-across-await.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './no-stale-write-across-await.cases.js';

testRule('no-stale-write-across-await', rule, { valid, invalid });

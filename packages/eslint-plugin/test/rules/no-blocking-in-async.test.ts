import rule from '../../src/rules/no-blocking-in-async.js';
import { testRule } from '../support/rule-tester.js';
import { invalid, valid } from './no-blocking-in-async.cases.js';
import * as reexports from './no-blocking-in-async.reexports.cases.js';

testRule('no-blocking-in-async', rule, { valid: [...valid, ...reexports.valid], invalid: [...invalid, ...reexports.invalid] });

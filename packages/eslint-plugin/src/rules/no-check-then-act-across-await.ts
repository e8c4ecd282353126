import { noCheckThenActAcrossAwait } from '@overlap/core';
import { ruleFromCheck } from '../create-rule.js';

export default ruleFromCheck(noCheckThenActAcrossAwait);

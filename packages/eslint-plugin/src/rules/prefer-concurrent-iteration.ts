import { preferConcurrentIteration } from '@overlap/core';
import { ruleFromCheck } from '../create-rule.js';

export default ruleFromCheck(preferConcurrentIteration);

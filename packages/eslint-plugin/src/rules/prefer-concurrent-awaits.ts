import { preferConcurrentAwaits } from '@overlap/core';
import { ruleFromCheck } from '../create-rule.js';

export default ruleFromCheck(preferConcurrentAwaits);

'use strict';
// `require('@overlap/eslint-plugin')` gives the plugin itself, as a CommonJS plugin would, not the ES module's
// namespace: Node 20.19 and later load the ES module synchronously, and both paths share one instance.
module.exports = require('../dist/index.js').default;

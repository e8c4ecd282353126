import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against hangs, not a speed check: the suite must pass on a loaded 2-core machine (issue 14).
    testTimeout: 60_000,
  },
});

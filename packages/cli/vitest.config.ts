import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start the real CLI; on a loaded 2-core machine one run can take a few seconds.
    testTimeout: 120_000,
  },
});

import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run real programs as child processes; on a loaded 2-core machine one can take several seconds.
    testTimeout: 60_000,
  },
});

import { fileURLToPath } from 'node:url';

/**
 * Tests import sibling packages from their TypeScript sources, so a unit test never depends on a stale `dist/`.
 * Tests that run real binaries (ESLint from a flat config, the CLI) use the built output on purpose.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const sourceAliases = {
  '@overlap/core': here('./packages/core/src/index.ts'),
  '@overlap/eslint-plugin': here('./packages/eslint-plugin/src/index.ts'),
  '@overlap/tracer': here('./packages/tracer/src/index.ts'),
  '@overlap/runtime-analysis': here('./packages/runtime-analysis/src/index.ts'),
};

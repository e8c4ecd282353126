// We lint ourselves with our own plugin. `npm run lint` builds it first.
import overlap from '@overlap/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'fixtures/**', '.corpus/**', 'bench/.corpus/**', 'bench/results/**', '**/test-artifacts/**'],
  },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  overlap.configs.recommended,
  {
    // Command-line programs: nothing else shares their event loop while they read or write files, which is the
    // case the rule's docs name under "When not to use it". The tracer's launcher and its one start-up warning
    // belong here too; code that runs inside a traced program (the tracer's runtime) stays checked.
    files: ['packages/cli/src/**', 'packages/tracer/src/run/**', 'packages/tracer/src/runtime/start.ts', 'scripts/**', 'bench/**'],
    rules: { 'overlap/no-blocking-in-async': 'off' },
  },
  {
    // The benchmark service awaits in series on purpose: the audit benchmark needs something to find.
    files: ['bench/service/**'],
    rules: { 'overlap/prefer-concurrent-awaits': 'off' },
  },
];

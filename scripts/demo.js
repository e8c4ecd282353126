#!/usr/bin/env node
// `npm run demo`: lints fixtures/demo with the built plugin's recommended config through the real ESLint API, and
// prints the findings with ESLint's stylish formatter. Exits 0 when the lint ran (findings are the point of a demo).
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import overlap from '@overlap/eslint-plugin';

const demoDir = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

const eslint = new ESLint({
  cwd: demoDir,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    overlap.configs.recommended,
  ],
});

try {
  const results = await eslint.lintFiles(['src']);
  const formatter = await eslint.loadFormatter('stylish');
  const output = await formatter.format(results);
  const count = results.reduce((sum, result) => sum + result.messages.length, 0);
  process.stdout.write(output || 'No findings.\n');
  process.stdout.write(`\nOverlap looked at ${results.length} files in fixtures/demo and found ${count} things to look at.\n`);
} catch (error) {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

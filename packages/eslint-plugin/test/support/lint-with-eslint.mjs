// Runs a real ESLint, configured from a flat config the way a user writes one, over the files named on stdin, and
// prints the messages as JSON. A child process, so the plugin and ESLint load exactly as Node loads them for a
// user (the built package, not the test's source aliases).
// Usage: node lint-with-eslint.mjs <eslint|eslint9> <cwd>   (stdin: JSON array of absolute file paths)
import { readFileSync } from 'node:fs';

const [eslintPackage = 'eslint', cwd = process.cwd()] = process.argv.slice(2);
const { ESLint } = await import(eslintPackage);
const { default: overlap } = await import('@overlap/eslint-plugin');
const { default: tseslint } = await import('typescript-eslint');

const config = [
  { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tseslint.parser } },
  overlap.configs.all,
];
const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: config, ignore: false });
const files = JSON.parse(readFileSync(0, 'utf8'));
const results = await eslint.lintFiles(files);
process.stdout.write(
  JSON.stringify(
    results.map((result) => ({
      filePath: result.filePath,
      messages: result.messages.map((m) => ({
        ruleId: m.ruleId,
        messageId: m.messageId,
        message: m.message,
        line: m.line,
        column: m.column,
        fatal: m.fatal ?? false,
        suggestions: (m.suggestions ?? []).map((s) => ({ messageId: s.messageId, fix: s.fix })),
      })),
    })),
  ),
);

// Runs the real ESLint (with the built plugin, from a flat config as a user writes one) over every file of a folder
// and prints the messages as JSON; used by hostile-input.test.ts. JSX is on for .js/.jsx, TS files use
// typescript-eslint's parser. Exit code 0 whenever ESLint itself did not throw.
// Usage: node lint-hostile.mjs <dir>
const [dir] = process.argv.slice(2);
const { ESLint } = await import('eslint');
const { default: overlap } = await import('@overlap/eslint-plugin');
const { default: tseslint } = await import('typescript-eslint');

const config = [
  { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tseslint.parser } },
  { files: ['**/*.js', '**/*.jsx', '**/*.mjs'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  overlap.configs.all,
];
const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, ignore: false });
const results = await eslint.lintFiles(['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}']);
process.stdout.write(JSON.stringify(results.map((result) => ({
  filePath: result.filePath,
  messages: result.messages.map((m) => ({ ruleId: m.ruleId, messageId: m.messageId, message: m.message, line: m.line, column: m.column, fatal: m.fatal ?? false })),
}))));

/**
 * One repetition of the rule-cost benchmark: `node rule-cost-child.js <input.json>` where input is
 * `{ cwd, files, configs: [{ name, core?: string[], overlap?: string[] }] }`. Each configuration is linted on every
 * file with ESLint's Linter and `stats: true` (the per-rule times `TIMING=all` prints), file by file with the
 * configurations interleaved, so a change in machine load touches all of them alike. Every configuration parses
 * the file itself: our rules share facts per AST, and sharing an AST between configurations would hide that cost.
 * Prints `{ [config]: { rules: { [ruleId]: ms }, parseMs, problems } }`.
 */
import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import parser from '@typescript-eslint/parser';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const overlap = (await import(input.pluginUrl)).default;

const configs = input.configs.map((spec) => {
  const rules = {};
  for (const id of spec.core ?? []) rules[id] = 'error';
  for (const id of spec.overlap ?? []) rules[`overlap/${id}`] = 'error';
  return {
    name: spec.name,
    config: [
      {
        files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
        languageOptions: { parser, ecmaVersion: 'latest', sourceType: 'module' },
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
        plugins: { overlap },
        rules,
      },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    ],
    totals: { rules: {}, parseMs: 0, problems: 0 },
  };
});

const linter = new Linter({ cwd: input.cwd });
for (const file of input.files) {
  const text = readFileSync(file, 'utf8');
  for (const entry of configs) {
    const { messages } = linter.verifyAndFix(text, entry.config, { filename: file, stats: true, fix: false });
    // Only our configured rules' reports (not notices about the corpus's own inline config comments).
    entry.totals.problems += messages.filter((message) => message.ruleId && message.ruleId in entry.config[0].rules).length;
    for (const pass of linter.getTimes().passes) {
      entry.totals.parseMs += pass.parse?.total ?? 0;
      for (const [ruleId, time] of Object.entries(pass.rules ?? {})) {
        entry.totals.rules[ruleId] = (entry.totals.rules[ruleId] ?? 0) + time.total;
      }
    }
  }
}
process.stdout.write(JSON.stringify(Object.fromEntries(configs.map((entry) => [entry.name, entry.totals]))) + '\n');

#!/usr/bin/env node
// Compares ESLint's own async rules (`no-await-in-loop`, `require-atomic-updates`) with every Overlap rule on our
// fixtures, side by side, and writes docs/comparison.md. Uses the real ESLint API and the BUILT plugin, so run
// `npm run build` first. Usage: node scripts/compare-core-rules.js [--check]
//   --check  exits 1 when docs/comparison.md differs from what this run would write (for CI), writes nothing.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pluginEntry = join(root, 'packages/eslint-plugin/dist/index.js');
if (!existsSync(pluginEntry)) {
  process.stderr.write(`compare-core-rules: ${relative(root, pluginEntry)} is missing; run \`npm run build\` first\n`);
  process.exit(1);
}
const plugin = (await import(pathToFileURL(pluginEntry).href)).default;

/** ESLint core rules we compare, and the Overlap rules that cover the same problem (for precision and recall). */
const coreRules = {
  'no-await-in-loop': ['prefer-concurrent-iteration', 'no-unbounded-concurrency'],
  'require-atomic-updates': ['no-stale-write-across-await', 'no-check-then-act-across-await'],
};
const overlapRules = Object.keys(plugin.rules).sort();
const sourceExtensions = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

function listSources(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (sourceExtensions.has(extname(name)) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Expected findings of a file: the `.expected.json` beside a rule fixture, or the scenario's `expected.json`. */
function expectationsFor(file) {
  const beside = file.replace(/\.[^.]+$/u, '.expected.json');
  if (existsSync(beside)) return JSON.parse(readFileSync(beside, 'utf8'));
  let dir = dirname(file);
  while (dir.startsWith(join(root, 'fixtures/scenarios'))) {
    const scenario = join(dir, 'expected.json');
    if (existsSync(scenario)) {
      const rel = relative(dir, file).split('\\').join('/');
      return JSON.parse(readFileSync(scenario, 'utf8')).filter((e) => e.file === rel);
    }
    dir = dirname(dir);
  }
  return undefined;
}

function configFor(file) {
  const ext = extname(file);
  const ts = ['.ts', '.tsx', '.mts', '.cts'].includes(ext);
  const languageOptions = ts
    ? { parser: tseslint.parser, sourceType: 'module' }
    : { ecmaVersion: 'latest', sourceType: ext === '.cjs' ? 'commonjs' : 'module', parserOptions: { ecmaFeatures: { jsx: ext === '.jsx' } } };
  const rules = Object.fromEntries([
    ...Object.keys(coreRules).map((id) => [id, 'error']),
    ...overlapRules.map((id) => [`overlap/${id}`, 'error']),
  ]);
  return [{ files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'], languageOptions, plugins: { overlap: plugin }, rules, linterOptions: { reportUnusedDisableDirectives: 'off' } }];
}

/** The innermost function around a 1-based line and 1-based column, as a [start, end] offset range (or the file). */
function enclosingFunction(sourceCode, line, column) {
  const offset = sourceCode.getIndexFromLoc({ line, column: Math.max(0, column - 1) });
  let best = [0, sourceCode.text.length];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string' || node.range[0] > offset || node.range[1] < offset) return;
    if (/Function/u.test(node.type)) best = node.range;
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const child = node[key];
      if (Array.isArray(child)) child.forEach(visit);
      else visit(child);
    }
  };
  visit(sourceCode.ast);
  return best.join(':');
}

const linter = new Linter({ configType: 'flat', cwd: root });
const files = [...listSources(join(root, 'fixtures/rules')), ...listSources(join(root, 'fixtures/scenarios'))];
const rows = [];
const totals = Object.fromEntries([...Object.keys(coreRules), ...overlapRules].map((id) => [id, { reported: 0, tp: 0, fp: 0, fn: 0, expected: 0 }]));
const problems = [];

for (const file of files) {
  const rel = relative(root, file).split('\\').join('/');
  const expected = expectationsFor(file);
  const messages = linter.verify(readFileSync(file, 'utf8'), configFor(file), { filename: file });
  const fatal = messages.find((m) => !m.ruleId);
  if (fatal) {
    problems.push(`${rel}: ${fatal.message}`);
    continue;
  }
  const sourceCode = linter.getSourceCode();
  const byRule = {};
  for (const m of messages) (byRule[m.ruleId.replace(/^overlap\//u, '')] ??= []).push(m);
  const row = { file: rel, kind: rel.includes('/valid/') ? 'valid' : rel.includes('/invalid/') ? 'invalid' : 'scenario', counts: {}, expected: expected?.length ?? '?' };

  for (const id of overlapRules) {
    const got = byRule[id] ?? [];
    row.counts[id] = got.length;
    const t = totals[id];
    t.reported += got.length;
    if (!expected) continue;
    const want = expected.filter((e) => e.ruleId === id);
    t.expected += want.length;
    const matched = got.filter((m) => want.some((e) => e.line === m.line && e.column === m.column && e.messageId === m.messageId));
    t.tp += matched.length;
    t.fp += got.length - matched.length;
    t.fn += want.filter((e) => !got.some((m) => e.line === m.line && e.column === m.column && e.messageId === m.messageId)).length;
  }
  for (const [id, covered] of Object.entries(coreRules)) {
    const got = byRule[id] ?? [];
    row.counts[id] = got.length;
    const t = totals[id];
    t.reported += got.length;
    if (!expected) continue;
    // Function-level matching: ESLint reports a different node (the assignment, the loop's await) than we do.
    const want = expected.filter((e) => covered.includes(e.ruleId));
    t.expected += want.length;
    const wantFns = new Set(want.map((e) => enclosingFunction(sourceCode, e.line, e.column)));
    const gotFns = new Set(got.map((m) => enclosingFunction(sourceCode, m.line, m.column)));
    const tp = got.filter((m) => wantFns.has(enclosingFunction(sourceCode, m.line, m.column))).length;
    t.tp += tp;
    t.fp += got.length - tp;
    t.fn += want.filter((e) => !gotFns.has(enclosingFunction(sourceCode, e.line, e.column))).length;
  }
  rows.push(row);
}

const pct = (num, den) => (den === 0 ? 'n/a' : `${Math.round((100 * num) / den)}%`);
const coreIds = Object.keys(coreRules);
const columns = [...coreIds, ...overlapRules];
let md = `# ESLint core rules vs Overlap on our fixtures

Generated by \`node scripts/compare-core-rules.js\` (run \`npm run build\` first: the script loads the built
plugin from \`packages/eslint-plugin/dist\`). Do not edit by hand; re-run the script after changing rules or fixtures.
It lints every file under \`fixtures/rules/**\` and \`fixtures/scenarios/**\` with the real ESLint \`Linter\`
(typescript-eslint's parser for TypeScript, espree for JavaScript), with ESLint's \`no-await-in-loop\` and
\`require-atomic-updates\` and every registered Overlap rule switched on, and scores each against the
\`.expected.json\` written beside the fixture.

How the scores are counted:
- **Overlap rules**: a finding is a true positive when an expected finding has the same rule, message id, line and
  column.
- **ESLint rules** have no expectations of their own, so each is scored against the Overlap rules that cover the same
  problem (\`no-await-in-loop\` against ${coreRules['no-await-in-loop'].map((r) => `\`${r}\``).join(' and ')};
  \`require-atomic-updates\` against ${coreRules['require-atomic-updates'].map((r) => `\`${r}\``).join(' and ')}), matched
  by enclosing function because ESLint reports a different node than we do: a report is a true positive when an
  expected finding sits in the same function, and an expected finding is recalled when a report sits in its function.

## Totals

| Rule | Reported | True positives | False positives | Expected | Missed | Precision | Recall |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
`;
for (const id of columns) {
  const t = totals[id];
  const name = coreIds.includes(id) ? `ESLint \`${id}\`` : `\`overlap/${id}\``;
  md += `| ${name} | ${t.reported} | ${t.tp} | ${t.fp} | ${t.expected} | ${t.fn} | ${pct(t.tp, t.tp + t.fp)} | ${pct(t.expected - t.fn, t.expected)} |\n`;
}
md += `\n## Per fixture file\n\nFindings per rule on each file; *expected* counts the findings of all Overlap rules written beside it.\n\n`;
const short = (id) => (coreIds.includes(id) ? `eslint:${id}` : id);
md += `| File | Kind | ${columns.map(short).join(' | ')} | Expected |\n| --- | --- | ${columns.map(() => '---:').join(' | ')} | ---: |\n`;
for (const row of rows) {
  md += `| \`${row.file.replace(/^fixtures\//u, '')}\` | ${row.kind} | ${columns.map((id) => row.counts[id] || '').join(' | ')} | ${row.expected} |\n`;
}
if (problems.length > 0) {
  md += `\n## Files that did not parse\n\n${problems.map((p) => `- ${p}`).join('\n')}\n`;
}

// The rules' RuleTester cases (packages/eslint-plugin/test/rules/*.cases.ts) hold the false-positive classes users
// reported against ESLint's rules as valid cases: score the ESLint rules on them, case by case.
const casesDir = join(root, 'packages/eslint-plugin/test/rules');
const requireFromRoot = createRequire(join(root, 'package.json'));
const scratch = mkdtempSync(join(tmpdir(), 'overlap-compare-'));
const caseRows = [];
try {
  for (const name of existsSync(casesDir) ? readdirSync(casesDir).filter((n) => n.endsWith('.cases.ts')).sort() : []) {
    const ruleId = name.replace(/\.cases\.ts$/u, '');
    const covering = Object.entries(coreRules).filter(([, covered]) => covered.includes(ruleId)).map(([id]) => id);
    if (covering.length === 0) continue;
    const source = ts.transpileModule(readFileSync(join(casesDir, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    }).outputText.replace(/from ['"]espree['"]/gu, `from '${pathToFileURL(requireFromRoot.resolve('espree')).href}'`);
    const moduleFile = join(scratch, `${ruleId}.mjs`);
    writeFileSync(moduleFile, source);
    const { valid = [], invalid = [] } = await import(pathToFileURL(moduleFile).href);
    for (const coreId of covering) {
      const row = { ruleId, coreId, invalid: invalid.length, caught: 0, valid: valid.length, flagged: 0 };
      const reports = (testCase) => {
        const filename = testCase.filename ?? (testCase.languageOptions?.parser ? 'file.js' : 'file.ts');
        const languageOptions = testCase.languageOptions ?? { parser: tseslint.parser, sourceType: 'module' };
        const messages = linter.verify(
          testCase.code,
          [{ files: ['**/*.ts', '**/*.js'], languageOptions, rules: { [coreId]: 'error' }, linterOptions: { reportUnusedDisableDirectives: 'off' } }],
          { filename: join(root, filename) },
        );
        return messages.filter((m) => m.ruleId === coreId).length;
      };
      for (const testCase of invalid) if (reports(testCase) > 0) row.caught += 1;
      for (const testCase of valid) if (reports(testCase) > 0) row.flagged += 1;
      caseRows.push(row);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (caseRows.length > 0) {
  md += `\n## On the RuleTester cases of the Overlap rules\n\nEach Overlap rule's RuleTester suite (\`packages/eslint-plugin/test/rules/<rule>.cases.ts\`) passes in full for that
rule. The race rules' valid cases include every false-positive class reported against \`require-atomic-updates\` on
ESLint's issue tracker and those found on published code. Here the ESLint rule that covers the same problem runs on
the same cases, with its default options: an invalid
case is *caught* when the ESLint rule reports anything in it, a valid case is *flagged* when it does.\n\n`;
  md += `| Overlap rule's cases | ESLint rule | Invalid cases caught | Valid cases flagged (false positives) |\n| --- | --- | ---: | ---: |\n`;
  for (const row of caseRows) {
    md += `| \`overlap/${row.ruleId}\` | \`${row.coreId}\` | ${row.caught} / ${row.invalid} | ${row.flagged} / ${row.valid} |\n`;
  }
}

const target = join(root, 'docs/comparison.md');
if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== md) {
    process.stderr.write('compare-core-rules: docs/comparison.md is out of date; run `node scripts/compare-core-rules.js`\n');
    process.exit(1);
  }
} else {
  writeFileSync(target, md);
  process.stdout.write(`compare-core-rules: wrote ${relative(root, target)} (${rows.length} files)\n`);
}

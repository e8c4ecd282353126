import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks, pluginPrefix } from '@overlap/core';
import { fixturesRoot, listRuleFixtures } from '../../../fixtures/expectations.js';

/**
 * The plugin inside oxlint's JS plugin host (`jsPlugins` in `.oxlintrc.json`, as the README shows) must run every
 * rule without throwing and give the same findings as inside ESLint, on every rule fixture.
 */
const fixtures = listRuleFixtures();
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pluginEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const eslintRunner = fileURLToPath(new URL('./support/lint-with-eslint.mjs', import.meta.url));
const oxlintBin = join(dirname(createRequire(join(repoRoot, 'package.json')).resolve('oxlint/package.json')), 'bin', 'oxlint');

interface Finding {
  file: string;
  rule: string;
  line: number;
  column: number;
  message: string;
}

const sorted = (findings: Finding[]) =>
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));

function eslintFindings(): Finding[] {
  const output = execFileSync(process.execPath, [eslintRunner, 'eslint', fixturesRoot], {
    input: JSON.stringify(fixtures.map((f) => f.file)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const results = JSON.parse(output) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; message: string; line: number; column: number }> }>;
  return sorted(results.flatMap((result) => result.messages
    .filter((m) => m.ruleId?.startsWith(`${pluginPrefix}/`))
    .map((m) => ({ file: relative(fixturesRoot, result.filePath), rule: m.ruleId!.slice(pluginPrefix.length + 1), line: m.line, column: m.column, message: m.message }))));
}

interface OxlintReport {
  diagnostics: Array<{ code?: string; message: string; filename: string; labels: Array<{ span: { line: number; column: number } }> }>;
  number_of_files: number;
}

describe('the plugin in oxlint (jsPlugins)', () => {
  let scratch = '';
  let oxlint: OxlintReport;
  let eslint: Finding[];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'overlap-oxlint-'));
    const config = join(scratch, '.oxlintrc.json');
    writeFileSync(config, JSON.stringify({
      plugins: [],
      categories: { correctness: 'off' },
      jsPlugins: [{ name: pluginPrefix, specifier: pluginEntry }],
      rules: Object.fromEntries(allChecks.map((check) => [`${pluginPrefix}/${check.meta.id}`, 'error'])),
    }));
    // Files by name: given a folder, oxlint would apply the repository's ignore files.
    const run = spawnSync(process.execPath, [oxlintBin, '-c', config, '--format', 'json', ...fixtures.map((f) => f.file)], {
      cwd: fixturesRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0 && run.status !== 1) throw new Error(`oxlint exited with ${run.status}: ${run.stderr}`);
    oxlint = JSON.parse(run.stdout) as OxlintReport;
    eslint = eslintFindings();
  }, 180_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lints every fixture and no rule throws', () => {
    expect(oxlint.number_of_files).toBe(fixtures.length);
    expect(oxlint.diagnostics.filter((d) => !d.code?.startsWith(`${pluginPrefix}(`)).map((d) => d.message.split('\n').slice(0, 3).join(' '))).toEqual([]);
  });

  it('gives the findings ESLint gives, rule, position and message', () => {
    const fromOxlint = sorted(oxlint.diagnostics.map((d) => ({
      file: relative(fixturesRoot, join(fixturesRoot, d.filename)),
      rule: d.code!.slice(pluginPrefix.length + 1, -1),
      line: d.labels[0]!.span.line,
      column: d.labels[0]!.span.column,
      message: d.message,
    })));
    expect(eslint.length).toBeGreaterThan(20);
    expect(fromOxlint).toEqual(eslint);
  });
});

import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { join, projectsRoot, repoRoot, runCli, runInProcess } from '../helpers.js';

/**
 * `profileOf` and `preferencesOf` come from another module. The ESLint plugin and the CLI share core's import
 * resolver: both read the helpers, see two reads, and report the pair with high confidence. With resolution off
 * (`settings.overlap.resolveImports: false`, `--no-cross-file`) the file stands alone: what the helpers do is
 * unknown and the awaits stay in series.
 */
describe('cross-file effects: known in ESLint and in the CLI alike', () => {
  const page = join(projectsRoot, 'cross-file', 'src', 'page.ts');

  async function lint(settings: Record<string, unknown>) {
    const plugin = (await import(join(repoRoot, 'packages', 'eslint-plugin', 'dist', 'index.js'))) as { default: ESLint.Plugin };
    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, settings, plugins: { overlap: plugin.default }, rules: { 'overlap/prefer-concurrent-awaits': 'warn' } }],
    });
    const [result] = await eslint.lintFiles([page]);
    return result!.messages.map((m) => ({ ruleId: m.ruleId, line: m.line, message: m.message }));
  }

  it('ESLint with the plugin (flat config, built plugin) resolves the helpers and reports the pair', async () => {
    const messages = await lint({});
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ruleId: 'overlap/prefer-concurrent-awaits', line: 5 });
    expect(messages[0]!.message).toContain('both are reads');
  });

  it('ESLint with resolveImports off reports nothing on page.ts', async () => {
    expect(await lint({ overlap: { resolveImports: false } })).toEqual([]);
  });

  it('the CLI without cross-file resolution agrees with ESLint without resolution', async () => {
    const run = await runInProcess(['check', 'fixtures/projects/cross-file', '--no-cross-file', '--format', 'json']);
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('the CLI resolves the imported helpers and reports the pair with high confidence', () => {
    const run = runCli(['check', 'fixtures/projects/cross-file', '--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; confidence: string; message: string }> };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'prefer-concurrent-awaits',
      file: 'fixtures/projects/cross-file/src/page.ts',
      line: 5,
      confidence: 'high',
    });
    expect(report.findings[0]!.message).toContain('both are reads');
  });
});

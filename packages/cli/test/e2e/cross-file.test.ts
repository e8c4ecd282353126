import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { join, projectsRoot, repoRoot, runCli, runInProcess } from '../helpers.js';

/**
 * Inside ESLint each file stands alone: `profileOf` and `preferencesOf` come from another module, so what they do
 * is unknown and the awaits stay in series. The CLI resolves the import, reads the helpers, sees two reads, and
 * reports the pair with high confidence.
 */
describe('cross-file effects: unknown inside ESLint, known in the CLI', () => {
  const page = join(projectsRoot, 'cross-file', 'src', 'page.ts');

  it('ESLint with the plugin (flat config, built plugin) reports nothing on page.ts', async () => {
    const plugin = (await import(join(repoRoot, 'packages', 'eslint-plugin', 'dist', 'index.js'))) as { default: ESLint.Plugin };
    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { overlap: plugin.default }, rules: { 'overlap/prefer-concurrent-awaits': 'warn' } }],
    });
    const [result] = await eslint.lintFiles([page]);
    expect(result!.messages).toEqual([]);
  });

  it('the CLI without cross-file resolution agrees with ESLint', async () => {
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

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyProject, join, repoRoot, runCli } from '../helpers.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

function typeCheck(project: string): { code: number; output: string } {
  const result = spawnSync(process.execPath, [tsc, '-p', join(project, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

describe('--fix and --fix-dry-run', () => {
  it('--fix says what it left and why', async () => {
    const { fixSummary } = await import('../../src/check/run-check.js');
    const finding = (confidence: 'high' | 'medium', suggestion: boolean) => ({ confidence, ...(suggestion ? { suggestion: { description: 'd', edits: [] } } : {}) });
    const outcomes = [{ kind: 'analyzed', path: '/p/a.ts', failures: [], findings: [finding('medium', true), finding('medium', true), finding('high', false), finding('high', true)] }];
    expect(fixSummary(new Map([['/p/a.ts', 2]]), outcomes as never, '/p')).toEqual([
      '--fix applied 2 rewrites in 1 file: a.ts (2)',
      '--fix left 4 findings: 2 medium confidence (left as a suggestion to review), 1 no automatic rewrite, 1 overlaps another rewrite (still after 5 passes)',
    ]);
    expect(fixSummary(new Map(), [], '/p')).toEqual(['--fix changed no file']);
  });

  it('--fix-dry-run prints a unified diff and changes nothing', () => {
    const project = copyProject('fixable');
    const before = readFileSync(join(project, 'src', 'users.ts'), 'utf8');
    const run = runCli(['check', '.', '--fix-dry-run'], { cwd: project });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('--- a/src/users.ts\n+++ b/src/users.ts\n');
    expect(run.stdout).toContain("-  const text = fs.readFileSync(path, 'utf8');\n+  const text = await fs.promises.readFile(path, 'utf8');\n");
    expect(run.stdout).toContain('+  const [manifest, info] = await Promise.all([');
    expect(readFileSync(join(project, 'src', 'users.ts'), 'utf8')).toBe(before);
  });

  it('--fix applies the high-confidence rewrites, keeps the byte-order mark, and the result type-checks', () => {
    const project = copyProject('fixable');
    const run = runCli(['check', '.', '--fix', '--format', 'json'], { cwd: project });
    const report = JSON.parse(run.stdout) as { findings: unknown[] };
    expect(report.findings).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('overlap: --fix applied 3 rewrites in 2 files: src/settings.ts (2), src/users.ts (1)\n');

    const settings = readFileSync(join(project, 'src', 'settings.ts'), 'utf8');
    expect(settings.charCodeAt(0)).toBe(0xfeff);
    expect(settings).toContain("const raw = await readFile(`${dir}/settings.json`, 'utf8');");
    expect(settings).toContain('const [manifest, info] = await Promise.all([');
    expect(readFileSync(join(project, 'src', 'users.ts'), 'utf8')).toContain("const text = await fs.promises.readFile(path, 'utf8');");

    const checked = typeCheck(project);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  });
});

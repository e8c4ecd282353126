import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = join(packageRoot, '..', '..');
export const projectsRoot = join(repoRoot, 'fixtures', 'projects');
const bin = join(packageRoot, 'bin', 'overlap.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real built CLI as a child process, as CI would: no TTY, CI set, no colour variables. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !['FORCE_COLOR', 'NO_COLOR', 'OVERLAP_DEBUG'].includes(key)) env[key] = value;
  }
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...env, CI: '1', ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch copy of a fixture project inside the repository (so @types/node resolves for tsc). */
export function copyProject(name: string): string {
  const base = join(packageRoot, 'test-artifacts');
  mkdirSync(base, { recursive: true });
  const target = mkdtempSync(join(base, `${name}-`));
  cpSync(join(projectsRoot, name), target, { recursive: true });
  return target;
}

export function scratchFolder(name: string): string {
  const base = join(packageRoot, 'test-artifacts');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
}

export interface ExpectedFinding {
  readonly file: string;
  readonly ruleId: string;
  readonly messageId?: string;
  readonly line: number;
  readonly column: number;
  readonly confidence?: string;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export { dirname, join, relative };

/**
 * Runs the CLI's `main` in this process with captured output: the same code path as the binary without the cost
 * of starting Node, for the many small cases (config errors, gates). Each exit code and format is also covered by
 * a real child-process run.
 */
export async function runInProcess(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const { Writable } = await import('node:stream');
  const { main } = await import('../src/cli.js');
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const code = await main(args, {
    cwd: options.cwd ?? repoRoot,
    env: { CI: '1', ...options.env },
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
  });
  return { code, stdout, stderr };
}

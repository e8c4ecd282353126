import { spawn } from 'node:child_process';

/** One run of the user's test command. */
export interface TestRun {
  readonly passed: boolean;
  /** null when a signal (or the timeout) ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly ms: number;
  /** What it printed (stdout and stderr interleaved, the last OUTPUT_LIMIT characters); kept for failures. */
  readonly output: string;
}

/** Output kept per run: the end of a long test log is where the failure summary is. */
const OUTPUT_LIMIT = 64 * 1024;
/** After the timeout's SIGTERM, this long before SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * Runs a test command through the shell, as the user would type it, in `cwd`. The exit code decides: 0 passes.
 * The whole process group is stopped at the timeout (a test runner's workers too), so a hanging suite fails
 * instead of hanging `overlap verify`.
 */
export function runTestCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<TestRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 2 * OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
    };
    const windows = process.platform === 'win32';
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'], detached: !windows });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const stop = (signal: NodeJS.Signals) => {
      try {
        if (!windows && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop('SIGTERM');
      setTimeout(() => stop('SIGKILL'), KILL_GRACE_MS).unref();
    }, timeoutMs);
    const finish = (exitCode: number | null, signal: string | null) => {
      clearTimeout(timer);
      resolve({
        passed: exitCode === 0 && !timedOut,
        exitCode,
        signal,
        timedOut,
        ms: Math.round(performance.now() - started),
        output: output.length > OUTPUT_LIMIT ? output.slice(-OUTPUT_LIMIT) : output,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      output += `${error.code ?? error.message}\n`;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** `passed (1.2 s)`, `failed: exit 1 (0.8 s)`, `timed out after 300 s`. */
export function describeTestRun(run: TestRun): string {
  const time = `${(run.ms / 1000).toFixed(1)} s`;
  if (run.timedOut) return `timed out after ${time}`;
  if (run.passed) return `passed (${time})`;
  return `failed: ${run.exitCode !== null ? `exit ${run.exitCode}` : `signal ${run.signal ?? 'unknown'}`} (${time})`;
}

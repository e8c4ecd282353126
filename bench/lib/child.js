/**
 * Runs a measured Node child process: wall time from the parent, peak RSS and CPU time from the preloaded probe.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeFile } from './paths.js';

/**
 * @param {string[]} nodeArgs arguments after `node` (flags, script, its arguments)
 * @param {{ cwd?: string, env?: Record<string,string|undefined>, timeoutMs?: number, okCodes?: number[] }} options
 * @returns {Promise<{ wallMs: number, maxRssMb: number, cpuMs: number, code: number|null, stdout: string, stderr: string }>}
 */
export async function runMeasured(nodeArgs, options = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-'));
  const probeOut = join(scratch, 'probe.json');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', probeFile, ...nodeArgs], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, BENCH_PROBE_OUT: probeOut },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90 * 60_000);
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const wallMs = performance.now() - started;
  let probe = { maxRssKb: Number.NaN, userUs: Number.NaN, systemUs: Number.NaN };
  if (existsSync(probeOut)) probe = JSON.parse(readFileSync(probeOut, 'utf8'));
  rmSync(scratch, { recursive: true, force: true });
  const okCodes = options.okCodes ?? [0];
  if (!okCodes.includes(code)) {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    throw new Error(`node ${nodeArgs.slice(0, 3).join(' ')} ... exited with ${code}: ${tail}`);
  }
  return { wallMs, maxRssMb: probe.maxRssKb / 1024, cpuMs: (probe.userUs + probe.systemUs) / 1000, code, stdout, stderr };
}

/**
 * runMeasured with one retry after a pause: on a shared checkout a package can be rebuilt under a running tool
 * (a half-written dist file), which is no property of the tool under test.
 */
export async function runMeasuredWithRetry(nodeArgs, options = {}, log = () => {}) {
  try {
    return await runMeasured(nodeArgs, options);
  } catch (error) {
    log(`    failed once, retrying in 20 s: ${error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    return runMeasured(nodeArgs, options);
  }
}

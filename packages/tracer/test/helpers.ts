import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_OUT, ENV_SESSION, readTrace, withTracerImport, type Frame, type Part, type Trace } from '@overlap/tracer';

export const programs = fileURLToPath(new URL('../../../fixtures/programs/', import.meta.url));
export const program = (path: string) => join(programs, path);
/** The tracer's CommonJS preload (`node --require @overlap/tracer/register.cjs`). */
export const requireEntry = fileURLToPath(new URL('../dist/bundle/register.cjs', import.meta.url));

export interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunOptions {
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Preload the tracer with `--require` of its CommonJS entry instead of `--import` (when traced). */
  require?: boolean;
  /** Send this signal once stdout contains `when` (and `delayMs` more have passed). */
  kill?: { when: string; signal: NodeJS.Signals; delayMs: number };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'overlap-tracer-test-'));
}

/** Runs `node <args>` as a real child process, capturing output, optionally traced into `out`. */
export function runNode(args: string[], options: RunOptions & { out?: string } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  delete env[ENV_SESSION];
  delete env[ENV_OUT];
  if (options.out) {
    env[ENV_OUT] = options.out;
    env['NODE_OPTIONS'] = options.require ? `--require=${requireEntry}` : withTracerImport(undefined);
  } else {
    delete env['NODE_OPTIONS'];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.kill && !killed && stdout.includes(options.kill.when)) {
        killed = true;
        setTimeout(() => child.kill(options.kill!.signal), options.kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    // Warnings name the process id: the only difference allowed between two runs.
    const samePid = (text: string) => text.replace(/\(node:\d+\)/g, '(node:PID)');
    child.on('close', (code, signal) => resolve({ stdout: samePid(stdout), stderr: samePid(stderr), code, signal }));
  });
}

/** Runs the same program untraced and traced, at the same time, and reads the trace. */
export async function runBoth(args: string[], options: RunOptions = {}): Promise<{ plain: Run; traced: Run; trace: Trace }> {
  const out = join(tempDir(), 'trace.ndjson');
  const [plain, traced] = await Promise.all([runNode(args, options), runNode(args, { ...options, out })]);
  return { plain, traced, trace: await readTrace(out) };
}

export function mainPart(trace: Trace): Part {
  const part = trace.parts.find((p) => p.main && p.ppid !== null && p.tid === 0 && !trace.parts.some((q) => q.pid === p.ppid));
  if (!part) throw new Error(`no main part in ${trace.parts.map((p) => p.key).join(', ')}`);
  return part;
}

export function framesNamed(part: Part, name: string): Frame[] {
  return [...part.frames.values()].filter((f) => f.site.name === name);
}

export function frameNamed(part: Part, name: string): Frame {
  const [frame, ...more] = framesNamed(part, name);
  if (!frame || more.length > 0) throw new Error(`expected one frame named ${name}, found ${more.length + (frame ? 1 : 0)}`);
  return frame;
}

export const duration = (a: { start: number; end: number | null }): number => (a.end ?? NaN) - a.start;

/**
 * Node counts a timer in whole milliseconds from when it was set, so a time measured from a later point (a frame's
 * suspension) can end a little before the timer's nominal length; a loaded 2-core machine can make it late too.
 */
export function expectAbout(actual: number, expected: number, late = 150, early = 10): void {
  if (!(actual >= expected - early && actual <= expected + late)) {
    throw new Error(`expected about ${expected} ms (${early} ms early to ${late} ms late), got ${actual.toFixed(2)} ms`);
  }
}

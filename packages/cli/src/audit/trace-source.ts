import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTrace, runTraced, TraceReadError, type Trace } from '@overlap/tracer';
import type { CliIO } from '../command.js';
import { OverlapError } from '../errors.js';

export interface TracedRun {
  readonly trace: Trace;
  /** Exit code of the traced program (null: a signal ended it; undefined: read from a file). */
  readonly exitCode?: number | null;
  readonly signal?: NodeJS.Signals | null;
}

/** Reads a trace file; a missing or foreign file is one line naming it, never a stack. */
export async function loadTrace(file: string, io: CliIO): Promise<Trace> {
  try {
    const trace = await readTrace(resolve(io.cwd, file));
    for (const warning of trace.warnings.slice(0, 5)) io.stderr.write(`overlap: ${file}: ${warning}\n`);
    return trace;
  } catch (error) {
    if (error instanceof TraceReadError) throw new OverlapError('OVERLAP_IO', error.message);
    throw error;
  }
}

/**
 * Runs a command traced. The program's stdout goes to our stderr so a report on stdout stays parseable; its
 * stdin and stderr are the terminal's.
 */
export async function traceCommand(
  command: readonly string[],
  io: CliIO,
  options: { cwd?: string; save?: string | undefined; quiet?: boolean; cpuProfile?: boolean; env?: Readonly<Record<string, string | undefined>>; stop?: AbortSignal } = {},
): Promise<TracedRun> {
  const [program, ...args] = command;
  if (!program) throw new OverlapError('OVERLAP_USAGE', 'no command after --');
  const dir = options.save ? undefined : mkdtempSync(join(tmpdir(), 'overlap-audit-'));
  const out = options.save ? resolve(io.cwd, options.save) : join(dir!, 'trace.ndjson');
  try {
    const result = await runTraced({
      command: program,
      args,
      out,
      cwd: options.cwd ?? io.cwd,
      env: options.env ?? io.env,
      cpuProfile: options.cpuProfile === true,
      ...(options.stop ? { stop: options.stop } : {}),
      stdio: options.quiet ? ['ignore', 'ignore', 'ignore'] : ['inherit', 2, 2],
    }).catch((error: NodeJS.ErrnoException) => {
      throw new OverlapError('OVERLAP_USAGE', `cannot run ${program}: ${error.code ?? error.message}`);
    });
    const trace = await loadTrace(out, io);
    return { trace, exitCode: result.code, signal: result.signal };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

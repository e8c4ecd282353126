import { constants } from 'node:os';
import { relative } from 'node:path';
import { defineCommand } from '../command.js';
import { OverlapError } from '../errors.js';

export interface TraceOptions {
  readonly out: string;
  readonly chrome?: string;
  readonly nodeModules?: boolean;
  readonly cpuProfile?: boolean;
  readonly '--'?: readonly string[];
}

/** Thin on purpose: running, injecting and writing the trace all live in @overlap/tracer (`runTraced`). */
export default defineCommand<TraceOptions>({
  name: 'trace',
  summary: 'Run a Node program with the async tracer and write its trace',
  details: [
    'Usage: overlap trace [--out trace.ndjson] [--chrome trace.json] [--cpu-profile] -- <command...>',
    'The tracer is injected through NODE_OPTIONS, so child Node processes and worker threads are traced too, each in',
    'its own part of the trace. The program\'s output, exit code and signals are its own; the exit code of `overlap',
    'trace` is the program\'s (128 + the signal number when a signal ended it). See docs/tracer.md and docs/trace-format.md.',
  ].join('\n'),
  arguments: [],
  passThrough: true,
  options: [
    { flags: '-o, --out <file>', description: 'trace file to write (NDJSON, overlap-trace format)', defaultValue: 'overlap-trace.ndjson' },
    { flags: '--chrome <file>', description: 'also write Chrome Trace Event JSON with flow arrows (open it in Perfetto)' },
    { flags: '--cpu-profile', description: 'record a V8 CPU profile (1 ms sampling) in the trace; samples are charged to the CPU steps they fell in' },
    { flags: '--node-modules', description: 'instrument code under node_modules too (its time is otherwise charged to the calling user code)' },
  ],
  async run(_args, options, io) {
    const command = options['--'] ?? [];
    if (command.length === 0) {
      throw new OverlapError('OVERLAP_USAGE', 'trace needs the program to run after --, e.g. overlap trace -- node app.js');
    }
    const { runTraced, TraceReadError } = await import('@overlap/tracer');
    let result;
    try {
      result = await runTraced({
        command: command[0]!,
        args: command.slice(1),
        out: options.out,
        ...(options.chrome ? { chrome: options.chrome } : {}),
        cwd: io.cwd,
        env: io.env,
        nodeModules: options.nodeModules === true,
        cpuProfile: options.cpuProfile === true,
      });
    } catch (error) {
      if (error instanceof TraceReadError) throw new OverlapError('OVERLAP_IO', `cannot convert the trace: ${error.message}`);
      const code = (error as NodeJS.ErrnoException).code;
      const what = code === 'ENOENT' ? `${command[0]}: command not found` : `${command[0]}: ${(error as Error).message}`;
      throw new OverlapError(code === 'ENOENT' ? 'OVERLAP_USAGE' : 'OVERLAP_IO', `cannot run ${what}`);
    }
    const written = [result.out, result.chrome].filter((file): file is string => file !== undefined).map((file) => relative(io.cwd, file) || file);
    io.stderr.write(`overlap: trace written to ${written.join(' and ')}\n`);
    if (result.signal !== null) return 128 + (constants.signals[result.signal] ?? 0);
    return result.code ?? 1;
  },
});

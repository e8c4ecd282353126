import type { AuditOptions } from '../audit/run-audit.js';
import { defineCommand } from '../command.js';

export default defineCommand<AuditOptions>({
  name: 'audit',
  summary: 'Trace a program and rank the static findings by the time fixing them saves',
  details: [
    'Runs the command after -- with the tracer (or reads --trace), runs the static check on paths (default: the',
    'current folder), joins both by source location and replays the recorded schedule with each rewrite applied:',
    'waits overlap, CPU work on the event loop does not. Hangs are listed first. See docs/audit.md.',
    '',
    'With --load, the command is a server: the audit waits until it listens, drives the load with autocannon, stops it',
    'with SIGTERM and prices each suggestion per request at that load (a closed loop of --connections clients).',
    '',
    'Exit codes: 0 gate passed, 1 a runtime gate (--max-critical-ms, --max-predicted-saving-ms, --baseline-trace)',
    'or a static finding at or above --fail-on failed, 2 usage error or internal error.',
  ].join('\n'),
  arguments: [{ name: 'paths...', description: 'folders, files or globs for the static check (default: the current folder)' }],
  passThrough: true,
  options: [
    { flags: '--trace <file>', description: 'analyse this trace instead of running a command' },
    { flags: '--save-trace <file>', description: 'keep the trace of the command run' },
    { flags: '--cpu-profile', description: 'record a V8 CPU profile with the trace: the HTML draws flame graphs of CPU steps' },
    { flags: '--chrome <file>', description: 'also write the trace as Chrome Trace Event JSON (open it in Perfetto)' },
    { flags: '--load <path-or-url>', description: 'a server: wait until it listens, drive load with autocannon (a path goes to its first port on loopback), then SIGTERM it' },
    { flags: '--connections <n>', description: 'concurrent connections of --load (default 10)', parse: 'integer' },
    { flags: '--duration <seconds>', description: 'how long --load runs (default 10)', parse: 'integer' },
    { flags: '--listen-timeout <seconds>', description: 'how long the program under --load may take to listen on a TCP port (default 30)', parse: 'integer' },
    { flags: '-f, --format <format>', description: 'report format', choices: ['text', 'json', 'html'], defaultValue: 'text' },
    { flags: '-o, --output <file>', description: 'write the report to a file instead of stdout (required for html)' },
    { flags: '-c, --config <file>', description: 'configuration file (default: nearest overlap.config.* or package.json "overlap")' },
    { flags: '--fail-on <severity>', description: 'lowest static severity that fails the run (default: config failOn, else error)', choices: ['error', 'warn', 'none'] },
    { flags: '--root <pattern>', description: 'report the slowest root among routes matching pattern (* wildcard): "GET /users*", "process"' },
    { flags: '--max-critical-ms <n>', description: 'fail when the slowest root takes longer than n ms', parse: 'integer' },
    { flags: '--max-predicted-saving-ms <n>', description: 'fail when the suggestions would save more than n ms in total', parse: 'integer' },
    { flags: '--baseline-trace <file>', description: 'fail when the slowest root regressed against this trace' },
    { flags: '--tolerance <percent>', description: 'regression allowed against --baseline-trace', parse: 'integer', defaultValue: 10 },
    { flags: '--color', description: 'force colours' },
    { flags: '--no-color', description: 'no colours (NO_COLOR and FORCE_COLOR are respected too)' },
  ],
  async run(args, options, io) {
    const { runAudit } = await import('../audit/run-audit.js');
    return runAudit(args, options, io);
  },
});

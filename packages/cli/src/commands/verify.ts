import { defineCommand } from '../command.js';
import type { VerifyOptions } from '../audit/run-verify.js';

export default defineCommand<VerifyOptions>({
  name: 'verify',
  summary: 'Apply a suggestion to a copy of the project and measure what it saves',
  details: [
    'Audits the command after -- (like `overlap audit`), applies the rewrite of suggestion N to a temporary copy of',
    'the current folder, runs the command traced --runs times before and after, and reports the measured saving per',
    'root against the predicted one. The project itself is never changed. With --test "<cmd>", the test command runs',
    'through the shell in the original folder and in the rewritten copy (its exit code decides pass or fail; its',
    'output is shown only on failure), and the verdict says whether the tests still pass after the rewrite.',
    '',
    'With --load, the command is a server: the audit run is traced under that load, then the original and the rewrite',
    'run --runs times each, alternately and untraced, under the same load; it reports per-request latency and',
    'throughput before and after, and the measured per-request saving against the predicted one.',
    '',
    'Exit codes: 0 measured, 1 the rewritten program exited differently from the original, or the tests passed on',
    'the original and fail on the rewrite; 2 usage or internal error.',
  ].join('\n'),
  arguments: [{ name: 'paths...', description: 'folders, files or globs for the static check (default: the current folder)' }],
  passThrough: true,
  options: [
    { flags: '--suggestion <n>', description: 'rank of the suggestion to verify (as `overlap audit` lists them)', parse: 'integer', defaultValue: 1 },
    { flags: '--runs <k>', description: 'traced runs before and after the rewrite', parse: 'integer', defaultValue: 3 },
    { flags: '--test <command>', description: 'shell command run in the original and in the rewritten copy: "npm test"' },
    { flags: '--test-timeout <seconds>', description: 'stop a test command run after this long (counted as failed)', parse: 'integer', defaultValue: 300 },
    { flags: '--load <path-or-url>', description: 'a server: measure under this load (as `overlap audit --load`), untraced, before and after' },
    { flags: '--connections <n>', description: 'concurrent connections of --load (default 10)', parse: 'integer' },
    { flags: '--duration <seconds>', description: 'how long each --load run lasts (default 10)', parse: 'integer' },
    { flags: '--listen-timeout <seconds>', description: 'how long the program under --load may take to listen on a TCP port (default 30)', parse: 'integer' },
    { flags: '-f, --format <format>', description: 'report format', choices: ['text', 'json'], defaultValue: 'text' },
    { flags: '-c, --config <file>', description: 'configuration file (default: nearest overlap.config.* or package.json "overlap")' },
  ],
  async run(args, options, io) {
    const { runVerify } = await import('../audit/run-verify.js');
    return runVerify(args, options, io);
  },
});

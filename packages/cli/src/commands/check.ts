import { defineCommand } from '../command.js';
import type { FailOn } from '../config/types.js';
import { formatNames } from '../reporters/index.js';

export interface CheckOptions {
  readonly format: string;
  readonly output?: string;
  readonly config?: string;
  readonly project?: string;
  readonly ignore?: readonly string[];
  readonly failOn?: FailOn;
  readonly maxFindings?: number;
  readonly baseline?: string;
  readonly updateBaseline?: boolean;
  readonly shard?: string;
  readonly fix?: boolean;
  readonly fixDryRun?: boolean;
  readonly cache?: boolean;
  readonly cacheLocation?: string;
  readonly threads?: number;
  readonly crossFile: boolean;
  readonly color?: boolean;
  readonly progress: boolean;
}

export default defineCommand<CheckOptions>({
  name: 'check',
  summary: 'Audit a project for async concurrency problems',
  details: [
    'Paths may be folders, files or globs (default: the current folder). A folder with a tsconfig.json is read as',
    'that project (its include/files/references, JavaScript included); other folders give every JS/TS file in',
    'them. node_modules, build output (dist, build, out, coverage, .next, ...) and .gitignore\'d files are skipped.',
    '',
    'Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error, internal error or nothing analysed.',
  ].join('\n'),
  arguments: [{ name: 'paths...', description: 'folders, files or globs to audit (default: the current folder)' }],
  options: [
    { flags: '-f, --format <format>', description: 'report format', choices: formatNames, defaultValue: 'text' },
    { flags: '-o, --output <file>', description: 'write the report to a file instead of stdout' },
    { flags: '-c, --config <file>', description: 'configuration file (default: nearest overlap.config.* or package.json "overlap")' },
    { flags: '-p, --project <tsconfig>', description: 'take the file list from this tsconfig' },
    { flags: '--ignore <glob>', description: 'leave out files matching a gitignore-style glob (repeatable)', parse: 'collect' },
    { flags: '--fail-on <severity>', description: 'lowest severity that fails the run (default: config failOn, else error)', choices: ['error', 'warn', 'none'] },
    { flags: '--max-findings <n>', description: 'also fail when there are more than n findings', parse: 'integer' },
    { flags: '--baseline <file>', description: 'leave out findings listed in this baseline file' },
    { flags: '--update-baseline', description: 'write all current findings to the --baseline file and exit 0' },
    { flags: '--shard <i/n>', description: 'analyse only shard i of n (stable split by file path)' },
    { flags: '--fix', description: 'apply the rewrites of high-confidence findings to the files' },
    { flags: '--fix-dry-run', description: 'print the rewrites --fix would apply as a unified diff; change nothing' },
    { flags: '--cache', description: 'reuse results of unchanged files from the last run' },
    { flags: '--cache-location <path>', description: 'cache folder (default: node_modules/.cache/overlap, else .overlap-cache)' },
    { flags: '--threads <n>', description: 'worker threads (0: analyse in this thread; default: by project size and cores)', parse: 'integer' },
    { flags: '--no-cross-file', description: 'do not resolve imported functions (see only what ESLint sees)' },
    { flags: '--color', description: 'force colours' },
    { flags: '--no-color', description: 'no colours (NO_COLOR and FORCE_COLOR are respected too)' },
    { flags: '--no-progress', description: 'no progress bar (it only shows on a terminal, outside CI, for long runs)' },
  ],
  async run(args, options, io) {
    const { runCheck } = await import('../check/run-check.js');
    return runCheck(args, options, io);
  },
});

import { defineCommand } from '../command.js';
import { formatNames } from '../reporters/index.js';

export interface MergeOptions {
  readonly output?: string;
  readonly format: string;
  readonly failOn?: 'error' | 'warn' | 'none';
}

export default defineCommand<MergeOptions>({
  name: 'merge',
  summary: 'Combine JSON reports (from --shard runs) into one report',
  details: 'Findings are concatenated (duplicates by fingerprint dropped), summaries added up; durationMs is the sum over the reports.\nExits 0 unless --fail-on is given, then like `check`.',
  arguments: [{ name: 'reports...', description: 'JSON reports written by `overlap check --format json`', required: true }],
  options: [
    { flags: '-o, --output <file>', description: 'write the merged report to a file instead of stdout' },
    { flags: '-f, --format <format>', description: 'format of the merged report', choices: formatNames, defaultValue: 'json' },
    { flags: '--fail-on <severity>', description: 'gate the merged findings like `check` does', choices: ['error', 'warn', 'none'] },
  ],
  async run(args, options, io) {
    const { runMerge } = await import('../merge/run-merge.js');
    return runMerge(args, options, io);
  },
});

import type { CommandSpec } from '../command.js';

export interface CommandEntry {
  /** One line for the top-level `--help`, so listing commands loads none of them. */
  readonly summary: string;
  readonly load: () => Promise<{ default: CommandSpec<any> }>;
}

/**
 * Every command, lazily imported: running `overlap check` loads only src/commands/check.ts. To add a command,
 * write src/commands/<name>.ts (default export: `defineCommand({...})`) and add one line here.
 */
export const commands: Readonly<Record<string, CommandEntry>> = {
  check: { summary: 'Audit a project for async concurrency problems', load: () => import('./check.js') },
  audit: { summary: 'Trace a program and rank the static findings by the time fixing them saves', load: () => import('./audit.js') },
  verify: { summary: 'Apply a suggestion to a copy of the project and measure what it saves', load: () => import('./verify.js') },
  trace: { summary: 'Run a Node program with the async tracer and write its trace', load: () => import('./trace.js') },
  init: { summary: 'Write a starter overlap.config.json', load: () => import('./init.js') },
  merge: { summary: 'Combine JSON reports (from --shard runs) into one report', load: () => import('./merge.js') },
};

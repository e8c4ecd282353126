import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { allChecks } from '@overlap/core';
import type { CliIO } from '../command.js';
import { configFileNames } from '../config/load-config.js';
import type { UserConfig } from '../config/types.js';
import { OverlapError } from '../errors.js';

/** The starter configuration: every rule at its recommended severity, the gate at `error`. */
export function starterConfig(): UserConfig {
  return {
    rules: Object.fromEntries(allChecks.map((check) => [check.meta.id, check.meta.recommended === false ? 'off' : check.meta.recommended])),
    ignores: [],
    failOn: 'error',
  };
}

export function runInit(target: string, io: CliIO): number {
  const file = resolve(io.cwd, target);
  const existing = [file, ...configFileNames.map((name) => join(io.cwd, name))].find((candidate) => existsSync(candidate)) ?? packageJsonWithKey(io.cwd);
  if (existing) {
    throw new OverlapError('OVERLAP_CONFIG_EXISTS', `${relative(io.cwd, existing) || existing}: a configuration already exists; not overwriting it`);
  }
  writeFileSync(file, `${JSON.stringify(starterConfig(), null, 2)}\n`);
  io.stdout.write(`Wrote ${relative(io.cwd, file)} (${allChecks.length} rules). Run \`overlap check\` to audit the project.\n`);
  return 0;
}

function packageJsonWithKey(cwd: string): string | undefined {
  const file = join(cwd, 'package.json');
  try {
    return 'overlap' in (JSON.parse(readFileSync(file, 'utf8')) as object) ? file : undefined;
  } catch {
    return undefined;
  }
}

import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { allChecks } from '@overlap/core';
import type { CliIO } from '../command.js';
import { configFileNames } from '../config/load-config.js';
import { configSchemaPath } from '../config/schema.js';
import type { UserConfig } from '../config/types.js';
import { OverlapError } from '../errors.js';

/** What editors resolve `$schema` against: the schema the installed package ships. */
export const starterSchemaRef = `./node_modules/overlap/${configSchemaPath}`;

/** The cache folder when a project has no node_modules (`--cache`); node_modules is ignored already. */
const cacheFolderEntry = '.overlap-cache/';

/** The starter configuration: every rule at its recommended severity, the gate at `error`. */
export function starterConfig(): UserConfig {
  return {
    $schema: starterSchemaRef,
    rules: Object.fromEntries(allChecks.map((check) => [check.meta.id, check.meta.recommended === false ? 'off' : check.meta.recommended])),
    ignores: [],
    failOn: 'error',
  };
}

export function runInit(target: string, force: boolean, io: CliIO): number {
  const file = resolve(io.cwd, target);
  const existing = [file, ...configFileNames.map((name) => join(io.cwd, name))].find((candidate) => existsSync(candidate)) ?? packageJsonWithKey(io.cwd);
  if (existing && !force) {
    throw new OverlapError('OVERLAP_CONFIG_EXISTS', `${relative(io.cwd, existing) || existing}: a configuration already exists; not overwriting it (--force overwrites ${relative(io.cwd, file)})`);
  }
  writeFileSync(file, `${JSON.stringify(starterConfig(), null, 2)}\n`);
  const ignored = ignoreCacheFolder(dirname(file));
  io.stdout.write(
    `Wrote ${relative(io.cwd, file)} (${allChecks.length} rules)${ignored ? `; added ${cacheFolderEntry} to ${relative(io.cwd, ignored)}` : ''}. Run \`overlap check\` to audit the project.\n`,
  );
  return 0;
}

/** Adds the cache folder to the .gitignore beside the configuration (created if missing); the file changed, if any. */
function ignoreCacheFolder(dir: string): string | undefined {
  const gitignore = join(dir, '.gitignore');
  const text = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  const lines = text.split(/\r?\n/u).map((line) => line.trim());
  if (lines.some((line) => ['.overlap-cache', '.overlap-cache/', '/.overlap-cache', '/.overlap-cache/'].includes(line))) return undefined;
  appendFileSync(gitignore, `${text === '' || text.endsWith('\n') ? '' : '\n'}# overlap --cache results\n${cacheFolderEntry}\n`);
  return gitignore;
}

function packageJsonWithKey(cwd: string): string | undefined {
  const file = join(cwd, 'package.json');
  try {
    return 'overlap' in (JSON.parse(readFileSync(file, 'utf8')) as object) ? file : undefined;
  } catch {
    return undefined;
  }
}

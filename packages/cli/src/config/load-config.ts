import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OverlapError, firstLine } from '../errors.js';
import { loadTypeScript } from '../project/typescript.js';
import type { ResolvedConfig } from './types.js';
import { validateConfig } from './validate-config.js';

/** Looked for in this order in each directory, from the working directory up to the repository root. */
export const configFileNames = ['overlap.config.json', 'overlap.config.js', 'overlap.config.mjs', 'overlap.config.cjs', 'overlap.config.ts'] as const;

/**
 * Finds and loads the configuration: `--config <file>` if given, else the nearest overlap.config.* or package.json
 * with an `overlap` key, searching from `cwd` upwards and stopping at the repository root (a folder with .git).
 * No configuration at all is fine: every rule runs at its recommended severity.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<ResolvedConfig> {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new OverlapError('OVERLAP_CONFIG', `${explicit}: configuration file not found`);
    return validateConfig(await readConfigFile(file), file, dirname(file));
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of configFileNames) {
      const file = join(dir, name);
      if (existsSync(file)) return validateConfig(await readConfigFile(file), file, dir);
    }
    const packageJson = join(dir, 'package.json');
    if (existsSync(packageJson)) {
      const manifest = parseJson(packageJson) as Record<string, unknown>;
      if (manifest && typeof manifest === 'object' && 'overlap' in manifest) {
        return validateConfig(manifest['overlap'], `${packageJson} ("overlap" key)`, dir);
      }
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  return validateConfig({}, undefined, resolve(cwd));
}

async function readConfigFile(file: string): Promise<unknown> {
  if (file.endsWith('.json')) return parseJson(file);
  if (file.endsWith('.ts')) return importTypeScriptConfig(file);
  return importModule(file);
}

function parseJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/u, '');
  } catch (error) {
    throw new OverlapError('OVERLAP_CONFIG', `${file}: cannot read: ${firstLine(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OverlapError('OVERLAP_CONFIG', `${file}: invalid JSON: ${firstLine(error)}`);
  }
}

async function importModule(file: string): Promise<unknown> {
  try {
    const module = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
    return module.default ?? module;
  } catch (error) {
    throw new OverlapError('OVERLAP_CONFIG', `${file}: cannot load: ${firstLine(error)}`);
  }
}

/**
 * Node 20 cannot import TypeScript. We strip the types with TypeScript's own transpiler (the one copy the CLI
 * loads, lazily), write the result beside the original so its relative imports of JavaScript still resolve, import
 * it, and remove it. Imports of other .ts files are not supported: say so rather than guess.
 */
async function importTypeScriptConfig(file: string): Promise<unknown> {
  const ts = loadTypeScript();
  const source = readFileSync(file, 'utf8');
  const output = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const temporary = join(dirname(file), `.${basename(file, '.ts')}.${process.pid}.${Date.now()}.mjs`);
  writeFileSync(temporary, output);
  try {
    return await importModule(temporary);
  } catch (error) {
    throw new OverlapError('OVERLAP_CONFIG', `${file}: cannot load: ${error instanceof OverlapError ? error.message.split(': cannot load: ')[1] : firstLine(error)}`);
  } finally {
    rmSync(temporary, { force: true });
  }
}

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesRoot = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** Every JavaScript and TypeScript source under fixtures/ (rules, scenarios, projects), declaration files excepted. */
export function fixtureSources(dir = fixturesRoot): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...fixtureSources(path));
    else if (/\.(?:[cm]?[jt]sx?)$/u.test(name) && !/\.d\.[cm]?ts$/u.test(name)) out.push(path);
  }
  return out;
}

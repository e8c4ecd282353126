import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchFolder } from '../helpers.js';

/**
 * What a user installs: each package is packed with `npm pack`, and the tarballs are unpacked into a project's
 * node_modules (what npm does with a tarball). The project sits inside the workspace, so the tarballs' own
 * dependencies resolve to the workspace's node_modules, offline; the packed @overlap packages come first.
 */
const packages = ['core', 'runtime-analysis', 'tracer', 'eslint-plugin', 'cli'];
let project: string;
let tarballs: Map<string, string[]>;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  project = scratchFolder('packed');
  const packs = join(project, 'packs');
  mkdirSync(packs);
  tarballs = new Map();
  for (const name of packages) {
    const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packs], join(repoRoot, 'packages', name))) as Array<{ name: string; filename: string; files: Array<{ path: string }> }>;
    tarballs.set(info!.name, info!.files.map((file) => file.path));
    const target = join(project, 'node_modules', ...info!.name.split('/'));
    mkdirSync(target, { recursive: true });
    run('tar', ['xzf', join(packs, info!.filename.replace(/^@/u, '').replace('/', '-')), '-C', target, '--strip-components=1'], project);
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'packed-check', private: true, type: 'module' }));
}, 240_000);

describe('npm pack', () => {
  it('ships LICENSE, README, repository and the sources the source maps point at', () => {
    for (const [name, files] of tarballs) {
      expect(files, name).toContain('LICENSE');
      expect(files, name).toContain('README.md');
      const manifest = JSON.parse(readFileSync(join(project, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')) as { repository?: { url: string; directory: string } };
      expect(manifest.repository?.directory, name).toMatch(/^packages\//u);
      for (const map of files.filter((file) => file.endsWith('.js.map'))) {
        const root = join(project, 'node_modules', ...name.split('/'));
        const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] };
        for (const source of sources) expect(existsSync(resolve(dirname(join(root, map)), source)), `${name}: ${map} -> ${source}`).toBe(true);
      }
    }
    expect(readdirSync(join(project, 'node_modules', '@overlap')).sort()).toEqual(['core', 'eslint-plugin', 'runtime-analysis', 'tracer']);
  });

  it('works from CommonJS: require() of the plugin gives the plugin itself, the others their API', () => {
    writeFileSync(
      join(project, 'check.cjs'),
      [
        "const plugin = require('@overlap/eslint-plugin');",
        "const esm = require('@overlap/core');",
        'console.log(JSON.stringify({ configs: Object.keys(plugin.configs), rules: Object.keys(plugin.rules).length, hasDefault: "default" in plugin,',
        "  core: typeof esm.allChecks, tracer: typeof require('@overlap/tracer').readTrace, analysis: typeof require('@overlap/runtime-analysis').analyzeRuntime }));",
      ].join('\n'),
    );
    const out = JSON.parse(run(process.execPath, ['check.cjs'], project)) as Record<string, unknown>;
    expect(out).toEqual({ configs: ['recommended', 'all'], rules: 6, hasDefault: false, core: 'object', tracer: 'function', analysis: 'function' });
  });

  it('works from ESM, and the overlap bin runs', () => {
    writeFileSync(
      join(project, 'check.mjs'),
      "import plugin from '@overlap/eslint-plugin';\nimport { allChecks } from '@overlap/core';\nconsole.log(JSON.stringify([Object.keys(plugin.configs), allChecks.length]));\n",
    );
    expect(JSON.parse(run(process.execPath, ['check.mjs'], project))).toEqual([['recommended', 'all'], 6]);
    expect(run(process.execPath, [join(project, 'node_modules', 'overlap', 'bin', 'overlap.js'), '--version'], project).trim()).toMatch(/^\d+\.\d+\.\d+/u);
  });

  it('an eslint.config.ts with defineConfig or typescript-eslint config() and overlap.configs.recommended type-checks', () => {
    writeFileSync(
      join(project, 'eslint.config.ts'),
      [
        "import overlap from '@overlap/eslint-plugin';",
        "import { defineConfig } from 'eslint/config';",
        "import tseslint from 'typescript-eslint';",
        '',
        "export const withTypescriptEslint = tseslint.config([{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, overlap.configs.recommended]);",
        "export default defineConfig([{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, overlap.configs.recommended, overlap.configs.all]);",
        '',
      ].join('\n'),
    );
    writeFileSync(join(project, 'require.cts'), "import overlap = require('@overlap/eslint-plugin');\nexport const rules: object = overlap.configs.recommended.rules ?? {};\n");
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['eslint.config.ts', 'require.cts'] }),
    );
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});

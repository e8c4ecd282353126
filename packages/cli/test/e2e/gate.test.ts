import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relative, repoRoot, runCli, runInProcess, scratchFolder } from '../helpers.js';

/** The CI gate never passes by accident: unreadable code, a mistyped baseline, files it quietly did not take. */

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

const clean = 'export async function twice(load: () => Promise<number>): Promise<number> {\n  return (await load()) * 2;\n}\n';
const broken = 'export async function half(: number {\n  return 1;\n}\n';
const serial = 'import { readFile, stat } from "node:fs/promises";\nexport async function both(dir: string) {\n  const a = await readFile(`${dir}/a`, "utf8");\n  const b = await stat(`${dir}/b`);\n  return [a, b];\n}\n';

describe('a file that does not parse', () => {
  const folder = scratchFolder('gate-parse');
  write(folder, { 'src/clean.ts': clean, 'src/broken.ts': broken });
  const where = relative(repoRoot, folder);

  it('fails the gate (exit 1) even when every other file is clean, unless --fail-on none', async () => {
    const run = runCli(['check', where]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe(`${where}/src/broken.ts:1: Parameter declaration expected.\n`);
    expect(run.stdout).toContain(`${where}/src/broken.ts\n  1:`);
    expect(run.stdout).toMatch(/error {2}Not analysed: Parameter declaration expected\./u);
    expect(run.stdout).toMatch(/^✖ 0 findings \(0 errors, 0 warnings\) in 1 file \(1 file not analysed\) · \d+\.\d\ds\n$/mu);
    expect((await runInProcess(['check', where, '--fail-on', 'none'])).code).toBe(0);
    expect((await runInProcess(['check', where, '--fail-on', 'warn'])).code).toBe(1);
  });

  it('is listed in every format: JSON errors, SARIF notifications at level error, a GitHub ::error', async () => {
    const json = await runInProcess(['check', where, '--format', 'json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { errors: Array<{ file: string }> }).errors.map((error) => error.file)).toEqual([`${where}/src/broken.ts`]);
    const sarif = await runInProcess(['check', where, '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const notifications = (JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> }).runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notifications).toMatchObject([{ level: 'error', message: { text: 'Parameter declaration expected.' } }]);
    const github = await runInProcess(['check', where, '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(`::error file=${where}/src/broken.ts,line=1,col=`);
    expect(github.stdout).toContain('title=overlap%3A not analysed::Parameter declaration expected.');
  });
});

describe('--baseline', () => {
  it('naming a file that does not exist is a usage error (exit 2, one line), except with --update-baseline', async () => {
    const folder = scratchFolder('gate-baseline');
    const missing = await runInProcess(['check', 'fixtures/projects/clean', '--baseline', join(folder, 'typo.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(`overlap: ${join(folder, 'typo.json')}: no such baseline file (create it with --update-baseline)\n`);
    const adopt = await runInProcess(['check', 'fixtures/projects/clean', '--baseline', join(folder, 'new.json'), '--update-baseline']);
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(existsSync(join(folder, 'new.json'))).toBe(true);
    expect((await runInProcess(['check', 'fixtures/projects/clean', '--baseline', join(folder, 'new.json')])).code).toBe(0);
  });
});

describe('which files a run takes', () => {
  it('a tsconfig whose "files" lists only an entry point analyses what the entry imports, and says so', async () => {
    const folder = scratchFolder('gate-entry');
    write(folder, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true }, files: ['src/main.ts'] }),
      'src/main.ts': 'import { both } from "./lib/io.js";\nexport async function main() {\n  return both(".");\n}\n',
      'src/lib/io.ts': serial,
      'src/unused.ts': serial,
    });
    const where = relative(repoRoot, folder);
    const run = await runInProcess(['check', where, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { summary: { files: number }; findings: Array<{ file: string; ruleId: string }> };
    expect(report.summary.files).toBe(2);
    expect(report.findings.map((finding) => [finding.file, finding.ruleId])).toEqual([[`${where}/src/lib/io.ts`, 'prefer-concurrent-awaits']]);
    expect(run.stderr).toBe(
      `overlap: ${where}/tsconfig.json: "files" lists 1 entry point and no "include"; analysing ${where}/src/main.ts and the 1 file it imports, as TypeScript's program does: ${where}/src/lib/io.ts\n`,
    );
  });

  it('a tsconfig that lists files a published package did not ship skips them, or scans the folder when none exist', async () => {
    const folder = scratchFolder('gate-unshipped');
    write(folder, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs' }, files: ['lib/index.ts', 'lib/cli.ts'] }),
      'index.js': serial.replace(/^import .*\n/u, 'const { readFile, stat } = require("node:fs/promises");\n'),
    });
    const where = relative(repoRoot, folder);
    const scanned = await runInProcess(['check', where, '--format', 'json']);
    expect(scanned.code, scanned.stderr).toBe(0);
    expect((JSON.parse(scanned.stdout) as { summary: { files: number } }).summary.files).toBe(1);
    expect(scanned.stderr).toBe(`overlap: ${where}/tsconfig.json: none of the files it lists exist (${where}/lib/index.ts, ${where}/lib/cli.ts); scanning the folder instead\n`);

    write(folder, { 'lib/index.ts': serial });
    const partly = await runInProcess(['check', where, '--format', 'json']);
    expect(partly.code, partly.stderr).toBe(0);
    expect((JSON.parse(partly.stdout) as { findings: Array<{ file: string }> }).findings.map((finding) => finding.file)).toEqual([`${where}/lib/index.ts`]);
    expect(partly.stderr).toContain(`overlap: ${where}/tsconfig.json: skipped 1 listed file that does not exist: ${where}/lib/cli.ts\n`);
  });

  it('a tsconfig whose include matches nothing (its sources were not published) makes the folder be scanned', async () => {
    const folder = scratchFolder('gate-unshipped-include');
    write(folder, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs' }, include: ['src/**/*.ts'] }),
      'lib/index.js': serial.replace(/^import .*\n/u, 'const { readFile, stat } = require("node:fs/promises");\n'),
    });
    const where = relative(repoRoot, folder);
    const run = await runInProcess(['check', where, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { findings: Array<{ file: string }> }).findings.map((finding) => finding.file)).toEqual([`${where}/lib/index.js`]);
    expect(run.stderr).toBe(`overlap: ${where}/tsconfig.json: matches no files (its sources are not here); scanning the folder instead\n`);
  });

  it('a path named explicitly is analysed even under dist/, build/, out/ or node_modules/', async () => {
    const folder = scratchFolder('gate-named');
    write(folder, { 'dist/a.js': broken.replace(': number', ''), 'build/b.ts': serial, 'out/c.ts': serial, 'node_modules/pkg/d.js': serial.replace(/^import .*\n/u, 'const { readFile, stat } = require("node:fs/promises");\n') });
    const where = relative(repoRoot, folder);
    for (const path of ['build/b.ts', 'out', 'node_modules/pkg/d.js']) {
      const run = await runInProcess(['check', `${where}/${path}`, '--format', 'json']);
      expect(run.code, `${path}: ${run.stderr}`).toBe(0);
      const report = JSON.parse(run.stdout) as { summary: { files: number }; findings: Array<{ ruleId: string }> };
      expect(report.summary.files, path).toBe(1);
      expect(report.findings.map((finding) => finding.ruleId), path).toEqual(['prefer-concurrent-awaits']);
    }
    // A glob that names the folder takes it too (run inside the scratch folder, which the repository's .gitignore hides).
    const glob = await runInProcess(['check', 'build/**/*.ts', '--format', 'json'], { cwd: folder });
    expect((JSON.parse(glob.stdout) as { summary: { files: number } }).summary.files).toBe(1);
  });

  it('when everything is ignored, the message says which ignore excluded it', async () => {
    const folder = scratchFolder('gate-ignored');
    write(folder, { 'dist/a.js': serial, 'dist/b.js': serial, 'build/c.ts': serial, 'src/d.ts': serial });
    const where = relative(repoRoot, folder);
    const run = await runInProcess(['check', where, '--ignore', `${where}/src/**`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `overlap: no JavaScript or TypeScript files left in ${where}: excluded 1 by --ignore, 1 by the default ignore of \`build/\`, 2 by the default ignore of \`dist/\` (name a file or folder to audit it anyway)\n`,
    );
  });
});

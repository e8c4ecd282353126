#!/usr/bin/env node
/**
 * `npm run corpus`: Overlap on large real code bases. Installs pinned packages from the npm registry into the
 * gitignored `.corpus/` folder, copies each package's shipped JS/TS out of node_modules (the CLI skips
 * node_modules and build-output folders, so those names are suffixed with `_` in the copy), runs the built CLI,
 * `overlap check --format json`, over each copy with every rule on, and prints per corpus: files, lines, findings
 * per rule, crashes and internal errors, parse failures and time. Then applies every suggested rewrite (a superset
 * of what `--fix` applies) to a copy of its file and checks that the result still parses and, for TypeScript
 * sources, that it adds no type error the file did not already have.
 *
 * Usage: npm run corpus [-- --only <name>] [--json <file>]     (build first: `npm run build`)
 * Not part of `npm test`: it downloads packages and takes minutes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = join(root, '.corpus');
const bin = join(root, 'packages/cli/bin/overlap.js');

/** Pinned so the counts in docs/precision.md can be reproduced. Async-heavy; compiled JS and shipped TS sources. */
const corpora = [
  { name: 'mongoose', version: '8.24.10', kind: 'ODM, plain JS' },
  { name: 'ioredis', version: '5.9.2', kind: 'Redis client, compiled JS (built/)' },
  { name: 'got', version: '14.6.5', kind: 'HTTP client, compiled ESM (dist/source)' },
  { name: 'typeorm', version: '1.1.1', kind: 'ORM, compiled JS (CommonJS and browser ESM)' },
  { name: 'openai', version: '4.95.0', kind: 'cloud API SDK client, shipped TS sources (src/) and compiled JS' },
  { name: '@trpc/server', version: '11.25.2', kind: 'RPC framework, shipped TS sources (src/) and bundled dist' },
];

const sourceFile = /\.(?:[cm]?[jt]s|[jt]sx)$/u;
const declarationFile = /\.d\.[cm]?ts$/u;
/** Folder names `overlap check` skips as build output (packages/cli/src/project/ignores.ts); renamed in the copy. */
const skippedFolders = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output',
  '.svelte-kit', '.turbo', '.vercel', '.cache', '.parcel-cache', '.docusaurus', 'storybook-static', 'bower_components', 'jspm_packages']);

const allRules = {
  rules: Object.fromEntries(['prefer-concurrent-awaits', 'prefer-concurrent-iteration', 'no-stale-write-across-await',
    'no-check-then-act-across-await', 'no-unbounded-concurrency', 'no-blocking-in-async'].map((id) => [id, 'warn'])),
};

function main() {
  const args = process.argv.slice(2);
  const only = valueOf(args, '--only');
  const jsonOut = valueOf(args, '--json');
  if (!existsSync(join(root, 'packages/cli/dist/cli.js'))) fail('build first: npm run build');
  const selected = corpora.filter((corpus) => !only || corpus.name === only);
  if (selected.length === 0) fail(`no corpus named ${only}`);

  install(corpora);
  const configFile = join(corpusDir, 'overlap.all.json');
  writeFileSync(configFile, `${JSON.stringify(allRules, null, 2)}\n`);

  const results = [];
  for (const corpus of selected) {
    const label = `${corpus.name}@${corpus.version}`;
    const work = copyOut(corpus);
    const { files, lines } = countSources(work);
    const reportFile = join(corpusDir, 'reports', `${corpus.name.replace('/', '__')}.json`);
    mkdirSync(dirname(reportFile), { recursive: true });
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin, 'check', '.', '--format', 'json', '--output', reportFile, '--config', configFile,
      '--fail-on', 'none', '--no-progress'], { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, OVERLAP_DEBUG: '1' } });
    const seconds = (performance.now() - started) / 1000;
    const stderr = run.stderr ?? '';
    const internal = stderr.split('\n').filter((line) => / internal error/u.test(line));
    const crashed = run.status !== 0 || run.signal !== null;
    const report = !crashed && existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
    const rewrites = report ? checkRewrites(work, report) : { applied: 0, files: 0, failures: [] };
    const result = {
      corpus: label,
      kind: corpus.kind,
      files,
      lines,
      analysed: report?.summary.files ?? 0,
      findings: report?.summary.findings ?? 0,
      byRule: report?.summary.byRule ?? {},
      crashes: crashed ? 1 : 0,
      crash: crashed ? `exit ${run.status ?? run.signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : undefined,
      internalErrors: internal.length,
      internalErrorLines: internal.slice(0, 20),
      parseFailures: report?.errors.length ?? 0,
      parseFailureLines: (report?.errors ?? []).slice(0, 20).map((e) => `${e.file}:${e.line}: ${e.message}`),
      seconds: Math.round(seconds * 10) / 10,
      rewrites,
    };
    results.push(result);
    printResult(result);
  }
  printTable(results);
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
  const bad = results.filter((r) => r.crashes > 0 || r.internalErrors > 0 || r.rewrites.failures.length > 0);
  if (bad.length > 0) process.exitCode = 1;
}

/** One npm install for every corpus, reused while the pinned list is unchanged. */
function install(list) {
  const specs = list.map((c) => `${c.name}@${c.version}`);
  const installDir = join(corpusDir, 'install');
  const marker = join(installDir, 'corpus.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(specs)) return;
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  writeFileSync(join(installDir, 'package.json'), '{ "private": true }\n');
  process.stderr.write(`corpus: installing ${specs.join(' ')}\n`);
  // Serialised with other npm runs in this checkout; no scripts run: we only read the code.
  execFileSync('flock', ['/tmp/npm.lock', 'npm', 'install', '--prefix', installDir, '--no-save', '--ignore-scripts', '--no-audit',
    '--no-fund', '--legacy-peer-deps', '--loglevel=error', ...specs], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(marker, JSON.stringify(specs));
}

/** Copies the package (without its own node_modules) to .corpus/work/<name>@<version>, fresh each run. */
function copyOut(corpus) {
  const from = join(corpusDir, 'install', 'node_modules', corpus.name);
  const version = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).version;
  if (version !== corpus.version) fail(`${corpus.name}: installed ${version}, pinned ${corpus.version}`);
  const to = join(corpusDir, 'work', `${corpus.name.replace('/', '__')}@${corpus.version}`);
  rmSync(to, { recursive: true, force: true });
  for (const file of walk(from, false)) {
    const parts = relative(from, file).split('/').map((part, index, all) => (index < all.length - 1 && skippedFolders.has(part) ? `${part}_` : part));
    const target = join(to, ...parts);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  return to;
}

function* walk(dir, sourcesOnly = true) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(path, sourcesOnly);
    } else if (entry.isFile() && (!sourcesOnly || (sourceFile.test(entry.name) && !declarationFile.test(entry.name)))) {
      yield path;
    }
  }
}

function countSources(dir) {
  let files = 0;
  let lines = 0;
  for (const file of walk(dir)) {
    files++;
    lines += readFileSync(file, 'utf8').split('\n').length;
  }
  return { files, lines };
}

/**
 * Applies every finding's suggestion, one file at a time (edits of one finding together; findings whose edits
 * overlap an earlier one's are applied to a fresh copy instead), and checks each result: it parses with the same
 * parser as the CLI, and a TypeScript file gains no type error (compared with the original, both checked alone).
 */
function checkRewrites(work, report) {
  const byFile = new Map();
  for (const finding of report.findings) {
    if (!finding.suggestion) continue;
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  if (byFile.size === 0) return { applied: 0, files: 0, failures: [] };
  const helper = join(root, 'scripts', 'corpus-rewrites.mjs');
  const input = [...byFile].map(([file, findings]) => ({ path: join(work, file), file, findings }));
  const run = spawnSync(process.execPath, [helper], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd: root });
  if (run.status !== 0) return { applied: 0, files: byFile.size, failures: [`rewrite checker failed: ${(run.stderr ?? '').trim().split('\n').slice(-2).join(' | ')}`] };
  return JSON.parse(run.stdout);
}

function printResult(r) {
  const rules = Object.entries(r.byRule).map(([rule, count]) => `${rule} ${count}`).join(', ') || 'none';
  process.stdout.write(`\n${r.corpus} (${r.kind})\n`);
  process.stdout.write(`  files ${r.files}, lines ${r.lines}, analysed ${r.analysed}, time ${r.seconds} s\n`);
  process.stdout.write(`  findings ${r.findings}: ${rules}\n`);
  process.stdout.write(`  crashes ${r.crashes}${r.crash ? ` (${r.crash})` : ''}, internal errors ${r.internalErrors}, parse failures ${r.parseFailures}\n`);
  for (const line of r.internalErrorLines) process.stdout.write(`    ${line}\n`);
  for (const line of r.parseFailureLines) process.stdout.write(`    ${line}\n`);
  process.stdout.write(`  rewrites applied ${r.rewrites.applied} in ${r.rewrites.files} files, unsafe ${r.rewrites.failures.length}\n`);
  for (const line of r.rewrites.failures.slice(0, 20)) process.stdout.write(`    ${line}\n`);
}

function printTable(results) {
  const rules = [...new Set(results.flatMap((r) => Object.keys(r.byRule)))].sort();
  const header = ['corpus', 'files', 'lines', ...rules, 'crashes', 'internal', 'unparsed', 'rewrites (unsafe)', 'seconds'];
  const rows = results.map((r) => [r.corpus, r.files, r.lines, ...rules.map((rule) => r.byRule[rule] ?? 0), r.crashes, r.internalErrors,
    r.parseFailures, `${r.rewrites.applied} (${r.rewrites.failures.length})`, r.seconds]);
  process.stdout.write(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`);
  for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
}

function valueOf(args, flag) {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

function fail(message) {
  process.stderr.write(`corpus: ${message}\n`);
  process.exit(2);
}

main();

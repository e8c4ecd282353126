#!/usr/bin/env node
/**
 * `npm run eval:real`: recall and false positives on real cases (issue 11). Each case in eval/cases/ pins a
 * published npm version and a line span where maintainers later fixed a concurrency problem (or, for
 * must-stay-sequential, a span that must not be flagged). For every case this packs the version once (cached in
 * `.eval-cache/`), then runs
 *   (a) the plugin inside real ESLint (flat config: overlap.configs.recommended, typescript-eslint's parser for
 *       TypeScript files, default options) on the case's file, and
 *   (b) the CLI (`overlap check <package folder> --format json`, defaults, imports resolved) on the whole package,
 * and counts the case detected when a finding of its rule (a race: either race rule) touches its span.
 * Prints a table and a summary, writes eval/results.json.
 *
 * With `--core`, ESLint's own `no-await-in-loop` and `require-atomic-updates` run on the same files as a reference
 * (await loops and races only: the other kinds have no core counterpart).
 *
 * Usage: npm run eval:real [-- --only <id>] [--json] [--no-cli] [--no-plugin] [--core]
 * Not part of `npm test`: it downloads packages from the registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { coreRuleFor, matchingFindings, overlaps, summarise, validateCase } from './eval/match.js';
import { cliCopy, cliPath, unpacked } from './eval/packages.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const casesDir = join(root, 'eval/cases');
const cacheDir = join(root, '.eval-cache');
const bin = join(root, 'packages/cli/bin/overlap.js');
const pluginEntry = join(root, 'packages/eslint-plugin/dist/index.js');

const args = process.argv.slice(2);
const only = valueOf('--only');
const asJson = args.includes('--json');
const runPlugin = !args.includes('--no-plugin');
const runCli = !args.includes('--no-cli');
const runCore = args.includes('--core');
const log = (line) => { if (!asJson) process.stdout.write(`${line}\n`); };

function valueOf(flag) {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
}

function fail(message) {
  process.stderr.write(`eval-real: ${message}\n`);
  process.exit(2);
}

/** Builds the packages when their dist is missing (turbo's cache makes a rebuild quick when nothing changed). */
function build() {
  if (existsSync(pluginEntry) && existsSync(join(root, 'packages/cli/dist/cli.js'))) return;
  process.stderr.write('eval-real: building the packages (turbo run build)\n');
  const run = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) fail('the build failed');
}

function loadCases() {
  const cases = [];
  for (const name of readdirSync(casesDir).filter((n) => n.endsWith('.json')).sort()) {
    let testCase;
    try {
      testCase = JSON.parse(readFileSync(join(casesDir, name), 'utf8'));
    } catch (error) {
      fail(`eval/cases/${name}: not JSON (${error.message})`);
    }
    const problems = validateCase(testCase, name);
    if (problems.length > 0) fail(`eval/cases/${name}: ${problems.join('; ')}`);
    cases.push(testCase);
  }
  return cases;
}

const tsFile = /\.(?:ts|tsx|mts|cts)$/u;

/** ESLint for one package folder: the recommended config, TS parser for TS files, CommonJS where Node would use it. */
function eslintFor(folder, plugin) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const jsSourceType = manifest.type === 'module' ? 'module' : 'commonjs';
  return new ESLint({
    cwd: folder,
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [
      { files: ['**/*.js', '**/*.jsx'], languageOptions: { sourceType: jsSourceType } },
      { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tseslint.parser } },
      plugin.configs.recommended,
    ],
  });
}

/** ESLint with only its core rules that cover the same problems, same parsers as eslintFor. */
function eslintCoreFor(folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  return new ESLint({
    cwd: folder,
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [
      { files: ['**/*.js', '**/*.jsx'], languageOptions: { sourceType: manifest.type === 'module' ? 'module' : 'commonjs' } },
      { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tseslint.parser } },
      { rules: { 'no-await-in-loop': 'warn', 'require-atomic-updates': 'warn' } },
    ],
  });
}

/** Whether ESLint's core rule for the case reports inside its span; undefined when no core rule applies. */
async function coreDetects(eslint, folder, testCase) {
  const rule = coreRuleFor(testCase);
  if (!rule) return undefined;
  const [result] = await eslint.lintFiles([join(folder, testCase.file)]);
  if (result.messages.some((m) => m.fatal)) return null;
  return result.messages.some((m) => m.ruleId === rule && overlaps([m.line, m.endLine ?? m.line], testCase.lines));
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** ESLint messages of one file as findings in the CLI's shape (rule id without prefix, suggestion spans as lines). */
async function pluginFindings(eslint, folder, file) {
  const path = join(folder, file);
  const [result] = await eslint.lintFiles([path]);
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) return { error: `parse: ${fatal.message}` };
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/u, '');
  const starts = lineStarts(text);
  const findings = result.messages.filter((m) => m.ruleId?.startsWith('overlap/')).map((m) => ({
    ruleId: m.ruleId.slice('overlap/'.length),
    line: m.line,
    endLine: m.endLine ?? m.line,
    message: m.message,
    extraSpans: (m.suggestions ?? []).map((s) => [lineAt(starts, s.fix.range[0]), lineAt(starts, Math.max(s.fix.range[0], s.fix.range[1] - 1))]),
  }));
  const skipped = result.messages.find((m) => m.ruleId?.startsWith('overlap/') && /skipped this rule/u.test(m.message));
  return { findings, error: skipped ? skipped.message : undefined };
}

function cliReport(work) {
  const out = join(cacheDir, 'reports', `${work.split('/').pop()}.json`);
  mkdirSync(join(cacheDir, 'reports'), { recursive: true });
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, 'check', '.', '--format', 'json', '--output', out, '--fail-on', 'none', '--no-progress'],
    { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0 || !existsSync(out)) return { error: `exit ${run.status ?? run.signal}: ${(run.stderr ?? '').trim().split('\n')[0]}`, seconds };
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const internal = (run.stderr ?? '').split('\n').filter((line) => /internal error/u.test(line));
  return { report, seconds, internal };
}

async function main() {
  build();
  const plugin = (await import(pathToFileURL(pluginEntry).href)).default;
  const all = loadCases();
  const cases = all.filter((c) => !only || c.id === only);
  if (cases.length === 0) fail(only ? `no case with id ${only}` : 'no cases in eval/cases');

  const byPackage = new Map();
  for (const c of cases) {
    const key = `${c.package}@${c.version}`;
    if (!byPackage.has(key)) byPackage.set(key, []);
    byPackage.get(key).push(c);
  }

  const results = [];
  for (const [key, group] of byPackage) {
    const { package: name, version } = group[0];
    let folder;
    try {
      folder = unpacked(cacheDir, name, version);
    } catch (error) {
      for (const c of group) results.push({ id: c.id, kind: c.kind, rule: c.rule, plugin: null, cli: null, error: `npm pack ${key} failed: ${String(error.stderr ?? error.message).trim().split('\n')[0]}` });
      continue;
    }
    const eslint = runPlugin ? eslintFor(folder, plugin) : undefined;
    const coreEslint = runCore ? eslintCoreFor(folder) : undefined;
    let cli;
    if (runCli) {
      log(`${key}: overlap check ...`);
      cli = cliReport(cliCopy(cacheDir, name, version, folder));
    }
    for (const c of group) {
      const result = { id: c.id, kind: c.kind, rule: c.rule, package: key, file: c.file, lines: c.lines, plugin: runPlugin ? null : undefined, cli: runCli ? null : undefined, pluginFindings: [], cliFindings: [] };
      if (!existsSync(join(folder, c.file))) {
        result.error = `${c.file} is not in ${key}`;
        results.push(result);
        continue;
      }
      if (eslint) {
        const lint = await pluginFindings(eslint, folder, c.file);
        if (lint.findings) {
          const hits = matchingFindings(c, lint.findings);
          result.plugin = hits.length > 0;
          result.pluginFindings = hits.map(brief);
        }
        if (lint.error) result.pluginError = lint.error;
      }
      if (coreEslint) result.core = await coreDetects(coreEslint, folder, c);
      if (cli) {
        if (cli.report) {
          const target = cliPath(c.file);
          const inFile = cli.report.findings.filter((f) => f.file === target);
          const hits = matchingFindings(c, inFile);
          result.cli = hits.length > 0;
          result.cliFindings = hits.map(brief);
          const unparsed = cli.report.errors.find((e) => e.file === target);
          if (unparsed) result.cliError = `not analysed: ${unparsed.message}`;
          if (cli.internal.length > 0) result.cliInternalErrors = cli.internal.length;
        } else {
          result.cliError = cli.error;
        }
        result.cliSeconds = Math.round(cli.seconds * 10) / 10;
      }
      results.push(result);
    }
  }

  const summary = summarise(results, toolsRun());
  const engineCommit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const output = { date: new Date().toISOString(), engineCommit, node: process.version, cases: results.length, summary, results };
  if (!only) writeFileSync(join(root, 'eval/results.json'), `${JSON.stringify(output, null, 2)}\n`);
  if (asJson) {
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return;
  }
  printTable(results);
  printSummary(summary, engineCommit);
}

function brief(finding) {
  return { ruleId: finding.ruleId, line: finding.line, message: finding.message };
}

/** The tools this run measures, in column order. */
function toolsRun() {
  return [runPlugin && 'plugin', runCli && 'cli', runCore && 'core'].filter(Boolean);
}

function printTable(results) {
  const mark = (value, expectedNo) => (value === undefined ? '  -' : value === null ? '  ?' : value === true ? (expectedNo ? ' FP' : 'yes') : (expectedNo ? ' ok' : ' no'));
  log('');
  log(`${'case'.padEnd(46)} ${'kind'.padEnd(21)} plugin cli${runCore ? ' core' : ''}  note`);
  for (const r of results) {
    const stay = r.kind === 'must-stay-sequential';
    const note = [r.error, r.pluginError && `plugin: ${r.pluginError}`, r.cliError && `cli: ${r.cliError}`].filter(Boolean).join('; ');
    const core = runCore ? ` ${mark(r.core, stay).padStart(4)}` : '';
    log(`${r.id.padEnd(46)} ${r.kind.padEnd(21)} ${mark(r.plugin, stay).padStart(6)} ${mark(r.cli, stay).padStart(3)}${core}  ${note}`);
  }
}

function printSummary(summary, engineCommit) {
  const tools = toolsRun();
  const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(0)}%`);
  log('');
  log(`engine ${engineCommit}; plugin = ESLint + overlap.configs.recommended; cli = overlap check <package> (defaults)${runCore ? '; core = no-await-in-loop, require-atomic-updates' : ''}`);
  log(`${'kind'.padEnd(22)} cases  ${tools.map((t) => t.padEnd(13)).join(' ')}`);
  for (const [kind, row] of Object.entries(summary.byKind)) {
    const cell = (tool) => (row[tool] === undefined ? '-' : `${row[tool]} (${pct(row[tool], row[`${tool}Cases`] ?? row.cases)})`).padEnd(13);
    log(`${kind.padEnd(22)} ${String(row.cases).padStart(5)}  ${tools.map(cell).join(' ')}`);
  }
  for (const tool of tools) {
    const o = summary.overall[tool];
    const fp = summary.falsePositives[tool];
    log(`${tool}: recall ${o.found}/${o.cases} = ${o.cases ? (o.found / o.cases).toFixed(2) : '-'}; must-stay flagged ${fp ? `${fp.flagged}/${fp.cases}` : '-'}; could not run on ${summary.failures[tool]} case(s)`);
  }
}

await main();

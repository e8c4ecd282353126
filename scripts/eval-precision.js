#!/usr/bin/env node
/**
 * `npm run eval:precision`: draws a seeded random sample of findings on packages never used for tuning
 * (eval/precision-packages.json), for a strict hand review (issue 11). Packs each pinned version (cached in
 * `.eval-cache/`), runs the CLI at its defaults (`overlap check <package> --format json`), and samples N findings
 * stratified so that every rule with findings appears at least once; the rest are drawn uniformly from the
 * remaining findings. Writes eval/precision-sample.md (each finding with its message, confidence and the code
 * around it, and an empty verdict) and eval/precision-sample.json (the same, for a review file to refer to).
 *
 * With `--summarise <review.json>` it prints strict precision per rule from a review file instead (see
 * eval/README.md for its format) and draws nothing.
 *
 * Usage: npm run eval:precision [-- --n 40] [--seed 11] [--summarise eval/precision-review-baseline.json]
 * Not part of `npm test`: it downloads packages from the registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliCopy, cliPath, skippedFolders, unpacked } from './eval/packages.js';
import { sampleStratified } from './eval/sample.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, '.eval-cache');
const bin = join(root, 'packages/cli/bin/overlap.js');
const args = process.argv.slice(2);
const valueOf = (flag) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };

function fail(message) {
  process.stderr.write(`eval-precision: ${message}\n`);
  process.exit(2);
}

function build() {
  if (existsSync(join(root, 'packages/cli/dist/cli.js'))) return;
  process.stderr.write('eval-precision: building the packages (turbo run build)\n');
  const run = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) fail('the build failed');
}

/** The package path of a CLI report path (the CLI's copy renames skipped folders such as dist to dist_). */
function packagePath(file) {
  return file.split('/').map((part) => (part.endsWith('_') && skippedFolders.has(part.slice(0, -1)) ? part.slice(0, -1) : part)).join('/');
}

function summarise(reviewFile) {
  const review = JSON.parse(readFileSync(reviewFile, 'utf8'));
  const byRule = {};
  for (const item of review.findings) {
    byRule[item.ruleId] ??= { reviewed: 0, right: 0 };
    byRule[item.ruleId].reviewed++;
    if (item.verdict === 'right') byRule[item.ruleId].right++;
    else if (item.verdict !== 'wrong') fail(`${reviewFile}: finding ${item.n} has verdict ${JSON.stringify(item.verdict)} (right or wrong)`);
  }
  let reviewed = 0;
  let right = 0;
  for (const [rule, row] of Object.entries(byRule).sort()) {
    reviewed += row.reviewed;
    right += row.right;
    process.stdout.write(`${rule.padEnd(32)} ${row.right}/${row.reviewed} right (${Math.round((100 * row.right) / row.reviewed)}%)\n`);
  }
  process.stdout.write(`${'all'.padEnd(32)} ${right}/${reviewed} right (${Math.round((100 * right) / reviewed)}%) strict\n`);
}

function main() {
  const reviewFile = valueOf('--summarise');
  if (reviewFile) return summarise(reviewFile);
  const n = Number(valueOf('--n') ?? 40);
  const seed = Number(valueOf('--seed') ?? 11);
  if (!Number.isInteger(n) || n < 1) fail('--n takes a positive integer');
  build();
  const { packages } = JSON.parse(readFileSync(join(root, 'eval/precision-packages.json'), 'utf8'));
  const findings = [];
  const runs = [];
  for (const { name, version } of packages) {
    const label = `${name}@${version}`;
    let folder;
    try {
      folder = unpacked(cacheDir, name, version);
    } catch (error) {
      fail(`npm pack ${label} failed: ${String(error.stderr ?? error.message).trim().split('\n')[0]}`);
    }
    const work = cliCopy(cacheDir, name, version, folder);
    const out = join(cacheDir, 'reports', `precision-${label.replace('/', '__')}.json`);
    mkdirSync(join(cacheDir, 'reports'), { recursive: true });
    process.stderr.write(`${label}: overlap check ...\n`);
    const run = spawnSync(process.execPath, [bin, 'check', '.', '--format', 'json', '--output', out, '--fail-on', 'none', '--no-progress'],
      { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (run.status !== 0 || !existsSync(out)) {
      runs.push({ package: label, error: `exit ${run.status}: ${(run.stderr ?? '').trim().split('\n')[0]}` });
      continue;
    }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    runs.push({ package: label, files: report.summary.files, findings: report.summary.findings, byRule: report.summary.byRule });
    for (const finding of report.findings) {
      findings.push({ package: label, folder, file: packagePath(finding.file), cliFile: finding.file, ...pick(finding) });
    }
  }
  const sample = sampleStratified(findings, n, seed, (f) => f.ruleId)
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.package.localeCompare(b.package) || a.file.localeCompare(b.file) || a.line - b.line)
    .map((f, index) => ({ n: index + 1, ...f }));
  const engineCommit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const meta = { date: new Date().toISOString(), engineCommit, seed, n, population: findings.length, runs };
  writeFileSync(join(root, 'eval/precision-sample.json'), `${JSON.stringify({ ...meta, sample: sample.map(({ folder, cliFile, ...rest }) => rest) }, null, 2)}\n`);
  writeFileSync(join(root, 'eval/precision-sample.md'), markdown(meta, sample));
  process.stdout.write(`${findings.length} findings on ${packages.length} packages; sampled ${sample.length} (seed ${seed}) into eval/precision-sample.md\n`);
  for (const r of runs) process.stdout.write(`  ${r.package}: ${r.error ?? `${r.files} files, ${r.findings} findings ${JSON.stringify(r.byRule)}`}\n`);
}

function pick(f) {
  return { ruleId: f.ruleId, confidence: f.confidence, line: f.line, endLine: f.endLine, message: f.message, fingerprint: f.fingerprint };
}

function markdown(meta, sample) {
  const lines = [
    '# Precision sample (issue 11)',
    '',
    `Drawn by \`npm run eval:precision -- --n ${meta.n} --seed ${meta.seed}\` on ${meta.date.slice(0, 10)}, engine ${meta.engineCommit}, from ${meta.population} findings of`,
    `\`overlap check <package> --format json\` (defaults) on the packages of eval/precision-packages.json. Judge each strictly:`,
    'does the message hold, and can the calls really overlap (or, for a race, can two executions really interleave)?',
    '',
  ];
  for (const f of sample) {
    const text = readFileSync(join(f.folder, f.file), 'utf8').split('\n');
    const from = Math.max(1, f.line - 7);
    const to = Math.min(text.length, (f.endLine ?? f.line) + 7, from + 24);
    lines.push(`## ${f.n}. ${f.ruleId} (${f.confidence}) - ${f.package} ${f.file}:${f.line}`, '', `> ${f.message}`, '', '```js');
    for (let i = from; i <= to; i++) lines.push(`${i === f.line ? '>' : ' '}${String(i).padStart(5)} | ${text[i - 1]}`);
    lines.push('```', '', 'Verdict: ', '', 'Reason: ', '');
  }
  return `${lines.join('\n')}\n`;
}

main();

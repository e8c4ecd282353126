#!/usr/bin/env node
/**
 * `npm run eval:precision`: draws a seeded random sample of findings on packages never used for tuning, for a
 * strict hand review (issue 11). Packs each pinned version of the packages file (default
 * eval/precision-packages.json; `--packages eval/precision-holdout.json` for the held-out set), cached in
 * `.eval-cache/`, runs the CLI at its defaults (`overlap check <package> --format json`), and samples N findings
 * stratified so that every rule with findings appears at least once; the rest are drawn uniformly from the
 * remaining findings. Writes `<prefix>-sample.md` (each finding with its message, confidence and the code around
 * it, and an empty verdict) and `<prefix>-sample.json` (the same, for a review file to refer to); the prefix is
 * `--out` (default eval/precision).
 *
 * `--summarise <review.json>` prints strict precision per rule and per confidence from a review file instead (see
 * eval/README.md for its format) and draws nothing.
 *
 * `--carry <review.json>` runs the CLI again on the packages and carries the review's verdicts over to every
 * finding whose package, fingerprint and message are unchanged; it writes `<prefix>-carry.json` (a review file:
 * carried verdicts, and an empty verdict for each new or changed finding) and `<prefix>-carry.md` (only the
 * findings still to judge, with their code, and the review entries no longer found). Fill in the empty verdicts
 * in the .json and `--summarise` it.
 *
 * Usage: npm run eval:precision [-- --n 40] [--seed 11] [--packages <file>] [--out <prefix>]
 *        [--summarise <review.json>] [--carry <review.json>]
 * Not part of `npm test`: it downloads packages from the registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliCopy, skippedFolders, unpacked } from './eval/packages.js';
import { carryReview, summariseReview } from './eval/review.js';
import { sampleStratified } from './eval/sample.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, '.eval-cache');
const bin = join(root, 'packages/cli/bin/overlap.js');
const args = process.argv.slice(2);
const valueOf = (flag) => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  if (args[i + 1] === undefined || args[i + 1].startsWith('--')) fail(`${flag} takes a value`);
  return args[i + 1];
};

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

function readJson(file, what) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`${file}: cannot read the ${what} (${error.code ?? error.message})`);
  }
}

/** The package path of a CLI report path (the CLI's copy renames skipped folders such as dist to dist_). */
function packagePath(file) {
  return file.split('/').map((part) => (part.endsWith('_') && skippedFolders.has(part.slice(0, -1)) ? part.slice(0, -1) : part)).join('/');
}

const percent = (row) => `${row.right}/${row.judged} right (${Math.round((100 * row.right) / row.judged)}%)`;

function summarise(reviewFile) {
  const review = readJson(reviewFile, 'review');
  let summary;
  try {
    summary = summariseReview(review.findings);
  } catch (error) {
    fail(`${reviewFile}: ${error.message}`);
  }
  for (const [rule, row] of Object.entries(summary.byRule).sort()) process.stdout.write(`${rule.padEnd(32)} ${percent(row)}\n`);
  process.stdout.write(`${'all'.padEnd(32)} ${percent(summary.all)} strict\n`);
  for (const [confidence, row] of Object.entries(summary.byConfidence).sort()) {
    process.stdout.write(`${`confidence ${confidence}`.padEnd(32)} ${percent(row)}\n`);
  }
}

/** Every finding of the CLI at its defaults on the packages, with each run's counts. */
function runPackages(packages) {
  build();
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
  return { findings, runs };
}

const byPlace = (a, b) => a.ruleId.localeCompare(b.ruleId) || a.package.localeCompare(b.package) || a.file.localeCompare(b.file) || a.line - b.line;
/** The command as run, for the header of each file written (so a reader can draw the same file again). */
const command = () => `npm run eval:precision -- ${args.join(' ')}`.trim();
const engineCommit = () => spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();

function printRuns(runs) {
  for (const r of runs) process.stdout.write(`  ${r.package}: ${r.error ?? `${r.files} files, ${r.findings} findings ${JSON.stringify(r.byRule)}`}\n`);
}

function sample(packagesFile, prefix) {
  const n = Number(valueOf('--n') ?? 40);
  const seed = Number(valueOf('--seed') ?? 11);
  if (!Number.isInteger(n) || n < 1) fail('--n takes a positive integer');
  const { packages } = readJson(packagesFile, 'packages file');
  const { findings, runs } = runPackages(packages);
  const drawn = sampleStratified(findings, n, seed, (f) => f.ruleId).sort(byPlace).map((f, index) => ({ n: index + 1, ...f }));
  const meta = { date: new Date().toISOString(), engineCommit: engineCommit(), packagesFile: packagesFile.replace(`${root}`, ''), seed, n, population: findings.length, runs };
  writeFileSync(`${prefix}-sample.json`, `${JSON.stringify({ ...meta, sample: drawn.map(({ folder, cliFile, ...rest }) => rest) }, null, 2)}\n`);
  writeFileSync(`${prefix}-sample.md`, markdown(sampleHeader(meta), drawn));
  process.stdout.write(`${findings.length} findings on ${packages.length} packages; sampled ${drawn.length} (seed ${seed}) into ${prefix}-sample.md\n`);
  printRuns(runs);
}

function carry(packagesFile, prefix, reviewFile) {
  const review = readJson(reviewFile, 'review');
  if (!Array.isArray(review.findings)) fail(`${reviewFile}: no findings array`);
  const { packages } = readJson(packagesFile, 'packages file');
  const { findings, runs } = runPackages(packages);
  const unrun = new Set(runs.filter((r) => r.error).map((r) => r.package));
  const { carried, toJudge, gone, notRun } = carryReview(review, findings.sort(byPlace), unrun);
  const numbered = [...carried, ...toJudge].sort(byPlace).map((f, index) => ({ n: index + 1, ...f }));
  const pending = numbered.filter((f) => f.verdict === '');
  const meta = { date: new Date().toISOString(), engineCommit: engineCommit(), packagesFile: packagesFile.replace(`${root}`, ''), carriedFrom: reviewFile.replace(`${root}`, ''), population: findings.length, runs };
  const strip = ({ folder, cliFile, endLine, ...rest }) => rest;
  writeFileSync(`${prefix}-carry.json`, `${JSON.stringify({
    engineCommit: meta.engineCommit,
    judge: `carried from ${meta.carriedFrom} (engine ${review.engineCommit ?? 'unknown'}) where package, fingerprint and message are unchanged; ${pending.length} to judge`,
    population: findings.length, date: meta.date, packagesFile: meta.packagesFile, runs,
    gone: gone.map(brief),
    notRun: notRun.map(brief),
    findings: numbered.map(strip),
  }, null, 2)}\n`);
  writeFileSync(`${prefix}-carry.md`, markdown(carryHeader(meta, carried.length, gone, notRun), pending));
  process.stdout.write(`${findings.length} findings on ${packages.length} packages: ${carried.length} carried from ${reviewFile}, ${pending.length} to judge (${prefix}-carry.md), ${gone.length} gone${notRun.length ? `, ${notRun.length} on packages the CLI could not run` : ''}\n`);
  printRuns(runs);
}

function main() {
  const reviewFile = valueOf('--summarise');
  if (reviewFile) return summarise(reviewFile);
  const packagesFile = resolve(valueOf('--packages') ?? join(root, 'eval/precision-packages.json'));
  const prefix = resolve(valueOf('--out') ?? join(root, 'eval/precision'));
  const carryFile = valueOf('--carry');
  if (carryFile) return carry(packagesFile, prefix, carryFile);
  return sample(packagesFile, prefix);
}

function pick(f) {
  return { ruleId: f.ruleId, confidence: f.confidence, line: f.line, endLine: f.endLine, message: f.message, fingerprint: f.fingerprint };
}

function sampleHeader(meta) {
  return [
    '# Precision sample (issue 11)',
    '',
    `Drawn by \`${command()}\` (n ${meta.n}, seed ${meta.seed}) on ${meta.date.slice(0, 10)}, engine ${meta.engineCommit}, from ${meta.population} findings of`,
    `\`overlap check <package> --format json\` (defaults) on the packages of ${meta.packagesFile}. Judge each strictly:`,
    'does the message hold, and can the calls really overlap (or, for a race, can two executions really interleave)?',
    '',
    ...unrunLines(meta.runs),
  ];
}

const brief = ({ n, ruleId, package: pkg, file, line, verdict }) => ({ n, ruleId, package: pkg, file, line, verdict });
const listed = (items) => items.map((g) => `${g.n} ${g.ruleId} ${g.package} ${g.file}:${g.line} (${g.verdict})`).join('; ');

/** The runs the CLI could not complete: said at the top of every file written, never silently left out. */
function unrunLines(runs) {
  const failed = runs.filter((r) => r.error);
  return failed.length === 0 ? [] : [`Could not run (no findings from these packages): ${failed.map((r) => `${r.package} (${r.error})`).join('; ')}.`, ''];
}

function carryHeader(meta, carriedCount, gone, notRun) {
  const lines = [
    '# Precision review: findings still to judge (issue 11)',
    '',
    `\`${command()}\` on ${meta.date.slice(0, 10)}, engine ${meta.engineCommit}: ${meta.population} findings of`,
    `\`overlap check <package> --format json\` (defaults) on the packages of ${meta.packagesFile}; ${carriedCount} keep the verdict of`,
    'the review (same package, fingerprint and message). Judge the ones below strictly and write each verdict and',
    'reason into the .json beside this file (same `n`); a finding that replaced an earlier one shows its old verdict.',
    '',
  ];
  lines.push(...unrunLines(meta.runs));
  if (gone.length > 0) lines.push(`Review entries no longer found (${gone.length}): ${listed(gone)}.`, '');
  if (notRun.length > 0) lines.push(`Review entries on packages the CLI could not run this time (${notRun.length}, unknown): ${listed(notRun)}.`, '');
  return lines;
}

function markdown(header, findings) {
  const lines = [...header];
  for (const f of findings) {
    const text = readFileSync(join(f.folder, f.file), 'utf8').split('\n');
    const from = Math.max(1, f.line - 7);
    const to = Math.min(text.length, (f.endLine ?? f.line) + 7, from + 24);
    lines.push(`## ${f.n}. ${f.ruleId} (${f.confidence}) - ${f.package} ${f.file}:${f.line}`, '', `> ${f.message}`, '');
    if (f.was) lines.push(`Was (review n ${f.was.n}, ${f.was.verdict}): ${f.was.message ?? '(no message recorded)'} - ${f.was.reason}`, '');
    lines.push('```js');
    for (let i = from; i <= to; i++) lines.push(`${i === f.line ? '>' : ' '}${String(i).padStart(5)} | ${text[i - 1]}`);
    lines.push('```', '', 'Verdict: ', '', 'Reason: ', '');
  }
  return `${lines.join('\n')}\n`;
}

main();

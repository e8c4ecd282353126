#!/usr/bin/env node
/**
 * `npm run bench` runs every benchmark; `npm run bench -- --quick` a short version (small corpus, short loads,
 * one repetition) that proves the benchmarks still run. `--only <section,...>` picks sections:
 * static, rules, timing, http, http-cpu, startup, awaits, audit, offload; `--reps N` sets the repetitions (default 3, 1 with --quick); `--no-build`
 * skips the turbo build; `--corpus issue13` picks issue 13's corpus; `--rows id,...` some rows of the static section.
 * Figures go to stdout and to bench/results/latest*.{json,md}.
 * Targets are printed beside the figures; they are goals, never assertions: the exit code only says
 * whether every benchmark ran.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { prepareCorpus } from './corpus/corpus.js';
import { verdict } from './lib/format.js';
import { repoDir, resultsDir } from './lib/paths.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(argv[onlyIndex + 1].split(',')) : undefined;
const repsIndex = argv.indexOf('--reps');
const reps = repsIndex >= 0 ? Number(argv[repsIndex + 1]) : quick ? 1 : 3;
// `--corpus issue13` measures issue 13's set (2,220 published .js files) instead of the default full corpus.
const corpusIndex = argv.indexOf('--corpus');
// `--rows floor-oxc,overlap,eslint-core-1` measures only those rows of the static section.
const rowsIndex = argv.indexOf('--rows');
const rows = rowsIndex >= 0 ? argv[rowsIndex + 1].split(',') : undefined;
// `--baseline path/to/overlap.js` adds rows for an earlier build of the CLI (before/after in one run).
const baselineIndex = argv.indexOf('--baseline');
const baselineBin = baselineIndex >= 0 ? argv[baselineIndex + 1] : undefined;
const corpusSet = corpusIndex >= 0 ? argv[corpusIndex + 1] : quick ? 'quick' : 'full';

const sections = [
  { id: 'static', load: () => import('./static/throughput.js').then((m) => m.staticThroughput), corpus: true },
  { id: 'rules', load: () => import('./static/rule-cost.js').then((m) => m.ruleCost), corpus: true },
  { id: 'timing', load: () => import('./static/eslint-timing.js').then((m) => m.eslintTiming), corpus: true },
  { id: 'http', load: () => import('./tracer/http-overhead.js').then((m) => m.httpOverhead) },
  { id: 'http-cpu', load: () => import('./tracer/http-cpu.js').then((m) => m.httpCpuOverhead) },
  { id: 'startup', load: () => import('./tracer/startup.js').then((m) => m.startup) },
  { id: 'awaits', load: () => import('./tracer/awaits.js').then((m) => m.millionAwaits) },
  { id: 'audit', load: () => import('./audit/audit-time.js').then((m) => m.auditTime) },
  { id: 'offload', load: () => import('./audit/offload-accuracy.js').then((m) => m.offloadAccuracy) },
];

const log = (line) => process.stderr.write(`${line}\n`);
const started = new Date();
const machine = {
  date: started.toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  loadAtStart: loadavg().map((value) => value.toFixed(2)).join(' '),
  command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
};
log(`overlap bench (${quick ? 'quick' : 'full'}, ${reps} repetition${reps === 1 ? '' : 's'}) on ${machine.cpus} cores, Node ${machine.node}, load ${machine.loadAtStart}`);

// The benchmarks run the built packages (dist): build first (turbo's cache makes this quick when nothing changed).
if (!argv.includes('--no-build')) {
  log('building the packages (turbo run build)');
  const turbo = ['npx', 'turbo', 'run', 'build', '--output-logs=errors-only'];
  // Serialised with other builds on a shared machine where flock exists.
  const command = existsSync('/usr/bin/flock') ? ['flock', '/tmp/build.lock', ...turbo] : turbo;
  const build = spawnSync(command[0], command.slice(1), { cwd: repoDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) log('build failed: measuring the dist folders as they are');
}

let corpus;
const results = [];
let failed = 0;
for (const section of sections) {
  if (only && !only.has(section.id)) continue;
  const sectionStart = performance.now();
  try {
    if (section.corpus && !corpus) corpus = prepareCorpus(corpusSet, log);
    log(`[${section.id}]`);
    const run = await section.load();
    const result = await run({ quick, reps, corpus, log, rows, baselineBin });
    result.seconds = Math.round((performance.now() - sectionStart) / 1000);
    results.push({ id: section.id, ...result });
    process.stdout.write(`\n## ${result.title}\n\n${result.table}\n\n${result.notes.map((note) => `- ${note}`).join('\n')}\n`);
    if (result.targets.length) process.stdout.write(`\n${targetTable(result.targets)}\n`);
  } catch (error) {
    failed++;
    log(`[${section.id}] failed: ${error instanceof Error ? error.message : String(error)}`);
    results.push({ id: section.id, failed: error instanceof Error ? error.message : String(error) });
  }
}
machine.loadAtEnd = loadavg().map((value) => value.toFixed(2)).join(' ');
machine.seconds = Math.round((Date.now() - started.getTime()) / 1000);

const allTargets = results.flatMap((result) => result.targets ?? []);
process.stdout.write(`\n## Targets\n\n${targetTable(allTargets)}\n\nTook ${machine.seconds} s; load average ${machine.loadAtStart} at start, ${machine.loadAtEnd} at end.\n`);
mkdirSync(resultsDir, { recursive: true });
const stem = `latest${quick ? '-quick' : ''}${corpusIndex >= 0 ? `-${corpusSet}` : ''}${only ? `-${[...only].join('-')}` : ''}`;
writeFileSync(join(resultsDir, `${stem}.json`), JSON.stringify({ machine, quick, reps, results }, null, 2));
writeFileSync(join(resultsDir, `${stem}.md`), markdown());
log(`wrote bench/results/${stem}.json and .md`);
process.exitCode = failed ? 1 : 0;

function targetTable(targets) {
  const rows = targets.map((t) => `| ${t.target} | ${t.figure} | ${verdict(t.ok)} |`);
  return ['| target | figure | verdict |', '| --- | --- | --- |', ...rows].join('\n');
}

function markdown() {
  const parts = [
    `# Overlap benchmark results (${quick ? 'quick' : 'full'})`,
    '',
    `- Date: ${machine.date}`,
    `- Machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}`,
    `- Command: \`${machine.command}\` (${reps} repetition${reps === 1 ? '' : 's'}, ${machine.seconds} s)`,
    `- Load average: ${machine.loadAtStart} at start, ${machine.loadAtEnd} at end`,
  ];
  for (const result of results) {
    if (result.failed) {
      parts.push('', `## ${result.id}: failed`, '', result.failed);
      continue;
    }
    parts.push('', `## ${result.title}`, '', result.table, '', ...result.notes.map((note) => `- ${note}`));
    if (result.targets.length) parts.push('', targetTable(result.targets));
  }
  parts.push('', '## Targets', '', targetTable(allTargets), '');
  return parts.join('\n');
}

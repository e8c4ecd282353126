/**
 * Section 1: static audit throughput on the corpus. `overlap check` (the CLI as a child process) against the
 * parse-only floor and ESLint with the two core async rules or with our plugin, each as its own child process,
 * repetitions interleaved so that drift in machine load spreads over every tool alike.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runMeasured } from '../lib/child.js';
import { fmt, table, verdict, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, eslintBin, overlapBin } from '../lib/paths.js';
import { coreRules, pluginRuleIds, writeEslintConfig } from './eslint-configs.js';

const parseOnly = join(benchDir, 'static', 'parse-only.js');

function eslintRow(id, label, config, concurrency, options = {}) {
  return {
    id,
    label,
    typed: options.typed ?? false,
    threads: concurrency === 'off' ? 1 : Number(concurrency),
    args: (ctx) => [eslintBin, '-c', config, '--concurrency', String(concurrency), '--format', 'json', '-o', join(ctx.scratch, `${id}.json`), 'src'],
    okCodes: [0, 1],
    count: (ctx) => {
      const results = JSON.parse(readFileSync(join(ctx.scratch, `${id}.json`), 'utf8'));
      return { files: results.length, errors: results.filter((result) => result.messages.some((message) => message.fatal)).length };
    },
  };
}

function overlapRow(id, label, extra, threads) {
  return {
    id,
    label,
    typed: false,
    threads,
    args: (ctx) => [overlapBin, 'check', 'src', '--format', 'json', '-o', join(ctx.scratch, `${id}.json`), '--fail-on', 'none', '--no-progress', ...extra],
    count: (ctx) => {
      const report = JSON.parse(readFileSync(join(ctx.scratch, `${id}.json`), 'utf8'));
      return { files: report.summary.files + (report.summary.unparsed ?? 0), errors: report.errors.length, findings: report.summary.findings };
    },
  };
}

function parseRow(id, label, threads) {
  return {
    id,
    label,
    typed: false,
    threads,
    args: (ctx) => [parseOnly, ctx.fileList, String(threads)],
    count: (_ctx, run) => JSON.parse(run.stdout),
  };
}

export async function staticThroughput(ctx) {
  const { corpus } = ctx;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-static-'));
  const fileList = join(scratch, 'files.json');
  writeFileSync(fileList, JSON.stringify(corpus.files.map((file) => resolve(corpus.dir, file))));
  const ruleIds = await pluginRuleIds();
  const coreConfig = writeEslintConfig(corpus.dir, 'core', { rules: coreRules });
  const pluginConfig = writeEslintConfig(corpus.dir, 'plugin', { plugin: true, pluginRules: ruleIds });
  const allRows = [
    parseRow('floor-1', 'parse only (typescript-estree), 1 thread', 0),
    parseRow('floor-2', 'parse only (typescript-estree), 2 threads', 2),
    overlapRow('overlap', '`overlap check` (default: worker threads)', [], 2),
    overlapRow('overlap-1', '`overlap check --threads 0` (1 thread)', ['--threads', '0'], 1),
    overlapRow('overlap-local', '`overlap check --no-cross-file`', ['--no-cross-file'], 2),
    eslintRow('eslint-core-1', 'ESLint core rules, 1 thread', coreConfig, 'off'),
    eslintRow('eslint-core-2', 'ESLint core rules, --concurrency 2', coreConfig, 2),
    eslintRow('eslint-plugin-1', 'ESLint + @overlap/eslint-plugin (6 rules), 1 thread', pluginConfig, 'off'),
    eslintRow('eslint-plugin-2', 'ESLint + @overlap/eslint-plugin, --concurrency 2', pluginConfig, 2),
  ];
  // --quick proves the harness works: the floor, our CLI and the two ESLint baselines, nothing more.
  const quickRows = new Set(['floor-1', 'floor-2', 'overlap', 'eslint-core-1', 'eslint-plugin-1']);
  const rows = ctx.quick ? allRows.filter((row) => quickRows.has(row.id)) : allRows;
  const typedRows = ctx.quick
    ? []
    : [
        eslintRow('eslint-core-typed', 'ESLint core rules, typed (parserOptions.project), 1 thread', writeEslintConfig(corpus.dir, 'core-typed', { rules: coreRules, typedTsconfig: corpus.tsconfig }), 'off', { typed: true }),
        eslintRow('eslint-plugin-typed', 'ESLint + plugin, typed (parserOptions.project), 1 thread', writeEslintConfig(corpus.dir, 'plugin-typed', { plugin: true, pluginRules: ruleIds, typedTsconfig: corpus.tsconfig }), 'off', { typed: true }),
      ];

  const runs = new Map([...rows, ...typedRows].map((row) => [row.id, []]));
  const counts = new Map();
  const rowCtx = { scratch, fileList };
  const failures = new Map();
  const measure = async (row) => {
    if (failures.has(row.id)) return;
    ctx.log(`  ${row.label}`);
    // One retry: on a shared checkout a package may be rebuilt under a running tool (a half-written dist file).
    for (let attempt = 1; ; attempt++) {
      try {
        const run = await runMeasured(row.args(rowCtx), { cwd: corpus.dir, okCodes: row.okCodes });
        runs.get(row.id).push(run);
        counts.set(row.id, row.count(rowCtx, run));
        return;
      } catch (error) {
        ctx.log(`    failed (attempt ${attempt}): ${error.message}`);
        if (attempt === 2) {
          failures.set(row.id, error.message);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20_000));
      }
    }
  };
  for (let rep = 0; rep < ctx.reps; rep++) {
    ctx.log(` repetition ${rep + 1}/${ctx.reps}`);
    for (const row of rows) await measure(row);
  }
  // Typed linting builds a TypeScript program over the whole corpus: minutes and gigabytes, so one repetition.
  for (const row of typedRows) await measure(row);
  rmSync(scratch, { recursive: true, force: true });

  // NaN for a row that did not run (left out by --quick, or failed twice): its ratios print as n/a.
  const wall = (id) => median((runs.get(id) ?? []).map((run) => run.wallMs));
  const cpu = (id) => median((runs.get(id) ?? []).map((run) => run.cpuMs));
  const floorWall = wall('floor-2');
  const floorCpu = cpu('floor-1');
  const files = corpus.files.length;
  const figures = [...rows, ...typedRows].filter((row) => runs.get(row.id).length > 0).map((row) => {
    const list = runs.get(row.id);
    const count = counts.get(row.id);
    return {
      id: row.id,
      label: row.label,
      typed: row.typed,
      runs: list.length,
      wallMs: list.map((run) => run.wallMs),
      cpuMs: list.map((run) => run.cpuMs),
      maxRssMb: list.map((run) => run.maxRssMb),
      filesSeen: count.files,
      fileErrors: count.errors,
      findings: count.findings,
    };
  });
  const rendered = table(
    ['tool', 'files', 'wall s (median ±half-range)', 'files/s', 'CPU s', 'peak RSS MB', 'wall ÷ floor (2 thr)', 'CPU ÷ floor (1 thr)'],
    figures.map((figure) => [
      figure.label,
      `${figure.filesSeen}${figure.fileErrors ? ` (${figure.fileErrors} unparsed)` : ''}`,
      withSpread(figure.wallMs.map((ms) => ms / 1000), '', 2),
      fmt(files / (median(figure.wallMs) / 1000), 0),
      fmt(median(figure.cpuMs) / 1000, 2),
      fmt(median(figure.maxRssMb), 0),
      `${fmt(wall(figure.id) / floorWall, 2)}x`,
      `${fmt(cpu(figure.id) / floorCpu, 2)}x`,
    ]),
  );

  const overlapWall = wall('overlap');
  const eslintBest = Math.min(...['eslint-core-1', 'eslint-core-2'].map(wall).filter((ms) => !Number.isNaN(ms)));
  const targets = [
    {
      target: '`overlap check` within 1.5x of the parse-only floor (both on 2 threads, wall time)',
      figure: `${fmt(overlapWall / floorWall, 2)}x`,
      ok: Number.isFinite(overlapWall / floorWall) ? overlapWall <= 1.5 * floorWall : undefined,
    },
    {
      target: '`overlap check` faster than ESLint with the core rules (its faster setting)',
      figure: `${fmt(overlapWall / 1000, 2)} s vs ${fmt(eslintBest / 1000, 2)} s (${fmt(eslintBest / overlapWall, 2)}x)`,
      ok: Number.isFinite(overlapWall / eslintBest) ? overlapWall < eslintBest : undefined,
    },
  ];
  const mismatched = figures.filter((figure) => figure.filesSeen !== files).map((figure) => `${figure.label}: ${figure.filesSeen} files`);
  return {
    title: '1. Static audit throughput',
    table: rendered,
    notes: [
      `Corpus: ${corpus.packages.join(', ')}: ${files} files, ${corpus.lines.toLocaleString('en-US')} lines, ${(corpus.bytes / 1e6).toFixed(1)} MB.`,
      'Wall time includes Node start-up (every tool pays it). CPU = user + system time of the whole process (all threads); peak RSS covers worker threads too.',
      ...(mismatched.length ? [`WARNING: not every tool saw all ${files} files: ${mismatched.join('; ')}`] : []),
      ...[...failures].map(([id, message]) => `FAILED: ${id}: ${message}`),
    ],
    targets,
    raw: figures,
  };
}

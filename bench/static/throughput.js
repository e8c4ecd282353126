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
import { benchDir, eslintBin, overlapBin, oxlintBin } from '../lib/paths.js';
import { coreRules, pluginRuleIds, writeEslintConfig, writeOxlintConfig } from './eslint-configs.js';

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

/** oxlint runs our plugin as a JS plugin; oxlint itself is a native binary, started through its Node wrapper. */
function oxlintRow(id, label, config) {
  const output = (ctx) => join(ctx.scratch, `${id}.json`);
  return {
    id,
    label,
    typed: false,
    threads: 1,
    // --threads 1: the same one thread as the other single-thread rows; oxlint's own rules are all off in the config.
    // The files by name: given a folder, oxlint applies the repository's .gitignore, which lists bench/.corpus.
    args: (ctx) => [oxlintBin, '-c', config, '--threads', '1', '--format', 'json', ...ctx.files],
    okCodes: [0, 1],
    count: (_ctx, run) => {
      const report = JSON.parse(run.stdout);
      return { files: report.number_of_files ?? Number.NaN, errors: 0, findings: report.diagnostics.length };
    },
  };
}

function overlapRow(id, label, extra, threads, options = {}) {
  const output = (ctx) => join(ctx.scratch, `${id}.json`);
  return {
    id,
    label,
    typed: false,
    threads,
    overlap: true,
    env: options.env,
    paths: options.paths ?? ((ctx) => ['src']),
    args: (ctx) => [...(options.nodeFlags ?? []), options.bin ?? overlapBin, 'check', ...(options.paths ?? (() => ['src']))(ctx), '--format', 'json', '-o', output(ctx), '--fail-on', 'none', '--no-progress', ...extra],
    // The --cache row: a first, unmeasured run fills the cache; the measured run finds the tree unchanged.
    warmUp: options.warmUp,
    compare: options.compare ?? true,
    count: (ctx) => {
      const report = JSON.parse(readFileSync(output(ctx), 'utf8'));
      return {
        files: report.summary.files + (report.summary.unparsed ?? 0),
        errors: report.errors.length,
        findings: report.summary.findings,
        keys: report.findings.map((f) => `${f.file}:${f.line}:${f.column}:${f.ruleId}:${f.messageId}:${f.message}`).sort(),
      };
    },
  };
}

function parseRow(id, label, threads, parser = 'typescript-estree') {
  return {
    id,
    label,
    typed: false,
    threads,
    args: (ctx) => [parseOnly, ctx.fileList, String(threads), parser],
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
  const oxlintConfig = writeOxlintConfig(corpus.dir, ruleIds);
  const pluginConfig = writeEslintConfig(corpus.dir, 'plugin', { plugin: true, pluginRules: ruleIds });
  const cacheDir = join(scratch, 'cache');
  const firstFile = corpus.files[0];
  const allRows = [
    parseRow('floor-oxc', 'parse only (oxc-parser), 1 thread', 0, 'oxc'),
    parseRow('floor-1', 'parse only (typescript-estree), 1 thread', 0),
    parseRow('floor-2', 'parse only (typescript-estree), 2 threads', 2),
    overlapRow('overlap', '`overlap check` (default)', [], 2),
    overlapRow('overlap-1', '`overlap check --threads 0` (1 thread)', ['--threads', '0'], 1),
    overlapRow('overlap-2', '`overlap check --threads 2` (2 workers)', ['--threads', '2'], 2),
    // The slow reference path (typescript-estree, every file parsed): the findings every other row must equal.
    overlapRow('overlap-reference', '`overlap check` reference path (OVERLAP_REFERENCE=1)', ['--threads', '0'], 1, { env: { OVERLAP_REFERENCE: '1' } }),
    overlapRow('overlap-local', '`overlap check --no-cross-file`', ['--no-cross-file'], 2, { compare: false }),
    overlapRow('overlap-one', '`overlap check <one file>`', [], 1, { paths: () => [firstFile], compare: false }),
    overlapRow('overlap-cache', '`overlap check --cache`, unchanged tree', ['--cache', '--cache-location', cacheDir], 1, { warmUp: true }),
    // `--baseline <overlap.js>`: an earlier build of the CLI measured in the same run (before/after figures).
    ...(ctx.baselineBin
      ? [
          overlapRow('base', 'baseline `overlap check` (default)', [], 2, { bin: ctx.baselineBin, compare: false }),
          overlapRow('base-1', 'baseline `overlap check --threads 0`', ['--threads', '0'], 1, { bin: ctx.baselineBin, compare: false }),
          overlapRow('base-one', 'baseline `overlap check <one file>`', [], 1, { bin: ctx.baselineBin, paths: () => [firstFile], compare: false }),
          overlapRow('base-cache', 'baseline `overlap check --cache`, unchanged tree', ['--cache', '--cache-location', join(scratch, 'base-cache')], 1, { bin: ctx.baselineBin, warmUp: true, compare: false }),
        ]
      : []),
    eslintRow('eslint-core-1', 'ESLint core rules, 1 thread', coreConfig, 'off'),
    eslintRow('eslint-core-2', 'ESLint core rules, --concurrency 2', coreConfig, 2),
    eslintRow('eslint-plugin-1', 'ESLint + @overlap/eslint-plugin (6 rules), 1 thread', pluginConfig, 'off'),
    eslintRow('eslint-plugin-2', 'ESLint + @overlap/eslint-plugin, --concurrency 2', pluginConfig, 2),
    oxlintRow('oxlint-plugin', 'oxlint + @overlap/eslint-plugin (jsPlugins, 6 rules)', oxlintConfig),
  ];
  // --quick proves the harness works: the floors, our CLI and the two ESLint baselines, nothing more.
  const quickRows = new Set(['floor-oxc', 'floor-1', 'overlap', 'overlap-reference', 'eslint-core-1', 'eslint-plugin-1']);
  const baselineRows = ['base', 'base-1', 'base-one', 'base-cache'];
  const chosen = ctx.rows ? new Set([...ctx.rows, ...(ctx.baselineBin ? baselineRows : [])]) : ctx.quick ? quickRows : undefined;
  const rows = chosen ? allRows.filter((row) => chosen.has(row.id)) : allRows;
  const typedRows = ctx.quick || ctx.rows
    ? []
    : [
        eslintRow('eslint-core-typed', 'ESLint core rules, typed (parserOptions.project), 1 thread', writeEslintConfig(corpus.dir, 'core-typed', { rules: coreRules, typedTsconfig: corpus.tsconfig }), 'off', { typed: true }),
        eslintRow('eslint-plugin-typed', 'ESLint + plugin, typed (parserOptions.project), 1 thread', writeEslintConfig(corpus.dir, 'plugin-typed', { plugin: true, pluginRules: ruleIds, typedTsconfig: corpus.tsconfig }), 'off', { typed: true }),
      ];

  const runs = new Map([...rows, ...typedRows].map((row) => [row.id, []]));
  const counts = new Map();
  const rowCtx = { scratch, fileList, files: corpus.files };
  const failures = new Map();
  const measure = async (row) => {
    if (failures.has(row.id)) return;
    ctx.log(`  ${row.label}`);
    // One retry: on a shared checkout a package may be rebuilt under a running tool (a half-written dist file).
    for (let attempt = 1; ; attempt++) {
      try {
        if (row.warmUp) await runMeasured(row.args(rowCtx), { cwd: corpus.dir, okCodes: row.okCodes, env: row.env });
        const run = await runMeasured(row.args(rowCtx), { cwd: corpus.dir, okCodes: row.okCodes, env: row.env });
        counts.set(row.id, row.count(rowCtx, run));
        runs.get(row.id).push(run);
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
  const floorWall = wall('floor-oxc');
  const floorCpu = cpu('floor-oxc');
  const eslintCoreId = ['eslint-core-1', 'eslint-core-2'].filter((id) => !Number.isNaN(wall(id))).sort((a, b) => wall(a) - wall(b))[0];
  const eslintWall = eslintCoreId ? wall(eslintCoreId) : Number.NaN;
  const rss = (id) => median((runs.get(id) ?? []).map((run) => run.maxRssMb));
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
    ['tool', 'files', 'findings', 'wall s (median ±half-range)', 'CPU s', 'peak RSS MB', 'wall ÷ ESLint core', 'wall ÷ oxc floor', 'CPU ÷ oxc floor'],
    figures.map((figure) => [
      figure.label,
      `${figure.filesSeen}${figure.fileErrors ? ` (${figure.fileErrors} unparsed)` : ''}`,
      figure.findings ?? '',
      withSpread(figure.wallMs.map((ms) => ms / 1000), '', 2),
      fmt(median(figure.cpuMs) / 1000, 2),
      fmt(median(figure.maxRssMb), 0),
      `${fmt(wall(figure.id) / eslintWall, 2)}x`,
      `${fmt(wall(figure.id) / floorWall, 2)}x`,
      `${fmt(cpu(figure.id) / floorCpu, 2)}x`,
    ]),
  );

  const overlapWall = wall('overlap');
  const finite = (value) => Number.isFinite(value);
  const targets = [
    {
      target: '`overlap check` at or below 0.5x the wall time of ESLint with the two core rules (its faster setting)',
      figure: `${fmt(overlapWall / 1000, 2)} s vs ${fmt(eslintWall / 1000, 2)} s (${fmt(overlapWall / eslintWall, 2)}x)`,
      ok: finite(overlapWall / eslintWall) ? overlapWall <= 0.5 * eslintWall : undefined,
    },
    {
      target: '`overlap check` within 2x of the oxc-parser parse floor (wall time, floor on 1 thread)',
      figure: `${fmt(overlapWall / floorWall, 2)}x`,
      ok: finite(overlapWall / floorWall) ? overlapWall <= 2 * floorWall : undefined,
    },
    {
      target: '`overlap check` peak memory no higher than ESLint with the core rules',
      figure: `${fmt(rss('overlap'), 0)} MB vs ${fmt(eslintCoreId ? rss(eslintCoreId) : Number.NaN, 0)} MB`,
      ok: finite(rss('overlap')) && eslintCoreId ? rss('overlap') <= rss(eslintCoreId) : undefined,
    },
    {
      target: 'one-file `overlap check` under 0.3 s',
      figure: `${fmt(wall('overlap-one') / 1000, 2)} s`,
      ok: finite(wall('overlap-one')) ? wall('overlap-one') < 300 : undefined,
    },
    {
      target: '`overlap check --cache` on an unchanged tree under 0.5 s',
      figure: `${fmt(wall('overlap-cache') / 1000, 2)} s`,
      ok: finite(wall('overlap-cache')) ? wall('overlap-cache') < 500 : undefined,
    },
  ];
  const mismatched = figures.filter((figure) => !figure.id.endsWith('-one') && figure.filesSeen !== files).map((figure) => `${figure.label}: ${figure.filesSeen} files`);
  const equality = findingsEquality(rows.filter((row) => row.overlap && row.compare), counts);
  return {
    title: '1. Static audit throughput',
    table: rendered,
    notes: [
      `Corpus: ${corpus.packages.join(', ')}: ${files} files, ${corpus.lines.toLocaleString('en-US')} lines, ${(corpus.bytes / 1e6).toFixed(1)} MB.`,
      'Wall time includes Node start-up (every tool pays it). CPU = user + system time of the whole process (all threads); peak RSS covers worker threads too.',
      ...(mismatched.length ? [`WARNING: not every tool saw all ${files} files: ${mismatched.join('; ')}`] : []),
      ...(equality ? [equality] : []),
      ...[...failures].map(([id, message]) => `FAILED: ${id}: ${message}`),
    ],
    targets,
    raw: figures,
  };
}

/**
 * Every speed lever must keep the findings: the `overlap check` rows (reference path, one thread, workers, cache)
 * must report exactly the same findings (file, position, rule, message). Returns a note, or undefined when fewer
 * than two such rows ran.
 */
function findingsEquality(rows, counts) {
  // The reference path first: the others are compared with it.
  const measured = rows.filter((row) => counts.get(row.id)?.keys).sort((a, b) => Number(b.id === 'overlap-reference') - Number(a.id === 'overlap-reference'));
  if (measured.length < 2) return undefined;
  const [first, ...others] = measured;
  const reference = counts.get(first.id).keys;
  const differing = others.flatMap((row) => {
    const keys = counts.get(row.id).keys;
    if (keys.length === reference.length && keys.every((key, index) => key === reference[index])) return [];
    const missing = reference.filter((key) => !keys.includes(key));
    const extra = keys.filter((key) => !reference.includes(key));
    return [`${row.id}: ${missing.length} missing (${missing.slice(0, 3).join('; ')}), ${extra.length} extra (${extra.slice(0, 3).join('; ')})`];
  });
  const ids = measured.map((row) => row.id).join(', ');
  return differing.length === 0
    ? `Findings equality: the same ${reference.length} findings in every \`overlap check\` row compared (${ids}).`
    : `FINDINGS DIFFER from ${first.id}: ${differing.join(' | ')}`;
}

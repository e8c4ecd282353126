/**
 * Section `timing`: ESLint's own `TIMING=all` table for one real `eslint` run with our six rules and the two core
 * rules together on the corpus (one thread), each rule's time as a ratio to `require-atomic-updates`. Unlike
 * section 2 (`rules`: each rule alone, through the Linter API), this is the run a user gets, so the per-file facts
 * our rules share are charged to whichever rule asks first in ESLint's traversal. With `--baseline <overlap.js>`,
 * the plugin of that build (../../eslint-plugin/dist/index.js beside its CLI) runs as a second configuration,
 * repetitions interleaved.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runMeasuredWithRetry } from '../lib/child.js';
import { fmt, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { eslintBin } from '../lib/paths.js';
import { coreRules, pluginRuleIds, writeEslintConfig } from './eslint-configs.js';

const reference = 'require-atomic-updates';

/** Rows of ESLint's timing table (`Rule | Time (ms) | Relative`) as `{ rule: ms }`. */
export function parseTimingTable(text) {
  const times = {};
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length !== 3) continue;
    const ms = Number(cells[1]);
    if (cells[0] && cells[0] !== 'Rule' && Number.isFinite(ms) && !cells[1].startsWith(':')) times[cells[0]] = ms;
  }
  return times;
}

export async function eslintTiming(ctx) {
  const { corpus } = ctx;
  const ourIds = await pluginRuleIds();
  const builds = [{ name: 'this build', pluginFile: undefined }];
  const baselinePlugin = ctx.baselineBin && resolve(dirname(ctx.baselineBin), '..', '..', 'eslint-plugin', 'dist', 'index.js');
  if (baselinePlugin && existsSync(baselinePlugin)) builds.push({ name: 'baseline', pluginFile: baselinePlugin });
  const configs = builds.map((build) => ({
    ...build,
    file: writeEslintConfig(corpus.dir, `timing-${build.pluginFile ? 'baseline' : 'current'}`, { rules: coreRules, plugin: true, pluginRules: ourIds, pluginFile: build.pluginFile }),
    reps: [],
  }));
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-timing-'));
  // --quick only proves the harness runs: one package of the small corpus.
  const target = ctx.quick ? [join('src', corpus.files[0].split('/')[1])] : ['src'];
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const config of configs) {
      ctx.log(`  repetition ${rep + 1}/${ctx.reps}: ESLint with TIMING=all, ${config.name}`);
      const args = [eslintBin, '-c', config.file, '--concurrency', 'off', '--format', 'json', '-o', join(scratch, 'out.json'), ...target];
      const run = await runMeasuredWithRetry(args, { cwd: corpus.dir, env: { TIMING: 'all' }, okCodes: [0, 1] }, ctx.log);
      const times = parseTimingTable(run.stdout);
      if (!(reference in times)) throw new Error(`no ${reference} row in ESLint's timing output: ${run.stdout.slice(0, 300)}`);
      config.reps.push(times);
    }
  }
  rmSync(scratch, { recursive: true, force: true });

  const ruleIds = [...Object.keys(coreRules), ...ourIds.map((id) => `overlap/${id}`)];
  const ratio = (config, rule) => config.reps.map((times) => (times[rule] ?? 0) / times[reference]);
  const rows = ruleIds.map((rule) => [
    rule,
    ...configs.flatMap((config) => [withSpread(config.reps.map((times) => times[rule] ?? 0), 'ms', 0), withSpread(ratio(config, rule), '', 2).replace(/^([\d.,]+)/u, '$1x')]),
  ]);
  const current = configs[0];
  return {
    title: 'Rule cost inside ESLint (TIMING=all, all eight rules in one run)',
    table: table(['rule', ...configs.flatMap((config) => [`${config.name}: time`, `${config.name}: ÷ ${reference}`])], rows),
    notes: [
      `\`TIMING=all eslint -c <config> --concurrency off src\` in the corpus folder, ${ctx.reps} repetition(s) per build, interleaved; @typescript-eslint/parser, no type information; the ratio is taken within each run, then the median (± half the min-max range of the ratio).`,
      'Our rules share per-file facts; ESLint charges them to the rule whose listener asks first, so one rule can carry another\'s share: the sum of our six is the plugin\'s cost.',
    ],
    targets: ourIds.map((id) => {
      const figure = median(ratio(current, `overlap/${id}`));
      return { target: `overlap/${id} at or below ${reference} (TIMING=all)`, figure: `${fmt(figure, 2)}x`, ok: figure <= 1 };
    }),
    raw: configs.map((config) => ({ name: config.name, reps: config.reps })),
  };
}

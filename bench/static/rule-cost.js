/**
 * Section 2: what each rule costs inside ESLint, in ESLint's own per-rule times (`stats: true`, the figures
 * `TIMING=all` prints). Each rule alone (its cost includes any shared analysis it triggers), and our six together
 * (the shared facts are computed once per file and charged to whichever rule asks first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runMeasuredWithRetry } from '../lib/child.js';
import { fmt, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, repoDir } from '../lib/paths.js';
import { coreRules, pluginRuleIds } from './eslint-configs.js';

const child = join(benchDir, 'static', 'rule-cost-child.js');

export async function ruleCost(ctx) {
  const { corpus } = ctx;
  const ours = await pluginRuleIds();
  const core = Object.keys(coreRules);
  const configs = [
    ...core.map((id) => ({ name: id, core: [id] })),
    ...ours.map((id) => ({ name: `overlap/${id}`, overlap: [id] })),
    { name: 'overlap: all six together', overlap: ours },
  ];
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-rules-'));
  const inputFile = join(scratch, 'input.json');
  writeFileSync(inputFile, JSON.stringify({
    cwd: corpus.dir,
    // --quick only proves the harness runs: every 4th file of the small corpus.
    files: corpus.files.filter((_, index) => !ctx.quick || index % 4 === 0).map((file) => resolve(corpus.dir, file)),
    // BENCH_PLUGIN: another build of the plugin (an older one, for before/after figures).
    pluginUrl: pathToFileURL(process.env.BENCH_PLUGIN ?? join(repoDir, 'packages', 'eslint-plugin', 'dist', 'index.js')).href,
    configs,
  }));
  const reps = [];
  for (let rep = 0; rep < ctx.reps; rep++) {
    ctx.log(`  repetition ${rep + 1}/${ctx.reps}: ${configs.length} configurations x ${corpus.files.length} files`);
    const run = await runMeasuredWithRetry([child, inputFile], { cwd: corpus.dir }, ctx.log);
    reps.push(JSON.parse(run.stdout));
  }
  rmSync(scratch, { recursive: true, force: true });

  const ruleTime = (config, ruleId) => reps.map((rep) => rep[config].rules[ruleId] ?? 0);
  const configTime = (config) => reps.map((rep) => Object.values(rep[config].rules).reduce((sum, ms) => sum + ms, 0));
  const parseTime = (config) => reps.map((rep) => rep[config].parseMs);
  const reference = median(ruleTime('require-atomic-updates', 'require-atomic-updates'));
  const together = 'overlap: all six together';
  const rows = configs.filter((config) => config.name !== together).map((config) => {
    const alone = configTime(config.name);
    const inGroup = config.overlap ? ruleTime(together, config.name) : undefined;
    return [
      config.name,
      withSpread(alone, 'ms', 0),
      `${fmt(median(alone) / reference, 2)}x`,
      inGroup ? withSpread(inGroup, 'ms', 0) : '',
      fmt(reps[0][config.name].problems, 0),
    ];
  });
  rows.push([together, withSpread(configTime(together), 'ms', 0), `${fmt(median(configTime(together)) / reference, 2)}x`, '', fmt(reps[0][together].problems, 0)]);
  rows.push(['(parse + scope analysis, per configuration)', withSpread(parseTime('require-atomic-updates'), 'ms', 0), `${fmt(median(parseTime('require-atomic-updates')) / reference, 2)}x`, '', '']);

  const worst = ours
    .map((id) => ({ id, ms: median(configTime(`overlap/${id}`)) }))
    .sort((a, b) => b.ms - a.ms);
  return {
    title: '2. Rule cost inside ESLint',
    table: table(['rule (alone)', 'rule time (sum over files)', '÷ require-atomic-updates', 'time when all six run together', 'reports'], rows),
    notes: [
      `ESLint ${reps.length} repetition(s) over ${ctx.quick ? Math.ceil(corpus.files.length / 4) : corpus.files.length} files with @typescript-eslint/parser, no type information; times from ESLint's \`stats: true\` (what \`TIMING=all\` prints), including each rule's create().`,
      'A rule alone pays for the shared per-file facts it needs (await points, effects, shared state). Run together, those facts are built once and charged to whichever rule asks first, so the sum "all six together" is the cost of the plugin.',
    ],
    targets: worst.map(({ id, ms }) => ({
      target: `overlap/${id} costs no more than require-atomic-updates`,
      figure: `${fmt(ms, 0)} ms vs ${fmt(reference, 0)} ms (${fmt(ms / reference, 2)}x)`,
      ok: ms <= reference,
    })),
    raw: { configs: configs.map((config) => config.name), reps },
  };
}

#!/usr/bin/env node
/**
 * Where a `node --cpu-prof` profile's time goes, by part of the pipeline: `node bench/lib/profile-summary.js
 * <file.cpuprofile>`. Each sample is charged to the innermost frame on its stack that belongs to a known part
 * (so JSON.parse under oxc-parser's wrapper counts as parsing); garbage collection and module loading are V8's
 * and Node's own frames. Prints a markdown table, the shares of the sampled time.
 *
 * The CLI runs from a bundle (packages/cli/dist/bundle/, scripts/bundle.js): a frame there is charged to the
 * module it came from, which esbuild names in a `// <path>` comment above each module's code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const parts = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['loading code (module compile and evaluation)', (f) => /^node:internal\/modules\//u.test(f.url) || f.functionName === 'compileFunction' || f.functionName === 'wrapSafe'],
  ['parse: oxc-parser (native parse, JSON transfer)', (f) => /\/oxc-parser\//u.test(f.url)],
  ['parse: typescript-estree (fallback) and TypeScript', (f) => /\/typescript-estree\/|\/typescript\/lib\//u.test(f.url)],
  ['parse: parents and locations (core/parse)', (f) => /\/core\/dist\/parse\//u.test(f.url)],
  ['scope analysis (@typescript-eslint/scope-manager)', (f) => /\/scope-manager\//u.test(f.url)],
  ['cross-file: resolver, summaries (cli/analysis/resolver, core summaries)', (f) => /\/cli\/dist\/analysis\/resolver|\/core\/dist\/analysis\/summaries\/|summarize/u.test(f.url)],
  ['ts-morph (tsconfig, module resolution)', (f) => /\/ts-morph\/|\/@ts-morph\//u.test(f.url)],
  ['checks and engine analysis (core/checks, core/analysis, core/engine)', (f) => /\/core\/dist\/(?:checks|analysis|engine)\//u.test(f.url)],
  ['CLI (discovery, fingerprints, report, cache)', (f) => /\/cli\/dist\//u.test(f.url)],
  ['idle', (f) => f.functionName === '(idle)'],
];

/** Module start lines of each bundle file: [{ line (0-based), url }], in order. */
const bundleModules = new Map();
function modulesOf(url) {
  if (!bundleModules.has(url)) {
    const file = fileURLToPath(url);
    // Paths in the comments are relative to the package esbuild ran in (two folders above dist/bundle/).
    const packageRoot = resolve(dirname(file), '..', '..');
    const starts = [];
    if (existsSync(file)) {
      readFileSync(file, 'utf8').split('\n').forEach((text, line) => {
        const named = /^\/\/ (\S+\.c?js)$/u.exec(text);
        if (named) starts.push({ line, url: resolve(packageRoot, named[1]) });
      });
    }
    bundleModules.set(url, starts);
  }
  return bundleModules.get(url);
}

/** The frame with its url taken back to the bundled module it came from. */
function unbundled(frame) {
  if (!/\/cli\/dist\/bundle\//u.test(frame.url) || !frame.url.startsWith('file:')) return frame;
  let url = frame.url;
  for (const start of modulesOf(frame.url)) {
    if (start.line > frame.lineNumber) break;
    url = start.url;
  }
  return { ...frame, url };
}

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const partOf = new Map();
function part(id) {
  if (partOf.has(id)) return partOf.get(id);
  const node = byId.get(id);
  const frame = unbundled(node.callFrame);
  const own = parts.find(([, test]) => test(frame));
  const result = own ? own[0] : parent.has(id) ? part(parent.get(id)) : 'other (Node internals, program)';
  partOf.set(id, result);
  return result;
}
const totals = new Map();
const deltas = profile.timeDeltas;
for (let index = 0; index < profile.samples.length; index++) {
  const name = part(profile.samples[index]);
  totals.set(name, (totals.get(name) ?? 0) + (deltas[index + 1] ?? 0));
}
const busy = [...totals].filter(([name]) => name !== 'idle').reduce((sum, [, us]) => sum + us, 0);
const rows = [...totals].filter(([name]) => name !== 'idle').sort((a, b) => b[1] - a[1]);
process.stdout.write(`| part | CPU s | share |\n| --- | --- | --- |\n${rows.map(([name, us]) => `| ${name} | ${(us / 1e6).toFixed(2)} | ${((100 * us) / busy).toFixed(1)}% |`).join('\n')}\n| **sampled, not idle** | **${(busy / 1e6).toFixed(2)}** | 100% |\n`);

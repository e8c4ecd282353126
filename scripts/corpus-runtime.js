#!/usr/bin/env node
/**
 * `npm run corpus:runtime`: real test suites as regression material for the tracer. Installs pinned packages from
 * the npm registry (their published tarballs, with the test runner they use) into a temp folder, runs each suite
 * untraced and traced (the built tracer through NODE_OPTIONS, as `overlap trace` does), and compares exit codes, pass/fail counts (TAP) and output
 * with timings blanked. Prints a Markdown table; exits 1 if any suite differs. Not part of `npm test` (needs the
 * registry and takes a minute). Build first (`npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV_OUT, ENV_SESSION, readTrace, withTracerImport } from '@overlap/tracer';

/** Packages whose published tarballs hold their tests, with the runner their package.json names, pinned. */
const SUITES = [
  { pkg: 'fastq', version: '1.19.1', dev: ['tape@5.9.0', 'neo-async@2.6.2', 'async@3.2.6'], args: ['node_modules/tape/bin/tape', 'test/test.js', 'test/promise.js'] },
  { pkg: 'fastparallel', version: '2.4.1', dev: ['tape@5.9.0'], args: ['node_modules/tape/bin/tape', 'test.js'] },
  { pkg: 'fastseries', version: '2.0.0', dev: ['tape@5.9.0'], args: ['node_modules/tape/bin/tape', 'test.js'] },
  { pkg: 'fastfall', version: '1.5.1', dev: ['tape@5.9.0'], args: ['node_modules/tape/bin/tape', 'test.js'] },
  { pkg: 'reusify', version: '1.1.0', dev: ['tape@5.9.0'], args: ['node_modules/tape/bin/tape', 'test.js'] },
];

const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** Timings and process ids vary from run to run: blank them before comparing outputs. */
const normalise = (text) => text.replace(/\d+(?:\.\d+)?\s?m?s\b/g, 'T').replace(/\(node:\d+\)/g, '(node:PID)');
const tap = (text) => ({ pass: (text.match(/^\s*ok \d+/gm) ?? []).length, fail: (text.match(/^\s*not ok \d+/gm) ?? []).length });

async function runSuite(suite, root) {
  const dir = join(root, suite.pkg);
  npm(['pack', `${suite.pkg}@${suite.version}`, '--pack-destination', root], root);
  execFileSync('tar', ['xzf', join(root, `${suite.pkg}-${suite.version}.tgz`), '-C', root]);
  execFileSync('mv', [join(root, 'package'), dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  delete manifest.devDependencies;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...suite.dev], dir);

  const env = { ...process.env, NODE_OPTIONS: '' };
  delete env[ENV_SESSION];
  const plain = spawnSync(process.execPath, suite.args, { cwd: dir, encoding: 'utf8', env });
  const out = join(root, `${suite.pkg}.ndjson`);
  const traced = spawnSync(process.execPath, suite.args, { cwd: dir, encoding: 'utf8', env: { ...env, NODE_OPTIONS: withTracerImport(undefined), [ENV_OUT]: out } });
  const { stdout, stderr } = traced;
  const trace = await readTrace(out);
  const frames = trace.parts.reduce((sum, part) => sum + part.frames.size, 0);
  const awaits = trace.parts.reduce((sum, part) => sum + part.awaits.length, 0);
  const a = tap(plain.stdout);
  const b = tap(stdout ?? '');
  return {
    suite: `${suite.pkg}@${suite.version}`,
    plain: { code: plain.status, ...a },
    traced: { code: traced.status, ...b },
    sameOutput: normalise(plain.stdout) === normalise(stdout ?? '') && normalise(plain.stderr) === normalise(stderr ?? ''),
    frames,
    awaits,
    clean: trace.parts.every((part) => part.end.clean),
  };
}

const root = mkdtempSync(join(tmpdir(), 'overlap-corpus-runtime-'));
const rows = [];
try {
  for (const suite of SUITES) {
    process.stderr.write(`${suite.pkg}@${suite.version}\n`);
    rows.push(await runSuite(suite, root));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const same = (r) => r.plain.code === r.traced.code && r.plain.pass === r.traced.pass && r.plain.fail === r.traced.fail && r.sameOutput && r.clean;
console.log('| suite | untraced: exit, pass, fail | traced: exit, pass, fail | output (timings blanked) | frames | awaits | parts ended cleanly |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.suite} | ${r.plain.code}, ${r.plain.pass}, ${r.plain.fail} | ${r.traced.code}, ${r.traced.pass}, ${r.traced.fail} | ${r.sameOutput ? 'identical' : 'differs'} | ${r.frames} | ${r.awaits} | ${r.clean ? 'yes' : 'no'} |`);
}
process.exitCode = rows.every(same) ? 0 : 1;

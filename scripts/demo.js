#!/usr/bin/env node
// `npm run demo`: runs the built CLI, `overlap check fixtures/demo`, as a user would, and shows its report (the same
// engine and recommended rules as the ESLint plugin, plus cross-file effects). Exits 0 when the audit ran: findings
// are the point of a demo, so only the CLI's exit code 2 (usage or internal error, nothing analysed) fails it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/bin/overlap.js', import.meta.url));

// `overlap audit`: the static findings on fixtures/demo, plus the service run traced over real loopback HTTP
// (fixtures/demo/run.mjs), its measured critical path and the predicted saving of each finding.
const run = spawnSync(process.execPath, [bin, 'audit', 'fixtures/demo', '--', process.execPath, 'fixtures/demo/run.mjs'], { cwd: root, stdio: 'inherit' });
if (run.error || run.status === null || run.status >= 2) {
  process.stderr.write(`demo: overlap audit failed (${run.error?.message ?? `exit code ${run.status ?? run.signal}`})\n`);
  process.exitCode = 1;
}

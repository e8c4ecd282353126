import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '@overlap/tracer';
import { repoRoot, runCli, scratchFolder } from '../helpers.js';

const program = (name: string) => join(repoRoot, 'fixtures', 'programs', name);

describe('overlap trace', () => {
  it('runs the program traced, passes its output and exit code through, and writes both traces', async () => {
    const dir = scratchFolder('trace');
    const run = runCli(['trace', '--out', join(dir, 't.ndjson'), '--chrome', join(dir, 't.json'), '--', process.execPath, program('exit-in-await/main.mjs')]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('exiting\n');
    expect(run.stderr).toMatch(/^overlap: trace written to .*t\.ndjson and .*t\.json\n$/);
    const trace = await readTrace(join(dir, 't.ndjson'));
    expect(trace.parts.find((p) => p.main)?.end.exitCode).toBe(3);
    expect((JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { traceEvents: unknown[] }).traceEvents.length).toBeGreaterThan(0);
  });

  it('exits 128 + the signal number when a signal ended the program', () => {
    const dir = scratchFolder('trace');
    const script = "setInterval(() => {}, 1000); (async () => { await null; process.kill(process.pid, 'SIGTERM'); })();";
    const run = runCli(['trace', '--out', join(dir, 't.ndjson'), '--', process.execPath, '-e', script]);
    expect(run.code).toBe(128 + 15);
  });

  it('needs a command after --, and names a command it cannot run', () => {
    expect(runCli(['trace'])).toMatchObject({ code: 2, stderr: 'overlap: trace needs the program to run after --, e.g. overlap trace -- node app.js\n' });
    const dir = scratchFolder('trace');
    expect(runCli(['trace', '--out', join(dir, 't.ndjson'), '--', 'no-such-command-overlap'])).toMatchObject({
      code: 2,
      stderr: 'overlap: cannot run no-such-command-overlap: command not found\n',
    });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace, runTraced } from '@overlap/tracer';
import { mainPart, program, runBoth, runNode, tempDir } from './helpers.js';

describe('runTraced', () => {
  it('injects the tracer through NODE_OPTIONS, writes the Chrome trace, and reports the exit code', async () => {
    const dir = tempDir();
    const result = await runTraced({
      command: process.execPath,
      args: [program('exit-in-await/main.mjs')],
      out: join(dir, 'trace.ndjson'),
      chrome: join(dir, 'trace.json'),
      stdio: 'ignore',
      forwardSignals: false,
    });
    expect(result).toMatchObject({ code: 3, signal: null });
    const trace = await readTrace(result.out);
    expect(mainPart(trace).end.exitCode).toBe(3);
    const chrome = JSON.parse(readFileSync(result.chrome!, 'utf8')) as { traceEvents: { ph: string }[] };
    expect(chrome.traceEvents.some((e) => e.ph === 'X')).toBe(true);
  });

  it('records the signal that ended the program', async () => {
    const dir = tempDir();
    const out = join(dir, 'trace.ndjson');
    const script = "setInterval(() => {}, 1000); (async () => { await null; process.kill(process.pid, 'SIGTERM'); })();";
    const result = await runTraced({ command: process.execPath, args: ['-e', script], out, stdio: 'ignore', forwardSignals: false });
    expect(result).toMatchObject({ code: null, signal: 'SIGTERM' });
    const part = (await readTrace(out)).parts.find((p) => p.main)!;
    expect(part.end).toMatchObject({ clean: false, signal: 'SIGTERM' });
  });
});

describe('the tracer never breaks the host', () => {
  it('reports a trace path that is a directory once on stderr and runs the program untraced', async () => {
    const out = tempDir();
    const plain = await runNode([program('sleeps/main.mjs')]);
    const traced = await runNode([program('sleeps/main.mjs')], { out });
    expect({ ...traced, stderr: '' }).toEqual(plain);
    expect(traced.stderr).toMatch(/^overlap tracer: cannot open the trace file .*: EISDIR.*; the program runs on untraced\n$/);
  });

  it('reports a full disk once on stderr and runs the program untraced', async () => {
    const plain = await runNode([program('file-io/main.cjs')]);
    const traced = await runNode([program('file-io/main.cjs')], { out: '/dev/full' });
    expect({ ...traced, stderr: '' }).toEqual(plain);
    expect(traced.stderr).toMatch(/^overlap tracer: cannot .*\/dev\/full: ENOSPC.*; the program runs on untraced\n$/);
  });

  it('reports a missing directory once on stderr and runs the program untraced', async () => {
    const out = join(tempDir(), 'no', 'such', 'dir', 'trace.ndjson');
    const plain = await runNode([program('file-io/main.cjs')]);
    const traced = await runNode([program('file-io/main.cjs')], { out });
    expect({ ...traced, stderr: '' }).toEqual(plain);
    expect(traced.stderr).toMatch(/^overlap tracer: cannot open the trace file .*: ENOENT.*; the program runs on untraced\n$/);
  });

  it('runs an async function a circular import calls before its module body ran', async () => {
    const run = await runBoth([program('circular-import/main.mjs')]);
    expect(run.traced).toEqual(run.plain);
    expect(run.plain).toMatchObject({ code: 0, stdout: 'main sees 42\n' });
    const hoisted = [...mainPart(run.trace).frames.values()].filter((f) => f.site.name === 'hoisted');
    expect(hoisted).toHaveLength(1);
    expect(hoisted[0]!.awaits).toHaveLength(1);
  });

  it('keeps error stacks identical: original columns, no tracer frames', async () => {
    for (const nodeArgs of [[], ['--enable-source-maps']]) {
      const run = await runBoth([program('stack-traces/main.mjs')], { nodeArgs });
      expect(run.traced).toEqual(run.plain);
      expect(run.plain.stdout).toContain('at load (file://');
      expect(run.plain.stdout).not.toContain('packages/tracer');
    }
  });

  it('keeps the program own AsyncLocalStorage context intact', async () => {
    const run = await runBoth([program('async-local-storage/main.mjs')]);
    expect(run.traced).toEqual(run.plain);
    expect(run.plain.stdout).toBe('[req-2] handled after 10ms\n[req-1] handled after 30ms\n[undefined] outside\n');
    expect(mainPart(run.trace).frames.size).toBeGreaterThan(5);
  });

  it('keeps unhandled rejections identical under each --unhandled-rejections mode', async () => {
    const modes = ['throw', 'strict', 'warn', 'none', 'warn-with-error-code'];
    const runs = await Promise.all(modes.map((mode) => runBoth([program('crash-rejection/main.mjs')], { nodeArgs: [`--unhandled-rejections=${mode}`] })));
    runs.forEach((run, i) => expect(run.traced, modes[i]).toEqual(run.plain));
  });
});

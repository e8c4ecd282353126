import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainPart, runBoth, runNode, tempDir } from './helpers.js';

/**
 * Cases of "the tracer never breaks the host" that programs.test.ts and robustness.test.ts do not cover already:
 * a program that traps SIGTERM and exits with its own code after draining across awaits, an uncaught error in
 * ESM with and without --enable-source-maps, and a trace that holds no argument values or environment variables.
 */
const hostile = fileURLToPath(new URL('../../../fixtures/hostile/programs/', import.meta.url));

describe('the tracer never breaks the host (more cases)', () => {
  it('SIGTERM trapped by the program: its async handler drains, exits with its own code, the trace is complete', async () => {
    const run = await runBoth([join(hostile, 'sigterm-handled.mjs')], { kill: { when: 'ready', signal: 'SIGTERM', delayMs: 200 } });
    expect(run.traced).toEqual(run.plain);
    expect(run.plain).toMatchObject({ code: 7, signal: null, stdout: 'ready\ndraining\n', stderr: 'stopped cleanly\n' });
    const part = mainPart(run.trace);
    expect(part.end).toMatchObject({ clean: true, exitCode: 7 });
    expect([...part.frames.values()].filter((f) => f.site.name === 'job').length).toBeGreaterThan(3);
  });

  it('an uncaught error in ESM: same output, stack and exit code, also under --enable-source-maps', async () => {
    for (const nodeArgs of [[], ['--enable-source-maps']]) {
      const run = await runBoth([join(hostile, 'throw-esm.mjs')], { nodeArgs });
      expect(run.traced, nodeArgs.join(' ')).toEqual(run.plain);
      expect(run.plain.code).toBe(1);
      expect(run.plain.stderr).toContain('SyntaxError: not JSON: oops');
      expect(run.plain.stderr).toContain('throw-esm.mjs:6:');
      expect(mainPart(run.trace).end.exitCode).toBe(1);
    }
  });

  it('records locations and timings only: no argument values, no environment variables', async () => {
    const secretEnv = 'env-secret-9f3a7c1e';
    const secretArg = 'arg-secret-5d2b8e40';
    const dir = tempDir();
    const out = join(dir, 'trace.ndjson');
    const env = { OVERLAP_TEST_SECRET: secretEnv };
    const plain = await runNode([join(hostile, 'secret.mjs'), secretArg], { env });
    const traced = await runNode([join(hostile, 'secret.mjs'), secretArg], { env, out });
    expect(traced).toEqual(plain);
    expect(plain.stdout).toBe(`env:${secretEnv.length} arg:${secretArg.length}\n`);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    let frames = 0;
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text).not.toContain(secretEnv);
      expect(text).not.toContain(secretArg);
      expect(text).not.toContain('OVERLAP_TEST_SECRET');
      frames += (text.match(/"sign"/gu) ?? []).length;
    }
    // The trace did record the calls that handled the secrets.
    expect(frames).toBeGreaterThan(0);
  });
});

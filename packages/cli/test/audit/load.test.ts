import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, scratchFolder } from '../helpers.js';

/**
 * `overlap audit --load` as a user runs it: the real binary starts the fixture server traced, waits until it
 * listens, drives autocannon at it over loopback, stops it with SIGTERM and reports per route.
 */
const server = join(repoRoot, 'fixtures', 'programs', 'load-server');
const scratch = scratchFolder('load');

interface LoadJson {
  load: { url: string; connections: number; requests: number; perSec: number; latency: { mean: number }; utilisation: number | null };
  runtime: {
    slowest: { route: string } | null;
    routes: Array<{ route: string; count: number }>;
    suggestions: Array<{ kind: string; perRootMs: number; perRoute: Array<{ route: string; roots: number; perRootMs: number }>; throughput: { beforePerSec: number; afterPerSec: number; utilisation: number } | null }>;
  };
}

describe('overlap audit --load', () => {
  it('traces a fastify server under autocannon load and prices the suggestion per request on its route; --chrome writes the trace too', () => {
    const chrome = join(scratch, 'server.json');
    const run = runCli(['audit', '.', '--load', '/report', '--connections', '5', '--duration', '2', '--chrome', chrome, '--format', 'json', '--', process.execPath, 'main.mjs'], { cwd: server });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^overlap: load http:\/\/127\.0\.0\.1:\d+\/report: \d+ requests in 2 s with 5 connections/mu);
    const json = JSON.parse(run.stdout) as LoadJson;
    expect(json.load.connections).toBe(5);
    expect(json.load.requests).toBeGreaterThan(10);
    expect(json.load.utilisation).not.toBeNull();
    const report = json.runtime.routes.find((r) => r.route === 'GET /report');
    // The requests autocannon sent (and the one reachability check) are the roots; the process is reported apart.
    expect(report?.count).toBeGreaterThanOrEqual(json.load.requests);
    expect(json.runtime.slowest?.route).toBe('GET /report');
    const [suggestion] = json.runtime.suggestions;
    expect(suggestion?.kind).toBe('parallelize');
    expect(suggestion?.perRoute[0]?.route).toBe('GET /report');
    // Two 30 ms lookups with an idle loop: about one of them saved per request.
    expect(suggestion!.perRootMs).toBeGreaterThan(20);
    expect(suggestion!.perRootMs).toBeLessThan(45);
    expect(suggestion!.throughput!.afterPerSec).toBeGreaterThan(suggestion!.throughput!.beforePerSec);
    const events = (JSON.parse(readFileSync(chrome, 'utf8')) as { traceEvents: unknown[] }).traceEvents;
    expect(events.length).toBeGreaterThan(json.load.requests);
  });

  it('a program that exits before it listens: its own output, then one line with its exit code', () => {
    const run = runCli(['audit', '.', '--load', '/', '--', process.execPath, '-e', 'console.error("Error: no database"); process.exit(3)'], { cwd: scratch });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['Error: no database', 'overlap: the program exited with code 3 before it listened on a TCP port']);
  });

  it('a program that never listens: one line after --listen-timeout, and the program is stopped', () => {
    const marker = join(scratch, 'stopped');
    const program = `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); process.exit(0); }); setInterval(() => {}, 1000);`;
    const run = runCli(['audit', '.', '--load', '/', '--listen-timeout', '2', '--', process.execPath, '-e', program], { cwd: scratch });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('overlap: the program did not listen on a TCP port within 2 s (--listen-timeout)');
    expect(existsSync(marker)).toBe(true);
  });

  it('a URL nothing answers: one line naming it and the error', () => {
    const run = runCli(['audit', '.', '--load', 'http://127.0.0.1:1/nothing', '--duration', '1', '--', process.execPath, 'main.mjs'], { cwd: server });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('overlap: cannot reach http://127.0.0.1:1/nothing: ECONNREFUSED');
  });

  it('usage: --connections without --load, and a target that is neither a path nor a URL', () => {
    expect(runCli(['audit', '--connections', '5', '--', process.execPath, 'main.mjs'], { cwd: server }).stderr.trim()).toBe(
      'overlap: --connections, --duration and --listen-timeout need --load <path-or-url>',
    );
    expect(runCli(['audit', '--load', 'report', '--', process.execPath, 'main.mjs'], { cwd: server }).stderr.trim()).toBe(
      'overlap: --load takes a path (/users/1) or an http(s) URL, not "report"',
    );
  });
});

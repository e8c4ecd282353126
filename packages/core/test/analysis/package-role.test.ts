import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoleOf, packageRoleOfFile } from '../../src/analysis/package-role.js';

describe('packageRoleOf', () => {
  it.each([
    [{ name: 'api', dependencies: { express: '^4' } }, 'server'],
    [{ name: 'plugin', peerDependencies: { fastify: '5.x' } }, 'server'],
    [{ name: 'worker', dependencies: { bullmq: '^5' }, bin: { worker: 'bin/worker.js' } }, 'server'],
    [{ name: 'app', private: true }, 'server'],
    [{ name: 'app', private: true, bin: { app: 'bin/app.js' }, dependencies: { express: '^4' } }, 'server'],
    [{ name: 'cli-with-dev-server', bin: { dev: 'bin/dev.js' }, dependencies: { express: '^4' } }, 'tool'],
    [{ name: 'tool', bin: 'cli.js', dependencies: { commander: '^12' } }, 'tool'],
    [{ name: 'tool', bin: { tool: 'cli.js' } }, 'tool'],
    [{ name: 'lib', dependencies: { 'fs-extra': '^11' } }, 'library'],
    [{ name: 'lib', bin: {} }, 'library'],
  ] as const)('%j is a %s', (manifest, role) => {
    expect(packageRoleOf(manifest)).toBe(role);
  });
});

describe('packageRoleOfFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'overlap-role-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string): string => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
    return join(root, path);
  };

  it('reads the nearest package manifest, past a folder that only marks the module format', () => {
    write('tool/package.json', JSON.stringify({ name: 'tool', bin: 'cli.js' }));
    write('tool/dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }));
    expect(packageRoleOfFile(write('tool/dist/cjs/build.js', ''))).toBe('tool');
  });

  it('is unknown for a file not on disk, a relative name, or a manifest that does not parse', () => {
    expect(packageRoleOfFile(join(root, 'tool/missing.js'))).toBe('unknown');
    expect(packageRoleOfFile('src/file.ts')).toBe('unknown');
    write('broken/package.json', '{ "name": ');
    expect(packageRoleOfFile(write('broken/index.js', ''))).toBe('unknown');
  });
});

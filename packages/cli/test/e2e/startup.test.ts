import { describe, expect, it } from 'vitest';
import { copyProject, join, runCli } from '../helpers.js';

const probe = join(import.meta.dirname, 'loaded-modules.cjs');

/** The heavy packages a CLI run loaded, as the preloaded probe reports them at exit. */
function loaded(args: readonly string[], cwd?: string, which: 'loaded modules' | 'from the bundle' = 'loaded modules'): string[] {
  const run = runCli(args, { env: { NODE_OPTIONS: `--require ${probe}` }, ...(cwd ? { cwd } : {}) });
  expect(run.code, run.stderr).toBeLessThan(2);
  const line = new RegExp(`^${which}: (.*)$`, 'mu').exec(run.stderr);
  expect(line, run.stderr).not.toBeNull();
  return line![1]!.split(' ').filter(Boolean);
}

// Start-up is most of a small run: TypeScript alone is about 0.3 s of CPU per copy. Which packages a run may load
// is a property of the code, checked here; how long they take is measured in bench/.
describe('what a run loads', () => {
  it('a folder without a tsconfig: scope analysis only, no TypeScript, ts-morph, ajv or progress bar', () => {
    expect(loaded(['check', 'fixtures/projects/plain-js', '--format', 'json', '--fail-on', 'none'])).toEqual(['@typescript-eslint/scope-manager']);
  });

  it('the binary runs the bundle `npm run build` writes (scope analysis from dist/bundle, not node_modules)', () => {
    expect(loaded(['check', 'fixtures/projects/plain-js', '--format', 'json', '--fail-on', 'none'], undefined, 'from the bundle')).toEqual(['@typescript-eslint/scope-manager']);
  });

  it('a tsconfig project: one TypeScript copy (the `typescript` package), never ts-morph\'s', () => {
    expect(loaded(['check', 'fixtures/projects/ts-service', '--format', 'json', '--fail-on', 'none'])).toEqual(['@typescript-eslint/scope-manager', 'typescript']);
  });

  it('a run served from the cache on an unchanged tree loads no scope analysis', () => {
    const project = copyProject('ts-service');
    const args = ['check', '.', '--format', 'json', '--fail-on', 'none', '--cache', '--cache-location', join(project, '.cache')];
    expect(loaded(args, project)).toContain('@typescript-eslint/scope-manager');
    // The tsconfig is still read (it says which files are in), so TypeScript loads; nothing is parsed.
    expect(loaded(args, project)).toEqual(['typescript']);
  });
});

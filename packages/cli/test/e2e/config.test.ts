import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyProject, join, packageRoot, runCli, runInProcess, scratchFolder } from '../helpers.js';

interface JsonReport {
  findings: Array<{ ruleId: string; severity: string; file: string }>;
}

function withConfig(name: string, content: string): string {
  const project = copyProject('plain-js');
  writeFileSync(join(project, name), content);
  return project;
}

describe('configuration', () => {
  it('overlap.config.json sets severities and ignores, and failOn gates', async () => {
    const project = withConfig('overlap.config.json', JSON.stringify({
      rules: { 'no-check-then-act-across-await': 'off', 'overlap/no-blocking-in-async': ['warn'] },
      ignores: ['lib/cache.mjs'],
    }));
    const run = runCli(['check', '--format', 'json'], { cwd: project });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((finding) => [finding.ruleId, finding.severity, finding.file])).toEqual([
      ['no-blocking-in-async', 'warn', 'lib/config.js'],
    ]);
    writeFileSync(join(project, 'overlap.config.json'), JSON.stringify({ rules: { 'no-blocking-in-async': 'warn' }, failOn: 'warn' }));
    expect((await runInProcess(['check'], { cwd: project })).code).toBe(1);
  });

  it('reads the "overlap" key of package.json, and .mjs and .ts config files', async () => {
    const fromPackage = withConfig('package.json', JSON.stringify({ name: 'x', private: true, overlap: { rules: { 'no-blocking-in-async': 'off' } } }));
    expect((JSON.parse((await runInProcess(['check', '--format', 'json'], { cwd: fromPackage })).stdout) as JsonReport).findings.map((finding) => finding.ruleId)).toEqual([
      'no-check-then-act-across-await',
    ]);
    const fromModule = withConfig('overlap.config.mjs', "export default { rules: { 'no-check-then-act-across-await': 'off' } };\n");
    expect((JSON.parse((await runInProcess(['check', '--format', 'json'], { cwd: fromModule })).stdout) as JsonReport).findings.map((finding) => finding.ruleId)).toEqual([
      'no-blocking-in-async',
    ]);
    const fromTypeScript = withConfig(
      'overlap.config.ts',
      "type Config = { rules: Record<string, 'off' | 'warn' | 'error'> };\nconst config: Config = { rules: { 'no-blocking-in-async': 'off' } };\nexport default config;\n",
    );
    const run = runCli(['check', '--format', 'json'], { cwd: fromTypeScript });
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((finding) => finding.ruleId)).toEqual(['no-check-then-act-across-await']);
  });

  it('bad configurations are one-line errors naming the file, exit 2', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['overlap.config.json', '{ "rules": { "prefer-concurrent-awaits": "loud" } }', /overlap\.config\.json: rule "prefer-concurrent-awaits": severity must be "off", "warn" or "error", got "loud"$/u],
      ['overlap.config.json', '{ "rules": { "no-such-rule": "error" } }', /overlap\.config\.json: unknown rule "no-such-rule"/u],
      ['overlap.config.json', '{ "rulez": {} }', /overlap\.config\.json: unknown key "rulez"/u],
      ['overlap.config.json', '{ "rules": ', /overlap\.config\.json: invalid JSON: /u],
      ['overlap.config.json', '{ "rules": { "no-blocking-in-async": ["error", { "unexpected": true }] } }', /overlap\.config\.json: rule "no-blocking-in-async": invalid options: /u],
      ['overlap.config.json', '{ "failOn": "sometimes" }', /overlap\.config\.json: "failOn" must be one of error, warn, none/u],
      ['overlap.config.mjs', 'export default {;\n', /overlap\.config\.mjs: cannot load: /u],
    ];
    for (const [index, [name, content, message]] of cases.entries()) {
      // The first through the real binary, the rest in-process: same code, less start-up time.
      const run = index === 0 ? runCli(['check'], { cwd: withConfig(name, content) }) : await runInProcess(['check'], { cwd: withConfig(name, content) });
      expect(run.code, content).toBe(2);
      expect(run.stderr.split('\n').filter(Boolean), content).toHaveLength(1);
      expect(run.stderr.trim(), content).toMatch(message);
      expect(run.stderr).toMatch(/^overlap: /u);
    }
    const missing = await runInProcess(['check', 'fixtures/projects/clean', '--config', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('overlap: nope.json: configuration file not found\n');
  });
});

describe('overlap init', () => {
  it('writes a starter config that check accepts, and refuses to overwrite it', () => {
    const folder = scratchFolder('init');
    writeFileSync(join(folder, 'index.js'), 'export async function main() { return 1; }\n');
    const run = runCli(['init'], { cwd: folder });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Wrote overlap\.config\.json \(\d+ rules\)/u);
    const config = JSON.parse(readFileSync(join(folder, 'overlap.config.json'), 'utf8')) as { rules: Record<string, string>; failOn: string };
    expect(config.failOn).toBe('error');
    expect(config.rules['no-blocking-in-async']).toBe('error');
    expect(runCli(['check'], { cwd: folder }).code).toBe(0);

    const again = runCli(['init'], { cwd: folder });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('overlap: overlap.config.json: a configuration already exists; not overwriting it (--force overwrites overlap.config.json)\n');
    expect(existsSync(join(folder, 'overlap.config.json'))).toBe(true);
  });

  it('--force overwrites; the config names its $schema; the cache folder goes into .gitignore once', async () => {
    const folder = scratchFolder('init-force');
    writeFileSync(join(folder, '.gitignore'), 'node_modules');
    writeFileSync(join(folder, 'overlap.config.json'), '{ "failOn": "none" }\n');
    const run = await runInProcess(['init', '--force'], { cwd: folder });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote overlap\.config\.json \(\d+ rules\); added \.overlap-cache\/ to \.gitignore\./u);
    const config = JSON.parse(readFileSync(join(folder, 'overlap.config.json'), 'utf8')) as { $schema: string; failOn: string };
    expect(config.failOn).toBe('error');
    expect(config.$schema).toBe('./node_modules/overlap/schema/overlap.config.schema.json');
    expect(readFileSync(join(folder, '.gitignore'), 'utf8')).toBe('node_modules\n# overlap --cache results\n.overlap-cache/\n');
    expect((await runInProcess(['init', '--force'], { cwd: folder })).stdout).not.toContain('.gitignore');
    expect(readFileSync(join(folder, '.gitignore'), 'utf8').match(/\.overlap-cache/gu)).toHaveLength(1);
  });

  it('the shipped JSON schema is current and accepts the starter config', async () => {
    const { configJsonSchema, configSchemaPath } = await import('../../src/config/schema.js');
    const { starterConfig } = await import('../../src/init/run-init.js');
    const shipped = JSON.parse(readFileSync(join(packageRoot, configSchemaPath), 'utf8')) as Record<string, unknown>;
    expect(shipped, 'run `npm run build && npm run docs` in packages/cli').toEqual(configJsonSchema());
    const { Ajv } = await import('ajv');
    const validate = new Ajv({ strict: false }).compile(shipped);
    expect(validate(starterConfig()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ rules: { 'prefer-concurrent-awaits': 'loud' } })).toBe(false);
  });
});

describe('a configuration with several problems', () => {
  it('reports all of them in one line', async () => {
    const folder = scratchFolder('config-many');
    writeFileSync(join(folder, 'overlap.config.json'), JSON.stringify({ failOn: 'sometimes', rules: { 'no-such-rule': 'warn', 'prefer-concurrent-awaits': 'loud' }, colour: true }));
    writeFileSync(join(folder, 'index.js'), 'export const x = 1;\n');
    const run = await runInProcess(['check'], { cwd: folder });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/overlap\.config\.json: 4 problems: unknown key "colour" .*; "failOn" must be one of error, warn, none, got "sometimes"; unknown rule "no-such-rule" .*; rule "prefer-concurrent-awaits": severity must be "off", "warn" or "error", got "loud"\n$/u);
  });
});

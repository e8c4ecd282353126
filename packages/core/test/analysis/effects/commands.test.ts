import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/parse/parse-file.js';
import type { AnalyzedFile } from '../../../src/engine/analyzed-file.js';
import { isQueryCommand } from '../../../src/analysis/effects/commands.js';
import { effectsFromName } from '../../../src/analysis/effects/names.js';
import { awaitRuns } from '../../../src/analysis/awaits/independent-awaits.js';
import { summarizeExportEffects } from '../../../src/analysis/effects/summarize.js';

function parse(text: string, filename = 'tasks.js'): AnalyzedFile {
  const result = parseFile(filename, text);
  if (!result.ok) throw new Error(result.error.message);
  return result.file;
}

/** Effects of each await of the file's runs, as `kind resource`. */
function awaited(text: string): string[][] {
  return awaitRuns(parse(text), { reportUnknownEffects: false }).flatMap((run) => run.awaits.map((a) => a.effects.map((e) => `${e.kind} ${e.resource}`)));
}

const words = (line: string): string[] => line.split(' ');

describe('child-process queries', () => {
  it('knows query commands and keeps everything else a barrier', () => {
    for (const line of ['git rev-parse --abbrev-ref HEAD', 'git -C ${} log -1 --format=%H', 'git config --get remote.origin.url', 'git remote get-url origin',
      'git branch --show-current', 'npm info ${} version', 'npm view react versions', 'yarn info left-pad', 'node --version', 'which git', 'pnpm config get registry']) {
      expect(isQueryCommand(words(line)), line).toBe(true);
    }
    for (const line of ['git checkout main', 'git push origin ${}', 'git config user.name x', 'git branch -D old', 'git tag v1.0.0', 'npm install', 'npm publish',
      'git ${} rev-parse', '${} --version', 'git diff --output=out.patch', 'npm config set registry x', 'rm -rf dist']) {
      expect(isQueryCommand(words(line)), line).toBe(false);
    }
  });

  it('a helper that runs its parameter as a command is a query or a barrier by the argument of each call', () => {
    const text = `const { exec } = require('child_process');
function run(command) {
  return new Promise((resolve, reject) => exec(command, (error, out) => (error ? reject(error) : resolve(out))));
}
async function versions() {
  const cli = await run('npm info @scope/cli version');
  const core = await run(\`npm info \${'@scope/core'} version\`);
  return [cli, core];
}
async function release(tag) {
  const head = await run('git rev-parse HEAD');
  await run(\`git tag \${tag}\`);
  return head;
}
module.exports = { versions, release };`;
    expect(awaited(text)).toEqual([['read *'], ['read *'], ['read *'], ['barrier *']]);
  });

  it('binds the command parameter of a helper in another file through its export summary', () => {
    const helper = parse(`import { exec } from 'node:child_process';
import { promisify } from 'node:util';
const execAsync = promisify(exec);
export async function sh(line: string) { const { stdout } = await execAsync(line); return stdout.trim(); }
export async function fixed() { return execAsync('git status --porcelain'); }`, 'sh.ts');
    const sh = summarizeExportEffects(helper, 'sh')!;
    expect(sh.effects.map((e) => `${e.kind} ${e.commandParameter?.index}`)).toEqual(['barrier 0']);
    expect(summarizeExportEffects(helper, 'fixed')!.effects.map((e) => e.kind)).toEqual(['read']);
  });

  it('a write before a query keeps its order: the query reads everything', () => {
    const text = `import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
export async function commitFile(dir) {
  await writeFile(dir + '/a.txt', 'a');
  const status = await execa('git', ['status', '--porcelain']);
  const head = await execa('git', ['rev-parse', 'HEAD']);
  return { status, head };
}`;
    const runs = awaitRuns(parse(text, 'commit.js'), { reportUnknownEffects: false });
    expect(runs[0]!.edges.map((e) => `${e.from}>${e.to} ${e.reason}`)).toEqual(['0>1 effect', '0>2 effect']);
  });
});

describe('names with a second word', () => {
  const kind = (name: string): string => effectsFromName(name, name, false)[0]!.kind;
  it('a write word after a read verb is a noun unless a conjunction makes it a second action', () => {
    expect(kind('getCreateSchemaSQL')).toBe('read');
    expect(kind('getRefreshToken')).toBe('read');
    expect(kind('fetchUpdateInfo')).toBe('read');
    expect(kind('getOrCreateUser')).toBe('write');
    expect(kind('findAndModify')).toBe('write');
    expect(kind('checkProcessedAndRecord')).toBe('write');
    expect(kind('getLock')).toBe('write');
    expect(kind('tryCreateUser')).toBe('write');
  });
});

describe('loops through helpers that change their arguments', () => {
  it('a helper that moves entries of the shared object it is given keeps the loop in order', async () => {
    const { concurrentLoops } = await import('../../../src/analysis/awaits/loops.js');
    const text = `async function regionOf(item) { return (await fetch('https://regions.example/' + item.id)).text(); }
function move(target, item, region) {
  target.byRegion[region] = target.byRegion[region] || {};
  target.byRegion[region][item.id] = item;
  delete target.pending[item.id];
}
function label(item, region) { return item.id + '@' + region; }
export async function assign(target) {
  for (const item of Object.values(target.pending)) {
    const region = await regionOf(item);
    move(target, item, region);
  }
  const labels = [];
  for (const item of Object.values(target.pending)) {
    const region = await regionOf(item);
    labels.push(label(item, region));
  }
  return labels;
}`;
    const loops = concurrentLoops(parse(text, 'assign.js'), { reportUnknownEffects: false });
    expect(loops.map((l) => l.loop.loc.start.line)).toEqual([14]);
  });
});

describe('a query run only for its exit status', () => {
  it('is a precondition check: what follows waits for it', () => {
    const text = `import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
async function requireTool() { await execa('zip', ['--version']); }
export async function pack(manifestPath) {
  await requireTool();
  const manifest = await readFile(manifestPath, 'utf8');
  const { stdout } = await execa('git', ['rev-parse', 'HEAD']);
  return { manifest, head: stdout };
}`;
    const runs = awaitRuns(parse(text, 'pack.js'), { reportUnknownEffects: false });
    const run = runs.find((r) => r.awaits.length === 3)!;
    expect(run.edges.map((e) => `${e.from}>${e.to} ${e.reason}`)).toEqual(['0>1 control', '0>2 control']);
  });
});

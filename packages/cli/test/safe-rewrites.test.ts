import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allChecks, applyEdits, parseFile, runChecks, type Finding, type TextEdit } from '@overlap/core';
import { compatibleEditSets } from '../src/fix/apply-edits.js';
import { repoRoot, runCli, scratchFolder } from './helpers.js';

/**
 * Every rewrite Overlap offers on the fixtures is safe to apply: each suggestion alone and all compatible ones
 * together give code that parses and adds no type error the file did not have; and the runnable fixture programs
 * (fixtures/programs, fixtures/demo) print the same output after `overlap check --fix` and after every suggestion
 * is applied as before. (The same check over real packages is a step of `npm run corpus`.)
 */
const fixtures = join(repoRoot, 'fixtures');
const enabled = allChecks.map((check) => ({ check }));
const tsExtensions = new Set(['.ts', '.tsx', '.mts', '.cts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /^\.[cm]?[jt]sx?$/u.test(extname(entry)) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

function findingsOf(file: string, text: string): Finding[] {
  const parsed = parseFile(file, text);
  return parsed.ok ? runChecks(parsed.file, enabled).findings : [];
}

/** In order, the edit sets that overlap no earlier one (ESLint's rule for one pass of fixes), as `--fix` picks them. */
function compatible(sets: ReadonlyArray<readonly TextEdit[]>): TextEdit[][] {
  return compatibleEditSets(sets.map((edits) => ({ edits }))).map((set) => [...set.edits]);
}

function allSuggestionsApplied(file: string, text: string): string | undefined {
  const sets = findingsOf(file, text).flatMap((finding) => finding.suggestions.map((rewrite) => rewrite.edits));
  return sets.length === 0 ? undefined : applyEdits(text, compatible(sets).flat());
}

const compilerOptions: ts.CompilerOptions = {
  noEmit: true, strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext, jsx: ts.JsxEmit.Preserve, types: ['node'],
  typeRoots: [join(repoRoot, 'node_modules', '@types')],
};
/** Library and neighbour files parsed once for all the programs below (the libs are most of the cost). */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();
let previousProgram: ts.Program | undefined;

/** Type errors of one file, checked with its imports resolved in place; a replacement text can stand in for it. */
function typeErrors(path: string, text: string): string[] {
  const host = ts.createCompilerHost(compilerOptions, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    if (name === path) return ts.createSourceFile(name, text, version, true);
    if (!parsedFiles.has(name)) parsedFiles.set(name, getSourceFile(name, version, ...rest));
    return parsedFiles.get(name);
  };
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === path ? text : readFile(name));
  const program = ts.createProgram({ rootNames: [path], options: compilerOptions, host, oldProgram: previousProgram });
  previousProgram = program;
  const source = program.getSourceFile(path)!;
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
    (d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
  );
}

function added(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((diagnostic) => {
    const index = left.indexOf(diagnostic);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

describe('rewrites on the fixtures are safe', () => {
  const files = sourceFiles(fixtures).sort();
  const withRewrites = files
    .map((file) => ({ file, text: readFileSync(file, 'utf8').replace(/^\uFEFF/u, '') }))
    .map((entry) => ({ ...entry, findings: findingsOf(entry.file, entry.text).filter((finding) => finding.suggestions.length > 0) }))
    .filter((entry) => entry.findings.length > 0);

  it('has rewrites to check', () => {
    expect(withRewrites.length).toBeGreaterThan(20);
  });

  it('each suggestion alone, and all together, parses and adds no type error', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { file, text, findings } of withRewrites) {
      const name = relative(fixtures, file);
      const variants = findings.flatMap((finding) => finding.suggestions.map((rewrite) => ({ label: `${finding.ruleId} line ${finding.span.start.line}`, edits: rewrite.edits })));
      const together = compatible(variants.map((variant) => variant.edits));
      if (together.length > 1) variants.push({ label: 'all together', edits: together.flat() });
      const before = tsExtensions.has(extname(file)) ? typeErrors(file, text) : undefined;
      for (const variant of variants) {
        checked++;
        const rewritten = applyEdits(text, variant.edits);
        const parsed = parseFile(file, rewritten);
        if (!parsed.ok) {
          problems.push(`${name}: ${variant.label}: does not parse: ${parsed.error.message}`);
          continue;
        }
        // "Type-checks where the input did": a fixture importing a package that is not installed (p-map) has
        // errors already, and a rewrite into that package's API turns contextual types into implicit anys.
        if (before && before.length === 0) {
          const newErrors = added(before, typeErrors(file, rewritten));
          if (newErrors.length > 0) problems.push(`${name}: ${variant.label}: adds ${newErrors.join('; ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  }, 120_000);

  it('the runnable programs print the same before and after --fix and after every suggestion', () => {
    const programs = [
      ...readdirSync(join(fixtures, 'programs'))
        .filter((name) => name.startsWith('audit-') || name === 'http-fetch')
        .map((name) => ({ folder: join('programs', name), main: 'main.mjs' })),
      { folder: 'demo', main: 'run.mjs' },
    ];
    const run = (dir: string, main: string) => {
      const result = spawnSync(process.execPath, [main], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      return { code: result.status, stdout: result.stdout };
    };
    // One copy for --fix (one CLI run over all programs), one with every suggestion applied.
    const fixed = scratchFolder('fixed');
    const suggested = scratchFolder('suggested');
    for (const program of programs) {
      cpSync(join(fixtures, program.folder), join(fixed, program.folder), { recursive: true });
      cpSync(join(fixtures, program.folder), join(suggested, program.folder), { recursive: true });
    }
    const fix = runCli(['check', '.', '--fix', '--fail-on', 'none', '--no-progress', '--format', 'json'], { cwd: fixed });
    expect(fix.code, fix.stderr).toBe(0);
    let rewritten = 0;
    let fixedFiles = 0;
    for (const file of sourceFiles(suggested)) {
      const text = readFileSync(file, 'utf8');
      if (readFileSync(join(fixed, relative(suggested, file)), 'utf8') !== text) fixedFiles++;
      const after = allSuggestionsApplied(file, text);
      if (after === undefined || after === text) continue;
      writeFileSync(file, after);
      rewritten++;
    }
    expect(rewritten).toBeGreaterThanOrEqual(6);
    expect(fixedFiles).toBeGreaterThanOrEqual(3);
    for (const program of programs) {
      const before = run(join(fixtures, program.folder), program.main);
      expect(before.code, `${program.folder} runs`).toBe(0);
      expect(run(join(fixed, program.folder), program.main), `${program.folder} after --fix`).toEqual(before);
      expect(run(join(suggested, program.folder), program.main), `${program.folder} after every suggestion`).toEqual(before);
    }
  }, 180_000);
});

// Helper of scripts/corpus.js: checks that suggested rewrites are safe to apply.
// stdin: JSON [{ path, file, findings: [{ ruleId, line, confidence, suggestion: { edits: [{ range, text }] } }] }]
// stdout: JSON { applied, files, failures: string[] }
// Each finding's rewrite is applied alone to the original text, then all non-overlapping ones together (what --fix
// does with the high-confidence ones). Every result must parse with the CLI's parser; for TypeScript files the
// result must not add a type error the original did not have (each file checked with its own imports resolved
// inside the package copy; missing third-party types give the same errors before and after).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import ts from 'typescript';
import { parseFile } from '@overlap/core';

const input = JSON.parse(readFileSync(0, 'utf8'));
const failures = [];
let applied = 0;

const tsExtensions = new Set(['.ts', '.tsx', '.mts', '.cts']);
const typeChecker = createTypeChecker();

for (const entry of input) {
  const raw = readFileSync(entry.path, 'utf8');
  const original = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (!parseFile(entry.path, original).ok) continue;
  const isTs = tsExtensions.has(extname(entry.path));
  const before = isTs ? typeChecker.diagnostics(entry.path, original) : undefined;
  const variants = entry.findings.map((finding) => ({ label: `${finding.ruleId} at line ${finding.line}`, edits: finding.suggestion.edits }));
  const together = compatible(entry.findings.map((finding) => finding.suggestion.edits));
  if (together.length > 1) variants.push({ label: `${together.length} rewrites together`, edits: together.flat() });
  for (const variant of variants) {
    const text = apply(original, variant.edits);
    applied++;
    const parsed = parseFile(entry.path, text);
    if (!parsed.ok) {
      failures.push(`${entry.file}: ${variant.label}: the rewrite does not parse: ${parsed.error.line}: ${parsed.error.message}`);
      continue;
    }
    if (before) {
      const after = typeChecker.diagnostics(entry.path, text);
      // A file that already has errors (dependencies not installed in the copy) turns contextual types into
      // implicit anys when a rewrite moves a callback into an unresolved API: only other new errors count there.
      const added = newDiagnostics(before, after).filter((d) => before.length === 0 || !/^TS70(?:05|06|31):/u.test(d));
      if (added.length > 0) failures.push(`${entry.file}: ${variant.label}: the rewrite adds a type error: ${added[0]}`);
    }
  }
}
process.stdout.write(JSON.stringify({ applied, files: input.length, failures }));

function apply(text, edits) {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range[0] - a.range[0])) result = result.slice(0, edit.range[0]) + edit.text + result.slice(edit.range[1]);
  return result;
}

function compatible(sets) {
  const taken = [];
  const chosen = [];
  for (const edits of sets) {
    if (edits.some((edit) => taken.some(([start, end]) => edit.range[0] < end && start < edit.range[1]))) continue;
    taken.push(...edits.map((edit) => edit.range));
    chosen.push(edits);
  }
  return chosen;
}

function newDiagnostics(before, after) {
  const counts = new Map();
  for (const key of before) counts.set(key, (counts.get(key) ?? 0) + 1);
  const added = [];
  for (const key of after) {
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else added.push(key);
  }
  return added;
}

/** Type-checks one file at a time with a replaceable text; library files are parsed once and reused. */
function createTypeChecker() {
  const options = {
    noEmit: true, strict: true, skipLibCheck: true, allowJs: true, checkJs: false, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [], jsx: ts.JsxEmit.Preserve,
  };
  const cache = new Map();
  let override = { path: '', text: '' };
  const base = ts.createCompilerHost(options, true);
  const host = {
    ...base,
    getSourceFile(fileName, languageVersion) {
      if (fileName === override.path) return ts.createSourceFile(fileName, override.text, languageVersion, true);
      if (!cache.has(fileName)) cache.set(fileName, base.getSourceFile(fileName, languageVersion));
      return cache.get(fileName);
    },
    readFile: (fileName) => (fileName === override.path ? override.text : base.readFile(fileName)),
  };
  let previous;
  return {
    diagnostics(path, text) {
      override = { path, text };
      const program = ts.createProgram({ rootNames: [path], options, host, oldProgram: previous });
      previous = program;
      const file = program.getSourceFile(path);
      if (!file) return [];
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map(
        (d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      );
    },
  };
}

/**
 * The pure part of `npm run eval:real`: which findings count for a case, and the figures over all cases.
 * Kept apart from the packing and running so it can be tested without the network (scripts/eval/match.test.js).
 */

export const kinds = ['sequential', 'sequential-loop', 'race', 'fan-out', 'blocking', 'must-stay-sequential'];

export const ruleIds = ['prefer-concurrent-awaits', 'prefer-concurrent-iteration', 'no-stale-write-across-await',
  'no-check-then-act-across-await', 'no-unbounded-concurrency', 'no-blocking-in-async'];

/** A race is found by either race rule: the maintainers' fix does not say which of the two shapes it closed. */
const raceRules = ['no-stale-write-across-await', 'no-check-then-act-across-await'];

/** The rule ids that count for a case. */
export function rulesFor(testCase) {
  return testCase.kind === 'race' ? raceRules : [testCase.rule];
}

/** Checks a case object against the format of eval/README.md; returns the problems found (empty when valid). */
export function validateCase(testCase, fileName) {
  const problems = [];
  const expect = (ok, what) => { if (!ok) problems.push(what); };
  expect(typeof testCase.id === 'string' && /^[a-z0-9][a-z0-9.-]*$/u.test(testCase.id), 'id: lower-case letters, digits, dots and dashes');
  if (fileName !== undefined) expect(fileName === `${testCase.id}.json`, `file name must be ${testCase.id}.json`);
  expect(kinds.includes(testCase.kind), `kind: one of ${kinds.join(', ')}`);
  expect(ruleIds.includes(testCase.rule), `rule: one of ${ruleIds.join(', ')}`);
  if (testCase.kind === 'race') expect(raceRules.includes(testCase.rule), 'rule: a race case names a race rule');
  expect(typeof testCase.package === 'string' && testCase.package.length > 0, 'package: the npm name');
  expect(typeof testCase.version === 'string' && /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/u.test(testCase.version), 'version: an exact x.y.z');
  expect(typeof testCase.file === 'string' && !testCase.file.startsWith('/') && !testCase.file.includes('..'), 'file: a path inside the package folder');
  const lines = testCase.lines;
  expect(Array.isArray(lines) && lines.length === 2 && lines.every((n) => Number.isInteger(n) && n >= 1) && lines[0] <= lines[1],
    'lines: [start, end], 1-based, start <= end');
  const evidence = testCase.evidence ?? {};
  expect(typeof evidence.repo === 'string' && /^[\w.-]+\/[\w.-]+$/u.test(evidence.repo), 'evidence.repo: owner/name');
  expect(typeof evidence.commit === 'string' && /^[0-9a-f]{7,40}$/u.test(evidence.commit), 'evidence.commit: the fix commit sha');
  expect(typeof evidence.summary === 'string' && evidence.summary.length > 0, 'evidence.summary: one sentence');
  const known = new Set(['id', 'kind', 'rule', 'package', 'version', 'file', 'lines', 'evidence', 'note']);
  for (const key of Object.keys(testCase)) expect(known.has(key), `unknown field ${key}`);
  return problems;
}

/**
 * The line spans a finding touches: where it is reported, its related locations (the awaits of a group, the read
 * and write of a race) and the edits of its suggestions (the statements a rewrite would replace).
 * Accepts both a CLI JSON finding and an ESLint message (whose suggestions carry a character range, converted by
 * the caller into `lines` through `lineOf`).
 */
export function spansOf(finding) {
  const spans = [[finding.line, finding.endLine ?? finding.line]];
  for (const related of finding.related ?? []) {
    const span = related.span ?? related;
    if (span?.start?.line !== undefined) spans.push([span.start.line, span.end?.line ?? span.start.line]);
    else if (span?.line !== undefined) spans.push([span.line, span.endLine ?? span.line]);
  }
  for (const edit of finding.suggestion?.edits ?? []) spans.push([edit.start.line, edit.end.line]);
  for (const span of finding.extraSpans ?? []) spans.push(span);
  return spans;
}

export function overlaps([a0, a1], [b0, b1]) {
  return a0 <= b1 && b0 <= a1;
}

/** The findings (already restricted to the case's file) that detect the case: its rule, touching its span. */
export function matchingFindings(testCase, findings) {
  const rules = rulesFor(testCase);
  return findings.filter((finding) => rules.includes(finding.ruleId) && spansOf(finding).some((span) => overlaps(span, testCase.lines)));
}

/**
 * ESLint's own rule that covers a case, for a side-by-side reference (`--core`): `no-await-in-loop` for await loops
 * (and must-stay loops), `require-atomic-updates` for races. Other kinds have no core counterpart.
 */
export function coreRuleFor(testCase) {
  if (testCase.kind === 'sequential-loop') return 'no-await-in-loop';
  if (testCase.kind === 'race') return 'require-atomic-updates';
  if (testCase.kind === 'must-stay-sequential' && testCase.rule === 'prefer-concurrent-iteration') return 'no-await-in-loop';
  return undefined;
}

/**
 * Figures over results `{ kind, plugin, cli, core? }`: `true` detected, `false` not, `null` the tool could not run
 * (counted as not detected and reported apart), `undefined` the tool does not apply to the case (left out). Recall
 * per kind over the positive kinds; for must-stay-sequential a detection is a false positive.
 */
export function summarise(results, tools = ['plugin', 'cli']) {
  const summary = { byKind: {}, overall: {}, falsePositives: {}, failures: {} };
  for (const tool of tools) {
    let found = 0;
    let total = 0;
    for (const kind of kinds) {
      const ofKind = results.filter((r) => r.kind === kind);
      if (ofKind.length === 0) continue;
      summary.byKind[kind] ??= { cases: ofKind.length };
      const applicable = ofKind.filter((r) => r[tool] !== undefined);
      if (applicable.length === 0) continue;
      const hits = applicable.filter((r) => r[tool] === true).length;
      summary.byKind[kind][tool] = hits;
      if (applicable.length !== ofKind.length) summary.byKind[kind][`${tool}Cases`] = applicable.length;
      if (kind === 'must-stay-sequential') {
        summary.falsePositives[tool] = { flagged: hits, cases: applicable.length, rate: hits / applicable.length };
      } else {
        found += hits;
        total += applicable.length;
      }
    }
    summary.overall[tool] = { found, cases: total, recall: total === 0 ? 0 : found / total };
    summary.failures[tool] = results.filter((r) => r[tool] === null).length;
  }
  return summary;
}

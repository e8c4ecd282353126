import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { awaitGraphs, isTestFile, parseFile, type AnalyzedFile } from '@overlap/core';
import { seriesAwaitFiles, type AwaitGraphInput, type SourcePoint } from '@overlap/runtime-analysis';
import type { Trace } from '@overlap/tracer';
import { FileAnalyzer } from '../analysis/analyze-file.js';
import { ProjectResolver, coreSummarizer, stripBom } from '../analysis/resolver.js';
import { relativePath } from '../project/discover.js';
import type { AuditFinding, StaticResult } from './static-findings.js';

/** What the runtime analysis needs for trace candidates, and the rewrites the reports and `verify` show for them. */
export interface CandidateInputs {
  /** The engine's await graphs of the project files in which the trace awaited sibling awaits in series. */
  readonly graphs: readonly AwaitGraphInput[];
  /**
   * `prefer-concurrent-awaits` findings of those files with `reportUnknownEffects` on: the engine's own rewrites of
   * groups it keeps apart only for want of knowledge. Not reported as static findings; a candidate borrows the one
   * about exactly its awaits.
   */
  readonly rewrites: readonly AuditFinding[];
}

/**
 * The static half of the trace candidates, limited to the files the trace makes worth reading (sibling awaits that
 * ran in series) among those the static check analysed, parsed with the same cross-file resolver as the check so a
 * callee the check classifies through an import is classified here too.
 */
export function candidateInputs(trace: Trace, statics: StaticResult, cwd: string): CandidateInputs {
  // Candidates are prefer-concurrent-awaits' business: none when it is off, and test files only where it reads them
  // (a test's awaits run in order on purpose more often than not: set up, act, check).
  if (statics.concurrentAwaits === null) return { graphs: [], rewrites: [] };
  const ruleOptions = statics.concurrentAwaits?.options ?? {};
  const skipTests = (ruleOptions['testFiles'] ?? 'skip') === 'skip';
  const sources = new Map((statics.sources ?? []).map((s) => [resolve(s.path), s.compilerOptions]));
  const graphs: AwaitGraphInput[] = [];
  const rewrites: AuditFinding[] = [];
  const summarize = coreSummarizer();
  // One resolver and one analyzer per project unit, so the imports they parse are parsed once for all files.
  const resolvers = new Map<Readonly<Record<string, unknown>>, ProjectResolver | undefined>();
  const analyzers = new Map<Readonly<Record<string, unknown>>, FileAnalyzer>();
  for (const file of seriesAwaitFiles(trace)) {
    const compilerOptions = sources.get(resolve(file));
    if (!compilerOptions || (skipTests && isTestFile(file))) continue;
    let text: string;
    try {
      text = stripBom(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    if (!resolvers.has(compilerOptions)) {
      resolvers.set(
        compilerOptions,
        summarize
          ? new ProjectResolver(compilerOptions, summarize, (path, source, self) => {
              const parsed = parseFile(path, source, { resolver: self, parser: 'oxc' });
              return parsed.ok ? parsed.file : undefined;
            })
          : undefined,
      );
    }
    const resolver = resolvers.get(compilerOptions);
    resolver?.beginFile();
    const parsed = parseFile(file, text, { parser: 'oxc', ...(resolver ? { resolver } : {}) });
    if (!parsed.ok) continue;
    graphs.push(...graphsOf(parsed.file, file));
    let analyzer = analyzers.get(compilerOptions);
    if (!analyzer) {
      analyzer = new FileAnalyzer({
        cwd,
        rules: [{ ruleId: 'prefer-concurrent-awaits', options: [{ ...ruleOptions, reportUnknownEffects: true, testFiles: 'report' }] }],
        units: [{ compilerOptions }],
        crossFile: true,
      });
      analyzers.set(compilerOptions, analyzer);
    }
    rewrites.push(...unknownEffectRewrites(analyzer, file, cwd));
  }
  return { graphs, rewrites };
}

function graphsOf(analyzed: AnalyzedFile, file: string): AwaitGraphInput[] {
  return awaitGraphs(analyzed).map((graph) => ({
    file,
    awaits: graph.awaits.map((a) => ({ line: a.span.start.line, column: a.span.start.column + 1, label: a.label })),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to, reason: e.reason, detail: e.detail })),
  }));
}

function unknownEffectRewrites(analyzer: FileAnalyzer, file: string, cwd: string): AuditFinding[] {
  const outcome = analyzer.analyze(file, 0);
  if (outcome.kind !== 'analyzed') return [];
  return outcome.findings.flatMap((f) =>
    f.suggestion
      ? [
          {
            ruleId: f.ruleId,
            severity: 'warn' as const,
            confidence: f.confidence,
            file: relativePath(cwd, file),
            line: f.line,
            column: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            message: f.message,
            messageId: f.messageId,
            fingerprint: f.fingerprint,
            related: f.related ?? [],
            suggestion: f.suggestion,
          },
        ]
      : [],
  );
}

/** The rewrite about exactly these awaits (same lines and columns), when the engine has one. */
export function rewriteFor(sites: readonly SourcePoint[], rewrites: readonly AuditFinding[], cwd: string): AuditFinding | null {
  const wanted = sites.map((s) => `${relativePath(cwd, s.file)}:${s.line}:${s.column}`).sort().join(' ');
  return (
    rewrites.find((f) => {
      const awaits = f.related.filter((r) => r.role === 'await').map((r) => `${f.file}:${r.line}:${r.column}`);
      return awaits.sort().join(' ') === wanted;
    }) ?? null
  );
}

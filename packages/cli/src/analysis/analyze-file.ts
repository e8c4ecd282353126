import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { allChecks, mayHaveFindings, parseFile, parsesWithoutErrors, runChecks, type EnabledCheck, type Finding, type ParserChoice, type RuleId } from '@overlap/core';
import { fingerprintFindings } from './fingerprint.js';
import type { FileFinding, FileOutcome, LineColumn, ReportEdit } from './outcome.js';
import { ProjectResolver, coreSummarizer, hashBytes, stripBom } from './resolver.js';

/** The rules to run and their options: plain data, so workers can rebuild the same list. */
export interface RuleSelection {
  readonly ruleId: RuleId;
  readonly options: readonly unknown[] | undefined;
}

export interface AnalyzerSetup {
  readonly cwd: string;
  readonly rules: readonly RuleSelection[];
  /** Compiler options per project unit, for resolving imports. */
  readonly units: ReadonlyArray<{ readonly compilerOptions: Readonly<Record<string, unknown>> }>;
  /** Resolve imported callees across files (the CLI's default); off reproduces what ESLint sees. */
  readonly crossFile: boolean;
  /**
   * The reference path (`OVERLAP_REFERENCE=1`): typescript-estree for every file and no text prefilter. Slower;
   * the bench compares its findings with the default path's to prove the speed-ups change nothing.
   */
  readonly reference?: boolean;
}

/** Analyses files one at a time with one setup. One per thread: resolvers cache parsed dependencies. */
export class FileAnalyzer {
  readonly #setup: AnalyzerSetup;
  readonly #enabled: EnabledCheck[];
  readonly #resolvers = new Map<number, ProjectResolver | undefined>();

  constructor(setup: AnalyzerSetup) {
    this.#setup = setup;
    this.#enabled = setup.rules.flatMap(({ ruleId, options }) => {
      const check = allChecks.find((candidate) => candidate.meta.id === ruleId);
      return check ? [{ check, ...(options ? { options } : {}) }] : [];
    });
  }

  analyze(path: string, unit: number): FileOutcome {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      return { kind: 'read-error', path, message: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
    return this.#analyze(path, unit, bytes.toString('utf8'), hashBytes(bytes), true);
  }

  /** Analyses `text` as the content of `path` (used for --fix passes on text not yet written). */
  analyzeText(path: string, unit: number, raw: string, hash: string): FileOutcome {
    return this.#analyze(path, unit, raw, hash, false);
  }

  /**
   * `onDisk` when `raw` is the file as read: a file the resolver already parsed from the same bytes (imported before
   * its turn came) is not parsed again. The other way (handing each checked tree to the resolver) saved fewer parses
   * and cost 70 MB more peak on issue 13's corpus: checked trees pushed imported ones out of its bounded cache.
   */
  #analyze(path: string, unit: number, raw: string, hash: string, onDisk: boolean): FileOutcome {
    const text = stripBom(raw);
    // No keyword any rule needs: nothing to find, so no tree to build; oxc's native parse alone still checks the
    // syntax, so a broken file is reported as before.
    if (!this.#setup.reference && !mayHaveFindings(text) && parsesWithoutErrors(path, text)) {
      return { kind: 'analyzed', path, hash, findings: [], failures: [], dependencies: [] };
    }
    const resolver = this.#resolverFor(unit);
    resolver?.beginFile();
    const shared = onDisk ? resolver?.parsedTree(path, hash) : undefined;
    const parsed = shared ? { ok: true as const, file: shared } : parseFile(path, text, { parser: this.#parser, ...(resolver ? { resolver } : {}) });
    if (!parsed.ok) {
      return { kind: 'parse-error', path, hash, line: parsed.error.line, column: parsed.error.column + 1, message: parsed.error.message };
    }
    const result = runChecks(parsed.file, this.#enabled);
    const relativeFile = relative(this.#setup.cwd, path).split(sep).join('/');
    const fingerprints = fingerprintFindings(result.findings, parsed.file.ast, text, relativeFile);
    const lines = lineStarts(text);
    return {
      kind: 'analyzed',
      path,
      hash,
      findings: result.findings.map((finding, index) => toFileFinding(finding, fingerprints[index]!, lines)),
      failures: result.failures,
      dependencies: resolver?.dependencies().filter((dependency) => dependency.path !== path) ?? [],
    };
  }

  get #parser(): ParserChoice {
    return this.#setup.reference ? 'typescript-estree' : 'oxc';
  }

  #resolverFor(unit: number): ProjectResolver | undefined {
    if (!this.#setup.crossFile) return undefined;
    if (this.#resolvers.has(unit)) return this.#resolvers.get(unit);
    const summarize = coreSummarizer();
    const options = this.#setup.units[unit]?.compilerOptions;
    const resolver =
      summarize && options
        ? new ProjectResolver(options, summarize, (file, text, self) => {
            const parsed = parseFile(file, text, { resolver: self, parser: this.#parser });
            return parsed.ok ? parsed.file : undefined;
          })
        : undefined;
    this.#resolvers.set(unit, resolver);
    return resolver;
  }
}

function toFileFinding(finding: Finding, fingerprint: string, lines: readonly number[]): FileFinding {
  const first = finding.suggestions[0];
  return {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    message: finding.message,
    confidence: finding.confidence,
    line: finding.span.start.line,
    column: finding.span.start.column + 1,
    endLine: finding.span.end.line,
    endColumn: finding.span.end.column + 1,
    fingerprint,
    related: finding.related.map((r) => ({ role: r.role, line: r.span.start.line, column: r.span.start.column + 1, endLine: r.span.end.line, endColumn: r.span.end.column + 1 })),
    ...(finding.graph
      ? {
          schedule: {
            awaits: finding.graph.awaits.map((a) => ({ line: a.span.start.line, column: a.span.start.column + 1 })),
            edges: finding.graph.edges.map((e) => ({ from: e.from, to: e.to, reason: e.reason })),
          },
        }
      : {}),
    ...(first
      ? {
          suggestion: {
            description: first.description,
            edits: [...first.edits]
              .sort((a, b) => a.range[0] - b.range[0])
              .map((edit): ReportEdit => ({
                range: [edit.range[0], edit.range[1]],
                text: edit.text,
                start: position(lines, edit.range[0]),
                end: position(lines, edit.range[1]),
              })),
          },
        }
      : {}),
  };
}

/** Offsets where each line starts; line terminators as ESLint counts them. */
function lineStarts(text: string): number[] {
  const starts = [0];
  const pattern = /\r\n|[\r\n\u2028\u2029]/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

function position(starts: readonly number[], offset: number): LineColumn {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

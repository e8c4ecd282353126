import type { RootPath, RouteSaving, RouteStats, RuntimeAnalysis, Suggestion, SuggestionKind, Throughput } from '@overlap/runtime-analysis';
import { relativePath } from '../project/discover.js';
import type { ReportFinding } from '../report/model.js';
import type { AuditFinding } from './static-findings.js';
import { rewriteFor } from './trace-candidates.js';
import type { LoadResult } from './load.js';

/** Everything the audit reporters render: the static findings and the runtime analysis joined to them. */
export interface AuditReport {
  readonly cwd: string;
  readonly findings: readonly AuditFinding[];
  /** Files the static check analysed, and how long the check and the analysis took. */
  readonly files: number;
  readonly durationMs: number;
  readonly runtime: RuntimeAnalysis;
  /** Ranked suggestions with their static finding (when they came from one). */
  readonly suggestions: readonly AuditSuggestion[];
  /** Lines of the runtime gate that failed (empty when it passed or was not asked for). */
  readonly gate: readonly string[];
  /** The trace carries a V8 CPU profile (`--cpu-profile`): the HTML draws flame graphs of CPU steps. */
  readonly cpuProfile?: boolean;
  /** The load driven with `--load`, as the load generator and the program's event loop measured it. */
  readonly load?: LoadResult;
}

export interface AuditSuggestion extends Suggestion {
  readonly rank: number;
  readonly staticFinding: AuditFinding | null;
}

interface JsonStep {
  readonly file: string;
  readonly line: number;
  readonly kind: 'wait' | 'cpu';
  readonly ms: number;
  readonly name: string;
  /** The await sites in calling frames this step is inside of, outermost first (`page.ts:14`). */
  readonly within: readonly string[];
}

interface JsonRoot {
  readonly route: string;
  readonly kind: 'process' | 'http';
  readonly totalMs: number;
  readonly criticalPath: readonly JsonStep[];
}

/** The stable JSON of `overlap audit --format json` (docs/report-format.md). Paths relative to the cwd. */
export interface AuditJson {
  readonly static: { readonly findings: readonly ReportFinding[] };
  /** Present with `--load`: what the load generator measured while the trace was recorded. */
  readonly load?: LoadResult;
  readonly runtime: {
    readonly roots: number;
    readonly totalMs: number;
    readonly utilisation: number;
    readonly modelErrorMs: number;
    readonly slowest: JsonRoot | null;
    readonly criticalPath: readonly JsonStep[];
    readonly processes: readonly JsonRoot[];
    readonly routes: readonly RouteStats[];
    readonly sites: ReadonlyArray<{
      readonly file: string;
      readonly line: number;
      readonly name: string;
      readonly count: number;
      readonly rootsOnPath: number;
      readonly criticalMs: number;
      readonly share: number;
      readonly p50: number;
      readonly p95: number;
      readonly dragMs: number;
      readonly slackMs: number | null;
    }>;
    readonly hangs: ReadonlyArray<{
      readonly reason: string;
      readonly file: string | null;
      readonly line: number | null;
      readonly name: string;
      readonly count: number;
      readonly waitedMs: number;
      readonly chain: ReadonlyArray<{ readonly name: string; readonly file: string; readonly line: number }>;
    }>;
    readonly suggestions: ReadonlyArray<{
      readonly kind: SuggestionKind;
      readonly sites: ReadonlyArray<{ readonly file: string; readonly line: number }>;
      readonly predictedSavingMs: number;
      readonly perRootMs: number;
      readonly rootsAffected: number;
      readonly perRoute: readonly RouteSaving[];
      readonly throughput: Throughput | null;
      readonly lowerBound: { readonly maxSavingPerRootMs: number } | null;
      readonly confidence: 'high' | 'medium' | 'unproven';
      /** For `unproven` trace candidates: why the engine could not prove the sites independent; else null. */
      readonly unprovenReason: string | null;
      readonly detail: string;
    }>;
  };
}

const ms = (value: number) => Math.round(value * 10) / 10;

export function displayPath(cwd: string, file: string): string {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/u.test(file) ? relativePath(cwd, file) : file;
}

function jsonWithin(cwd: string, key: string): string {
  const at = key.lastIndexOf(':');
  return at > 0 ? `${displayPath(cwd, key.slice(0, at))}${key.slice(at)}` : key;
}

function jsonRoot(cwd: string, path: RootPath): JsonRoot {
  return { route: path.route, kind: path.kind, totalMs: ms(path.totalMs), criticalPath: jsonSteps(cwd, path) };
}

function jsonSteps(cwd: string, path: RootPath | null): JsonStep[] {
  return (path?.steps ?? []).map((step) => ({
    file: displayPath(cwd, step.file),
    line: step.line,
    kind: step.kind,
    ms: ms(step.ms),
    name: step.name,
    within: step.within.map((key) => jsonWithin(cwd, key)),
  }));
}

export function toAuditJson(report: AuditReport): AuditJson {
  const { cwd, runtime } = report;
  return {
    static: { findings: report.findings.map(({ related: _related, schedule: _schedule, ...finding }) => finding) },
    ...(report.load ? { load: report.load } : {}),
    runtime: {
      roots: runtime.roots,
      totalMs: ms(runtime.totalMs),
      utilisation: Math.round(runtime.utilisation * 100) / 100,
      modelErrorMs: ms(runtime.modelErrorMs),
      slowest: runtime.slowest ? jsonRoot(cwd, runtime.slowest) : null,
      criticalPath: jsonSteps(cwd, runtime.slowest),
      processes: runtime.processes.map((p) => ({ ...jsonRoot(cwd, p), criticalPath: [] })),
      routes: runtime.routes.map((r) => ({
        ...r,
        p50Ms: ms(r.p50Ms),
        p95Ms: ms(r.p95Ms),
        waitP50Ms: ms(r.waitP50Ms),
        waitP95Ms: ms(r.waitP95Ms),
        cpuP50Ms: ms(r.cpuP50Ms),
        cpuP95Ms: ms(r.cpuP95Ms),
      })),
      sites: runtime.sites.map((s) => ({
        file: displayPath(cwd, s.site.file),
        line: s.site.line,
        name: s.name,
        count: s.count,
        rootsOnPath: s.rootsOnPath,
        criticalMs: ms(s.criticalMs),
        share: Math.round(s.share * 1000) / 1000,
        p50: ms(s.p50),
        p95: ms(s.p95),
        dragMs: ms(s.dragMs),
        slackMs: s.slackMs === null ? null : ms(s.slackMs),
      })),
      hangs: runtime.hangs.map((h) => ({
        reason: h.reason,
        file: h.site ? displayPath(cwd, h.site.file) : null,
        line: h.site?.line ?? null,
        name: h.name,
        count: h.count,
        waitedMs: ms(h.waitedMs),
        chain: h.chain.map((f) => ({ name: f.name, file: displayPath(cwd, f.file), line: f.line })),
      })),
      suggestions: report.suggestions.map((s) => ({
        kind: s.kind,
        sites: s.sites.map((site) => ({ file: displayPath(cwd, site.file), line: site.line })),
        predictedSavingMs: s.predictedSavingMs,
        perRootMs: s.perRootMs,
        rootsAffected: s.rootsAffected,
        perRoute: s.perRoute,
        throughput: s.throughput,
        lowerBound: s.lowerBound,
        confidence: s.confidence,
        unprovenReason: s.unprovenReason ?? null,
        detail: s.detail,
      })),
    },
  };
}

/** `candidateRewrites`: the engine's rewrites for `unproven` trace candidates (see trace-candidates.ts). */
export function joinSuggestions(
  runtime: RuntimeAnalysis,
  findings: readonly AuditFinding[],
  groupFinding: readonly number[],
  candidateRewrites: { readonly cwd: string; readonly rewrites: readonly AuditFinding[] } = { cwd: '', rewrites: [] },
): AuditSuggestion[] {
  return runtime.suggestions.map((s, index) => {
    const finding =
      s.finding !== null
        ? (findings[groupFinding[s.finding] ?? -1] ?? null)
        : s.confidence === 'unproven'
          ? rewriteFor(s.sites, candidateRewrites.rewrites, candidateRewrites.cwd)
          : null;
    return { ...s, rank: index + 1, staticFinding: s.kind === 'offload-cpu' && finding ? withoutRewrite(finding) : finding };
  });
}

/**
 * The finding behind an offload-cpu suggestion still marks the lines, but its Promise.all rewrite is not what the
 * audit recommends (it overlaps no CPU), so reports and `verify` must not present it as the suggestion's rewrite.
 */
function withoutRewrite(finding: AuditFinding): AuditFinding {
  const { suggestion: _dropped, ...rest } = finding;
  return rest;
}

/** A root in a few words: `GET /users/:id` or the entry file. */
export function rootLabel(cwd: string, path: RootPath): string {
  return path.kind === 'http' ? path.detail : `process ${displayPath(cwd, path.detail)}`;
}

// Public API of @overlap/core. Everything not exported here is internal.
export type { Confidence } from './model/confidence.js';
export { confidenceRank, lowerConfidence } from './model/confidence.js';
export type { Position, SourceSpan, Locatable } from './model/location.js';
export { spanOf } from './model/location.js';
export type { TextEdit, Rewrite } from './model/fix.js';
export type { Finding, RelatedLocation, RelatedRole } from './model/finding.js';
export type { AwaitGraph, AwaitNode, AwaitEdge, AwaitEdgeReason } from './model/await-graph.js';
export { awaitGraphs } from './analysis/awaits/await-graph.js';
export { isTestFile } from './analysis/file-role.js';
export type { RuleId } from './model/rule-id.js';
export { ruleIds, pluginPrefix, docsBaseUrl, docsUrl } from './model/rule-id.js';
export type { Effect, EffectKind, EffectSummary, CalleeResolver, ReexportedMember } from './model/effect.js';
export { summarizeExportEffects } from './analysis/effects/summarize.js';
export type { ModuleResolverOptions, ResolvedDependency } from './analysis/summaries/module-resolver.js';
export { ModuleResolver } from './analysis/summaries/module-resolver.js';
export { returnsPromise } from './analysis/summaries/returns-promise.js';

export type { AnalyzedFile, AnalyzedFileInput, TypeInformation } from './engine/analyzed-file.js';
export { createAnalyzedFile } from './engine/analyzed-file.js';
export type { Check, CheckMeta, AnyCheck } from './engine/check.js';
export { formatMessage } from './engine/format-message.js';
export { applyEdits } from './engine/apply-edits.js';
export { resolveOptions } from './engine/options.js';
export type { EnabledCheck, FileResult, CheckFailure } from './engine/run-checks.js';
export { runChecks } from './engine/run-checks.js';
export { isStackOverflow } from './engine/stack-overflow.js';
export { mayHaveFindings } from './engine/prefilter.js';

export type { ParseResult, ParseError, ParseFileOptions, ParserChoice } from './parse/parse-file.js';
export { parseFile, parsesWithoutErrors } from './parse/parse-file.js';

export { allChecks } from './checks/index.js';
export { preferConcurrentAwaits } from './checks/prefer-concurrent-awaits.js';
export { preferConcurrentIteration } from './checks/prefer-concurrent-iteration.js';
export type { MessageId as PreferConcurrentAwaitsMessageId, Options as PreferConcurrentAwaitsOptions } from './checks/prefer-concurrent-awaits.js';
export type { MessageId as PreferConcurrentIterationMessageId, Options as PreferConcurrentIterationOptions } from './checks/prefer-concurrent-iteration.js';
export { noStaleWriteAcrossAwait } from './checks/no-stale-write-across-await.js';
export { noCheckThenActAcrossAwait } from './checks/no-check-then-act-across-await.js';
export type { MessageId as NoStaleWriteAcrossAwaitMessageId, Options as NoStaleWriteAcrossAwaitOptions } from './checks/no-stale-write-across-await.js';
export type { MessageId as NoCheckThenActAcrossAwaitMessageId, Options as NoCheckThenActAcrossAwaitOptions } from './checks/no-check-then-act-across-await.js';
export { noUnboundedConcurrency } from './checks/no-unbounded-concurrency.js';
export type {
  NoUnboundedConcurrencyOptions,
  Options as NoUnboundedConcurrencyRuleOptions,
  MessageId as NoUnboundedConcurrencyMessageId,
} from './checks/no-unbounded-concurrency.js';
export { noBlockingInAsync } from './checks/no-blocking-in-async.js';
export type { Options as NoBlockingInAsyncOptions, MessageId as NoBlockingInAsyncMessageId } from './checks/no-blocking-in-async.js';
export type { ConcurrencyContext, ConcurrencyLevel, ConcurrencyKind } from './analysis/races/concurrency-context.js';
export { concurrencyOf } from './analysis/races/concurrency-context.js';

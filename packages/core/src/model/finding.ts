import type { AwaitGraph } from './await-graph.js';
import type { Confidence } from './confidence.js';
import type { Rewrite } from './fix.js';
import type { SourceSpan } from './location.js';
import type { RuleId } from './rule-id.js';

/** What a related location is to its finding. The audit joins `await` roles with runtime trace sites. */
export type RelatedRole = 'await' | 'loop' | 'read' | 'check' | 'write' | 'call' | 'fan-out';

export interface RelatedLocation {
  readonly role: RelatedRole;
  readonly span: SourceSpan;
  /** A few words for people: "`await getUser(id)`". */
  readonly label: string;
}

/** One problem found by one check in one file. Severity is not here: it belongs to the user's configuration. */
export interface Finding {
  readonly ruleId: RuleId;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  /** The message template filled with `data`, exactly what ESLint prints for the same finding. */
  readonly message: string;
  /** Where the finding is reported. */
  readonly span: SourceSpan;
  readonly confidence: Confidence;
  readonly suggestions: readonly Rewrite[];
  /** The places the finding is about: the awaits of a group, the read, await and write of a race. */
  readonly related: readonly RelatedLocation[];
  /**
   * For findings that rewrite a function's awaits into a schedule (prefer-concurrent-awaits): the dependency DAG
   * the schedule keeps, so the audit can price the schedule on recorded durations.
   */
  readonly graph?: AwaitGraph;
}

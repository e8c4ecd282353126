import type { SourceSpan } from './location.js';

/**
 * Why a later await must wait for an earlier one in the same function. `unknown` means the engine could not prove
 * the two independent (an unclassified callee), which is not the same as proving they depend: the audit may still
 * measure such a pair and offer it as an unproven candidate.
 */
export type AwaitEdgeReason = 'data' | 'effect' | 'control' | 'unknown';

export interface AwaitNode {
  /** The `await` expression (or `for await` statement). */
  readonly span: SourceSpan;
  /** A few words for people: "`getUser(id)`". */
  readonly label: string;
}

/** `to` (a later await) must start after `from` (an earlier await) has settled. Indices into `AwaitGraph.awaits`. */
export interface AwaitEdge {
  readonly from: number;
  readonly to: number;
  readonly reason: AwaitEdgeReason;
  /** One phrase for people: "uses `user`", "writes `out/` before it is read". */
  readonly detail: string;
}

/**
 * The dependency DAG of one async function's straight-line awaits, in evaluation order. The best schedule starts
 * every await as soon as the awaits it has edges from have settled; its length on recorded durations is the lower
 * bound of any rewrite that keeps these edges.
 */
export interface AwaitGraph {
  /** The function whose awaits these are. */
  readonly function: SourceSpan;
  readonly awaits: readonly AwaitNode[];
  readonly edges: readonly AwaitEdge[];
}

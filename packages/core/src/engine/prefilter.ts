/**
 * Every check reports only code that can wait or block, and each such construct has a keyword or a name that must
 * appear in the text:
 * - `async` / `await` (async functions, `for await`, top-level await): every rule about awaits and races, async
 *   callbacks of `forEach`/`map`, and blocking calls inside async functions;
 * - `Promise.<combinator>` (fan-out with `Promise.all` and friends), `p-map`, and `bluebird` (whose constructor, under
 *   any name, has the same combinators): no-unbounded-concurrency;
 * - `Atomics.wait`, and the blocking APIs (`...Sync`, the `sync` of execa, cross-spawn and glob): blocking calls in
 *   synchronous request handlers, which need no `async` anywhere.
 * A file with none of them cannot have a finding, so the CLI need not build its tree. The test
 * `engine/prefilter.test.ts` holds this against every rule's failing fixtures and every check's output.
 * Conservative: `\b` also matches inside longer words (`$async`), which only costs a parse.
 */
const mayWaitOrBlock = /\b(?:async|await|Atomics|sync)\b|Sync\b|\bPromise\s*(?:\?\.|\.)|p-map|bluebird/u;

/** False only when no check can find anything in `text`. */
export function mayHaveFindings(text: string): boolean {
  return mayWaitOrBlock.test(text);
}

/**
 * Rule ids, without the `overlap/` plugin prefix. Tools, docs and users' configs depend on these exact strings.
 */
export const ruleIds = [
  'prefer-concurrent-awaits',
  'prefer-concurrent-iteration',
  'no-stale-write-across-await',
  'no-check-then-act-across-await',
  'no-unbounded-concurrency',
  'no-blocking-in-async',
] as const;

export type RuleId = (typeof ruleIds)[number];

export const pluginPrefix = 'overlap';

/** Where each rule's documentation lives; the ESLint plugin's `meta.docs.url` and every report link here. */
export const docsBaseUrl = 'https://github.com/overlap-dev/overlap/blob/main/docs/rules/';

export function docsUrl(ruleId: RuleId): string {
  return `${docsBaseUrl}${ruleId}.md`;
}

/**
 * The pure part of `npm run eval:precision`'s review files (format in eval/README.md): strict precision per rule
 * and per confidence, and carrying verdicts over to a new run of the engine (`--carry`). Kept apart from the
 * packing and running so it can be tested without the network (scripts/eval/review.test.js).
 */

/** The key that says two findings are the same place: the package version and the CLI's fingerprint. */
const keyOf = (finding) => `${finding.package}\u0000${finding.fingerprint}`;

/**
 * Right/judged per rule, per confidence and overall. Throws on a verdict other than right or wrong (a finding
 * still to judge), naming it, so a half-judged file never gives a figure.
 */
export function summariseReview(findings) {
  const byRule = {};
  const byConfidence = {};
  const all = { judged: 0, right: 0 };
  const pending = findings.filter((item) => item.verdict !== 'right' && item.verdict !== 'wrong');
  if (pending.length > 0) {
    const names = pending.slice(0, 5).map((item) => `${item.n} (${JSON.stringify(item.verdict ?? null)})`).join(', ');
    throw new Error(`${pending.length} finding(s) without a verdict of right or wrong: ${names}${pending.length > 5 ? ', ...' : ''}`);
  }
  for (const item of findings) {
    const right = item.verdict === 'right' ? 1 : 0;
    for (const [table, key] of [[byRule, item.ruleId], [byConfidence, item.confidence ?? 'unknown']]) {
      table[key] ??= { judged: 0, right: 0 };
      table[key].judged++;
      table[key].right += right;
    }
    all.judged++;
    all.right += right;
  }
  return { byRule, byConfidence, all };
}

/**
 * Carries the verdicts of `review` (an all-findings review) over to `findings` (a new run on the same packages):
 * a finding keeps its verdict when the review holds one with the same package, fingerprint and message. A review
 * entry without a message (older files) matches on package and fingerprint alone, and the finding says so in
 * `carriedOn`. Everything else is returned in `toJudge` with an empty verdict; review entries no longer found are
 * returned in `gone`, except those of packages the CLI could not run on this time (`unrunPackages`, labels such as
 * `name@version`), returned in `notRun`: their findings are unknown, not gone.
 */
export function carryReview(review, findings, unrunPackages = new Set()) {
  const previous = new Map();
  for (const item of review.findings) {
    const key = keyOf(item);
    if (!previous.has(key)) previous.set(key, []);
    previous.get(key).push(item);
  }
  const used = new Set();
  const carried = [];
  const toJudge = [];
  for (const finding of findings) {
    const candidates = (previous.get(keyOf(finding)) ?? []).filter((item) => !used.has(item));
    const same = candidates.find((item) => item.message === finding.message)
      ?? candidates.find((item) => item.message === undefined);
    if (same) {
      used.add(same);
      carried.push({ ...finding, verdict: same.verdict, reason: same.reason, carriedFrom: same.n, carriedOn: same.message === undefined ? 'fingerprint' : 'fingerprint+message' });
    } else {
      // The same place with another message replaces its entry: judged again, not also listed as gone.
      const changed = candidates[0];
      if (changed) used.add(changed);
      toJudge.push({ ...finding, verdict: '', reason: '', ...(changed ? { was: { n: changed.n, message: changed.message, verdict: changed.verdict, reason: changed.reason } } : {}) });
    }
  }
  const left = review.findings.filter((item) => !used.has(item));
  const gone = left.filter((item) => !unrunPackages.has(item.package));
  const notRun = left.filter((item) => unrunPackages.has(item.package));
  return { carried, toJudge, gone, notRun };
}

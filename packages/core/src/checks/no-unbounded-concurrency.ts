import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import type { CollectionSize } from '../analysis/fan-out/collection-size.js';
import { fanOutSitesAt, keyIs, type AsyncCallbackFanOut, type FanOutSite, type MapFanOut, type PMapFanOut, type PushLoopFanOut } from '../analysis/fan-out/fan-out-sites.js';
import { isTestFile } from '../analysis/file-role.js';
import { shortText } from '../analysis/syntax.js';
import { descendants } from '../analysis/walk-ast.js';
import { lowerConfidence, type Confidence } from '../model/confidence.js';
import type { Finding, RelatedLocation } from '../model/finding.js';
import type { Rewrite, TextEdit } from '../model/fix.js';
import { spanOf } from '../model/location.js';
import { boundedFanOutRewrites } from './rewrites/bound-fan-out.js';


export interface NoUnboundedConcurrencyOptions {
  /** A collection whose size the code fixes at this many elements or fewer is fine to fan out over. */
  readonly maxKnownSize?: number;
  /** Names of your own limiter functions, or of the factories that make them (`limiters: ['withLimit']`). */
  readonly limiters?: readonly string[];
  /**
   * Also report fan-outs we are only moderately sure of: over a collection that is not visibly input (a member such as
   * `this.nodes()` or `schema.paths`, often sized by topology, configuration or schema), or through a mapper we cannot
   * see into. Off by default: on published code most such findings were small-by-nature collections.
   */
  readonly reportMediumConfidence?: boolean;
}
export type Options = readonly [NoUnboundedConcurrencyOptions];
type Settings = Required<NoUnboundedConcurrencyOptions>;
const defaultSettings: Settings = { maxKnownSize: 16, limiters: [], reportMediumConfidence: false };
export type MessageId =
  | 'unboundedMap'
  | 'unboundedPushLoop'
  | 'unboundedAsyncCallback'
  | 'pMapWithoutConcurrency'
  | 'useBoundedPMap'
  | 'usePLimit'
  | 'addConcurrencyOption';

const bound = 'Bound it: a limiter such as p-limit, p-map with `concurrency`, or fixed-size batches.';
const messages: Readonly<Record<MessageId, string>> = {
  unboundedMap:
    '`{{combinator}}` starts {{work}} for every element of `{{collection}}` at once{{sizeNote}}; nothing limits how many are in flight, so a large input can exhaust sockets, file descriptors or the service on the other end. ' + bound + ' ({{confidence}} confidence: {{reason}}.)',
  unboundedPushLoop:
    '`{{combinator}}` awaits `{{array}}`, which gets a started promise on every iteration of the loop on line {{loopLine}}{{sizeNote}}; all of that work runs at once with no limit. ' + bound + ' ({{confidence}} confidence: {{reason}}.)',
  unboundedAsyncCallback:
    '`{{collection}}.{{method}}` with an async callback starts one call per element at once and waits for none of them{{sizeNote}}; nothing limits how many run together, and their failures go unhandled. Await a bounded loop or limiter instead. ({{confidence}} confidence: {{reason}}.)',
  pMapWithoutConcurrency:
    '`{{call}}` has no `concurrency` option, and p-map defaults to `Infinity`: every element of `{{collection}}` is mapped at once{{sizeNote}}. Pass `{ concurrency: N }`. ({{confidence}} confidence: {{reason}}.)',
  useBoundedPMap: 'Rewrite as `await {{pMap}}(..., { concurrency: {{limit}} })` with the imported p-map (tune the limit).',
  usePLimit: 'Run each callback through a `{{pLimit}}({{limit}})` limiter created just before (tune the limit).',
  addConcurrencyOption: 'Add `{ concurrency: {{limit}} }` (tune the limit).',
};

/** The limit our rewrites write in; users tune it. Low enough for most services, high enough to overlap. */
const suggestedLimit = 8;

/**
 * Fan-out whose width is set by data: `Promise.all(xs.map(async ...))`, promises pushed in a loop and awaited
 * together, `xs.forEach(async ...)`, and p-map without `concurrency`. Known-size and chunked collections, worker pools
 * and work run through a limiter are fine. The facts come from analysis/fan-out/; this file judges them.
 */
export const noUnboundedConcurrency: Check<Options, MessageId> = {
  meta: {
    id: 'no-unbounded-concurrency',
    type: 'problem',
    description: 'Disallow starting async work for every element of a collection of unknown size at once',
    recommended: 'warn',
    messages,
    schema: [
      {
        type: 'object',
        properties: {
          maxKnownSize: { type: 'integer', minimum: 0, description: 'A collection of known size at most this large is fine.' },
          limiters: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'Names of your own limiter functions or limiter factories.' },
          reportMediumConfidence: { type: 'boolean', description: 'Also report fan-outs over collections that are not visibly input, or through mappers we cannot see into.' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [defaultSettings],
    hasSuggestions: true,
  },
  run(file, [given]) {
    const options: Settings = { ...defaultSettings, ...given } as Settings;
    const findings: Finding[] = [];
    if (isTestFile(file.filename)) return findings;
    for (const node of descendants(file.ast)) {
      if (node.type !== 'CallExpression') continue;
      const finding = firstReported(file, fanOutSitesAt(file, node, options), options);
      if (finding && (finding.confidence === 'high' || options.reportMediumConfidence)) findings.push(finding);
    }
    return findings;
  },
};

interface SizeVerdict {
  readonly report: boolean;
  readonly note: string;
  readonly confidence: Confidence;
  readonly reason: string;
}

function judgeSize(size: CollectionSize, options: Settings): SizeVerdict {
  if (size.kind === 'bounded' || size.kind === 'configured') return { report: false, note: '', confidence: 'high', reason: '' };
  if (size.kind === 'known') {
    return size.size <= options.maxKnownSize
      ? { report: false, note: '', confidence: 'high', reason: '' }
      : { report: true, note: ` (${size.size} elements, more than ${options.maxKnownSize})`, confidence: 'high', reason: `the collection has ${size.size} elements` };
  }
  return {
    report: true,
    note: '',
    confidence: size.origin === 'input' ? 'high' : 'medium',
    reason: size.origin === 'input' ? `its size is set by data (${size.how})` : `we cannot see its size (${size.how})`,
  };
}


/** The first site of a call whose size is worth reporting, as a finding. */
function firstReported(file: AnalyzedFile, sites: readonly FanOutSite[], options: Settings): Finding | undefined {
  for (const site of sites) {
    const finding =
      site.kind === 'map' ? mapFinding(file, site, options)
      : site.kind === 'push-loop' ? pushLoopFinding(site, options)
      : site.kind === 'async-callback' ? asyncCallbackFinding(file, site, options)
      : pMapFinding(file, site, options);
    if (finding) return finding;
  }
  return undefined;
}

function mapFinding(file: AnalyzedFile, site: MapFanOut, options: Settings): Finding | undefined {
  const { call, combinator, mapCall, collection, callback, work } = site;
  const size = judgeSize(site.size, options);
  if (!size.report) return undefined;
  const confidence = lowerConfidence(work.confidence, size.confidence);
  const data = {
    combinator,
    work: work.label,
    collection: shortText(file.text, collection, 60),
    sizeNote: size.note,
    confidence,
    reason: `${work.reason}; ${size.reason}`,
  };
  const describe = (messageId: MessageId, values: Record<string, string | number>) => formatMessage(messages[messageId], values);
  const suggestions = combinator === 'Promise.all' ? boundedFanOutRewrites(file, call, mapCall, collection, callback, describe, suggestedLimit) : [];
  return finding('unboundedMap', data, call, confidence, suggestions, [
    { role: 'fan-out', span: spanOf(mapCall), label: `\`${textOf(file, mapCall.callee)}(...)\`` },
  ]);
}

function pushLoopFinding(site: PushLoopFanOut, options: Settings): Finding | undefined {
  for (const candidate of site.pushes) {
    const size = judgeSize(candidate.size, options);
    if (!size.report) continue;
    const confidence = lowerConfidence(candidate.work.confidence, size.confidence);
    const data = {
      combinator: site.combinator,
      array: site.array.name,
      loopLine: candidate.loop.loc.start.line,
      sizeNote: '',
      confidence,
      reason: `${candidate.work.reason}; ${size.reason}`,
    };
    return finding('unboundedPushLoop', data, site.call, confidence, [], [
      { role: 'loop', span: spanOf(candidate.loop), label: `the loop on line ${candidate.loop.loc.start.line}` },
      { role: 'fan-out', span: spanOf(candidate.push), label: `\`${site.array.name}.push(...)\`` },
    ]);
  }
  return undefined;
}

function asyncCallbackFinding(file: AnalyzedFile, site: AsyncCallbackFanOut, options: Settings): Finding | undefined {
  const size = judgeSize(site.size, options);
  if (!size.report) return undefined;
  const confidence = lowerConfidence(site.work.confidence, size.confidence);
  const data = {
    collection: shortText(file.text, site.collection, 60),
    method: site.method,
    sizeNote: size.note,
    confidence,
    reason: `the callback is async and its promises are dropped; ${size.reason}`,
  };
  return finding('unboundedAsyncCallback', data, site.call, confidence, [], []);
}

function pMapFinding(file: AnalyzedFile, site: PMapFanOut, options: Settings): Finding | undefined {
  const { call, input, mapper, settings } = site;
  const size = judgeSize(site.size, options);
  if (!size.report) return undefined;
  const data = {
    call: `${textOf(file, call.callee)}(...)`,
    collection: shortText(file.text, input, 60),
    sizeNote: size.note,
    confidence: size.confidence,
    reason: `no \`concurrency\` is given; ${size.reason}`,
  };
  const limitData = { limit: suggestedLimit };
  const edit: TextEdit = settings
    ? { range: [settings.range[0], settings.range[1]], text: withConcurrency(file, settings) }
    : { range: [mapper.range[1], mapper.range[1]], text: `, { concurrency: ${suggestedLimit} }` };
  const rewrite: Rewrite = {
    messageId: 'addConcurrencyOption',
    data: limitData,
    description: formatMessage(messages.addConcurrencyOption, limitData),
    edits: [edit],
  };
  return finding('pMapWithoutConcurrency', data, call, size.confidence, [rewrite], []);
}

function withConcurrency(file: AnalyzedFile, settings: TSESTree.ObjectExpression): string {
  const kept = settings.properties.filter((p) => !(p.type === 'Property' && keyIs(p, 'concurrency'))).map((p) => textOf(file, p));
  return `{ ${[...kept, `concurrency: ${suggestedLimit}`].join(', ')} }`;
}

function textOf(file: AnalyzedFile, node: TSESTree.Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}

function finding(
  messageId: MessageId,
  data: Record<string, string | number>,
  node: TSESTree.Node,
  confidence: Confidence,
  suggestions: Rewrite[],
  related: RelatedLocation[],
): Finding {
  return {
    ruleId: 'no-unbounded-concurrency',
    messageId,
    data,
    message: formatMessage(messages[messageId], data),
    span: spanOf(node),
    confidence,
    suggestions,
    related,
  };
}

import type { TSESTree } from '@typescript-eslint/types';
import { factKey } from '../../engine/fact-cache.js';
import type { Effect } from '../../model/effect.js';
import { effectsOfExpression, type EffectContext } from '../effects/classify.js';
import { isFunctionLike, walk, type FunctionLike } from '../syntax.js';
import { noEffectReason } from './noise.js';

/**
 * What calling a function this file defines does, for ordering: the effects of the calls its body makes (awaited,
 * returned or combined), local callees summarised bottom-up and cached once per function, recursion cut off.
 * Calls nobody else can observe (logging, pure helpers, local collections, errors) add nothing; a timer is latency.
 */
export interface FunctionSummary {
  readonly effects: readonly Effect[];
  /**
   * The function only waits on timers and gives back nothing else (`sleep`, `delay`): awaited, it is a deliberate
   * wait and keeps its place. A function that waits and then returns a value (`await delay(50); return prefs`) is not.
   */
  readonly waitsOnly: boolean;
}

/** A declaration without a body (`declare function f(): Promise<T>`, an overload, an abstract method). */
type Bodiless = TSESTree.TSDeclareFunction | TSESTree.TSEmptyBodyFunctionExpression;
export type Summarisable = FunctionLike | Bodiless;

/** Beyond this many nested local calls the summary gives up: unknown, never "no effect". */
const maxLocalDepth = 12;
const cacheKey = factKey<WeakMap<TSESTree.Node, FunctionSummary>>('overlap:function-summaries');
const nothing: FunctionSummary = { effects: [], waitsOnly: false };

export function summarizeFunction(ctx: EffectContext, fn: Summarisable): FunctionSummary {
  if (!isFunctionLike(fn) || !fn.body) {
    return { effects: [{ kind: 'unknown', resource: '*', reason: `\`${nameOf(fn)}\` is declared without a body` }], waitsOnly: false };
  }
  // Recursion: the cycle adds nothing its first visit does not; the summaries inside it are partial, not cached.
  if (ctx.visiting.has(fn)) {
    ctx.cuts?.add(fn);
    return nothing;
  }
  const cache = ctx.file.facts.get(cacheKey, () => new WeakMap());
  const cached = cache.get(fn);
  if (cached) return cached;
  if (ctx.depth >= maxLocalDepth) {
    ctx.cuts?.add(fn);
    return { effects: [{ kind: 'unknown', resource: '*', reason: `\`${nameOf(fn)}\` calls too deep to follow` }], waitsOnly: false };
  }
  const cuts = new Set<TSESTree.Node>();
  const inner: EffectContext = { file: ctx.file, depth: ctx.depth + 1, visiting: new Set([...ctx.visiting, fn]), cuts };
  const summary = compute(inner, fn);
  cuts.delete(fn);
  if (cuts.size === 0) cache.set(fn, summary);
  else for (const cut of cuts) ctx.cuts?.add(cut);
  return summary;
}

function compute(ctx: EffectContext, fn: FunctionLike): FunctionSummary {
  const effects: Effect[] = [];
  const seen = new Set<string>();
  const add = (list: readonly Effect[]): void => {
    for (const effect of list) {
      const latent = asSummarised(effect);
      const key = `${latent.kind}|${latent.resource}|${latent.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      effects.push(latent);
    }
  };
  walk(fn.body!, (node) => {
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression' && node.type !== 'TaggedTemplateExpression') return true;
    if (isChainLink(node)) return true;
    // The arguments of a log call may still do something: keep walking into them.
    if (node.type !== 'TaggedTemplateExpression' && noEffectReason(ctx.file, node, fn) !== undefined) return true;
    add(effectsOfExpression(ctx, node));
    return true;
  });
  const waitsOnly = effects.length > 0 && effects.every((e) => e.timer === true) && returnsOnlyTimers(ctx, fn);
  return { effects, waitsOnly };
}

/** Inside a summary a timer is latency (kind `none`), and names of the callee's scope mean nothing to its caller. */
function asSummarised(effect: Effect): Effect {
  const { via: _via, ...rest } = effect;
  return effect.kind === 'barrier' && effect.timer ? { ...rest, kind: 'none' } : rest;
}

/** Every value the function gives back is a timer's promise, or nothing. */
function returnsOnlyTimers(ctx: EffectContext, fn: FunctionLike): boolean {
  const returned: TSESTree.Node[] = [];
  if (fn.body && fn.body.type !== 'BlockStatement') returned.push(fn.body);
  else if (fn.body) {
    walk(fn.body, (node) => {
      if (node !== fn.body && isFunctionLike(node)) return false;
      if (node.type === 'ReturnStatement' && node.argument) returned.push(node.argument);
      return true;
    });
  }
  return returned.every((value) => effectsOfExpression(ctx, value).some((e) => e.timer === true));
}

/** `a().b()`: the inner call is judged together with its chain by the outer one. */
function isChainLink(node: TSESTree.Node): boolean {
  const parent = node.parent;
  return parent?.type === 'MemberExpression' && parent.object === node && parent.parent?.type === 'CallExpression' && parent.parent.callee === parent;
}

function nameOf(fn: Summarisable): string {
  if ('id' in fn && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === 'MethodDefinition' && parent.key.type === 'Identifier') return parent.key.name;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  return 'function';
}

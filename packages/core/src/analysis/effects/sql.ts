import type { Effect } from '../../model/effect.js';

/**
 * Classifies SQL text by its leading verb. Reads name the tables they read (`sql:users`) so a write to one table
 * does not order a read of another; session and transaction statements are barriers (they change what every
 * later statement on the connection sees).
 */
const readVerbs = new Set(['select', 'show', 'explain', 'describe', 'desc', 'values', 'table', 'pragma']);
const writeVerbs = new Set([
  'insert', 'update', 'delete', 'merge', 'upsert', 'replace', 'create', 'drop', 'alter', 'truncate', 'copy', 'grant',
  'revoke', 'vacuum', 'analyze', 'reindex', 'refresh', 'call', 'do', 'notify', 'comment', 'cluster',
]);
const barrierVerbs = new Set([
  'begin', 'start', 'commit', 'rollback', 'end', 'abort', 'savepoint', 'release', 'set', 'reset', 'lock', 'unlock',
  'use', 'prepare', 'execute', 'deallocate', 'discard', 'listen', 'unlisten', 'attach', 'detach',
]);

/** True when the text looks like SQL at all (so `db.get('users')` is not mistaken for a statement). */
export function looksLikeSql(text: string): boolean {
  const verb = leadingVerb(text);
  if (verb === undefined) return false;
  if (/^(?:begin|commit|rollback|abort)$/u.test(text.trim().replace(/;$/u, '').toLowerCase())) return true;
  return (readVerbs.has(verb) || writeVerbs.has(verb) || barrierVerbs.has(verb) || verb === 'with') && /\s/u.test(text.trim());
}

function leadingVerb(text: string): string | undefined {
  const stripped = text.replace(/^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*/u, '');
  const match = /^([a-z]+)/iu.exec(stripped);
  return match?.[1]?.toLowerCase();
}

function tables(text: string, pattern: RegExp): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    const name = match[1]?.replace(/["`[\]]/gu, '').toLowerCase();
    if (name && name !== 'select' && !name.startsWith('$')) out.add(name);
  }
  return [...out];
}

export function classifySql(text: string, via: string): Effect[] {
  const verb = leadingVerb(text) ?? '';
  const lower = text.toLowerCase();
  if (barrierVerbs.has(verb)) return [{ kind: 'barrier', resource: 'sql:*', reason: `\`${via}\` runs \`${verb.toUpperCase()}\`, a session or transaction statement` }];
  // Row locks and deliberate waits inside a SELECT still order everything around them.
  if (/\bfor\s+(?:update|share|no\s+key\s+update)\b|pg_advisory|pg_sleep|get_lock\s*\(|\bsleep\s*\(/u.test(lower)) {
    return [{ kind: 'barrier', resource: 'sql:*', reason: `\`${via}\` takes a lock or waits` }];
  }
  const isWrite = writeVerbs.has(verb) || (verb === 'with' && /\b(?:insert|update|delete|merge)\b/u.test(lower));
  if (isWrite) {
    const written = tables(text, /\b(?:into|update|from|table|exists)\s+([\w."`[\]]+)/giu);
    const resources = written.length > 0 ? written.map((t) => `sql:${t}`) : ['sql:*'];
    return resources.map((resource) => ({ kind: 'write' as const, resource, reason: `\`${via}\` runs \`${verb.toUpperCase()}\`, a write` }));
  }
  if (readVerbs.has(verb) || verb === 'with') {
    const read = tables(text, /\b(?:from|join)\s+([\w."`[\]]+)/giu);
    const resources = read.length > 0 ? read.map((t) => `sql:${t}`) : ['sql:*'];
    return resources.map((resource) => ({ kind: 'read' as const, resource, reason: `\`${via}\` runs \`SELECT\`, a read` }));
  }
  return [{ kind: 'unknown', resource: 'sql:*', reason: `\`${via}\` runs SQL we do not classify` }];
}

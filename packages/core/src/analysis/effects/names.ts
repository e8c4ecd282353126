import type { Effect } from '../../model/effect.js';

/**
 * Effects guessed from a function or method name, the convention most code bases follow: `getUser` reads,
 * `saveUser` writes, `sleep` waits on purpose. Guesses are marked `guessed` so findings resting on them are medium.
 * A guessed write may touch anything, so its resource is `*`.
 */
const readVerbs = new Set([
  'get', 'find', 'list', 'load', 'read', 'fetch', 'count', 'query', 'search', 'lookup', 'select', 'has', 'is',
  'exists', 'resolve', 'compute', 'calculate', 'calc', 'stat', 'describe', 'retrieve', 'scan', 'collect', 'gather',
  'peek', 'check', 'validate', 'render', 'format', 'parse', 'hash', 'compare', 'download',
  'inspect', 'preview', 'estimate', 'measure', 'detect', 'probe', 'fetchall', 'findall', 'findone',
  'findmany', 'findunique', 'findfirst', 'aggregate', 'groupby', 'first', 'all', 'one', 'many', 'any', 'pluck', 'sum',
  'avg', 'min', 'max', 'where', 'match', 'encode', 'decode', 'encrypt', 'decrypt', 'sign', 'digest', 'geocode', 'translate',
  'summarize', 'analyze', 'transform', 'convert', 'build', 'make', 'generate', 'can', 'should',
]);
const writeVerbs = new Set([
  'save', 'update', 'insert', 'delete', 'del', 'write', 'send', 'set', 'create', 'remove', 'publish', 'emit', 'put',
  'post', 'patch', 'upsert', 'add', 'push', 'enqueue', 'dequeue', 'append', 'store', 'persist', 'notify', 'dispatch',
  'register', 'unregister', 'upload', 'move', 'copy', 'rename', 'clear', 'reset', 'destroy', 'drop', 'truncate',
  'increment', 'incr', 'decrement', 'decr', 'mark', 'assign', 'apply', 'submit', 'replace', 'merge', 'sync', 'flush',
  'track', 'log', 'record', 'ack', 'nack', 'archive', 'restore', 'invalidate', 'evict', 'purge', 'schedule',
  'trigger', 'unlink', 'mkdir', 'rm', 'cancel', 'approve', 'reject', 'complete', 'finish', 'process', 'handle', 'run',
  'exec', 'execute', 'invoke', 'call', 'pop', 'shift', 'unshift', 'splice', 'claim', 'consume', 'deliver', 'charge',
  'refund', 'pay', 'transfer', 'deploy', 'install', 'uninstall', 'import', 'export', 'seed', 'mutate', 'edit',
  'modify', 'change', 'toggle', 'enable', 'disable', 'activate', 'deactivate', 'revoke', 'grant', 'invite', 'reply',
  'respond', 'redirect', 'output', 'print', 'save', 'cache', 'memoize', 'refresh', 'reload', 'rebuild', 'compile',
  'bundle', 'emit', 'broadcast', 'signal', 'kill', 'spawn', 'fork', 'attach', 'detach', 'bind', 'unbind', 'subscribe',
  'unsubscribe', 'follow', 'unfollow', 'like', 'unlike', 'vote', 'book', 'reserve', 'order', 'buy', 'sell', 'ensure',
  'tap', 'touch', 'fill', 'inc', 'dec', 'incrby', 'expire', 'lpush', 'rpush', 'sadd', 'zadd', 'hset', 'hdel', 'setex', 'mset',
]);
const barrierVerbs = new Set([
  'sleep', 'delay', 'wait', 'pause', 'timeout', 'lock', 'unlock', 'acquire', 'release', 'begin', 'commit',
  'rollback', 'transaction', 'listen', 'connect', 'disconnect', 'reconnect', 'open', 'close', 'init', 'initialize',
  'setup', 'start', 'stop', 'restart', 'login', 'logout', 'signin', 'signout', 'authenticate', 'auth', 'migrate',
  'drain', 'shutdown', 'ready', 'throttle', 'yield', 'tick', 'nexttick', 'settle', 'idle', 'boot', 'bootstrap',
  'mount', 'unmount', 'teardown', 'dispose', 'end', 'terminate', 'exit', 'quit', 'serialize', 'mutex', 'semaphore',
  'runexclusive', 'withlock', 'waitfor', 'waituntil', 'until', 'retry', 'backoff', 'poll', 'prompt', 'confirm', 'ask',
]);

/** Browser-automation and UI verbs order by nature (`page.click` then `page.fill`); `select` there is no query. */
const uiBarrier = new Set(['click', 'type', 'press', 'goto', 'navigate', 'focus', 'hover', 'fill', 'screenshot', 'evaluate', 'select']);

/** The leading verb of a camelCase, snake_case or `$`-prefixed name, lower-cased: `findMany` gives `find`. */
export function leadingVerb(name: string): string {
  const bare = name.replace(/^[$_#]+/u, '');
  const match = /^[a-z]+|^[A-Z][a-z]*|^[A-Z]+(?![a-z])/u.exec(bare);
  return (match?.[0] ?? bare).toLowerCase();
}

/** Later words that make a whole name a write: `getOrCreateUser`, `checkProcessedAndRecord`, `findAndModify`. */
const compoundWrites = new Set([
  'create', 'save', 'update', 'insert', 'delete', 'remove', 'record', 'store', 'write', 'set', 'upsert', 'modify',
  'mark', 'increment', 'decrement', 'push', 'send', 'publish', 'emit', 'consume', 'claim', 'persist', 'replace',
  'reset', 'clear', 'register', 'track', 'commit', 'lock', 'acquire', 'refresh', 'sync', 'init', 'ensure',
]);

function wordsOf(name: string): string[] {
  return name.replace(/^[$_#]+/u, '').split(/(?=[A-Z])|[_\-\s]+/u).map((w) => w.toLowerCase()).filter(Boolean);
}

const conjunctions = new Set(['or', 'and', 'then']);
/** Words that order whatever verb comes first: `getLock`, `fetchAndAcquire`. */
const alwaysOrdering = new Set(['lock', 'acquire', 'commit']);

/**
 * A later write word makes the whole name a write when it is a second action (`getOrCreateUser`, `findAndModify`,
 * `checkProcessedAndRecord`) or follows a verb that is not a read. After a read verb with no conjunction it is only a
 * noun (`getCreateSchemaSQL`, `getRefreshToken`, `fetchUpdateInfo`): the name reads.
 */
function compoundWrite(name: string, verb: string): boolean {
  const words = wordsOf(name);
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (!compoundWrites.has(word)) continue;
    if (!readVerbs.has(verb) || alwaysOrdering.has(word) || words.slice(1, i).some((w) => conjunctions.has(w))) return true;
  }
  return false;
}

export function effectsFromName(name: string, label: string, isMethodOfUi: boolean): Effect[] {
  const whole = name.replace(/^[$_#]+/u, '').toLowerCase();
  const verb = leadingVerb(name);
  if (compoundWrite(name, verb) && !barrierVerbs.has(verb)) {
    return [{ kind: 'write', resource: '*', reason: `\`${label}\` writes, by its name`, guessed: true }];
  }
  if (isMethodOfUi && (uiBarrier.has(whole) || uiBarrier.has(verb))) {
    return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` drives a user interface step by step`, guessed: true }];
  }
  if (barrierVerbs.has(whole) || barrierVerbs.has(verb)) {
    const timer = timerNames.has(whole) || verb === 'sleep' || verb === 'delay';
    return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` ${barrierReason(verb)}`, guessed: true, ...(timer ? { timer } : {}) }];
  }
  if (writeVerbs.has(whole) || writeVerbs.has(verb)) {
    return [{ kind: 'write', resource: '*', reason: `\`${label}\` writes, by its name`, guessed: true }];
  }
  if (readVerbs.has(whole) || readVerbs.has(verb)) {
    return [{ kind: 'read', resource: `name:${label}`, reason: `\`${label}\` reads, by its name`, guessed: true }];
  }
  return [{ kind: 'unknown', resource: '*', reason: `\`${label}\` is not an API we know`, guessed: true }];
}

/** Names that by convention wait on a timer and nothing else: `await sleep(100)`, `await delay(ms)`. */
const timerNames = new Set(['sleep', 'delay', 'wait', 'pause', 'timeout', 'waitms', 'sleepms', 'delayms']);

function barrierReason(verb: string): string {
  if (['sleep', 'delay', 'wait', 'pause', 'timeout', 'throttle', 'backoff', 'poll', 'retry'].includes(verb)) return 'waits on purpose';
  if (['lock', 'unlock', 'acquire', 'release', 'mutex', 'semaphore'].includes(verb)) return 'takes or releases a lock';
  if (['begin', 'commit', 'rollback', 'transaction'].includes(verb)) return 'controls a transaction';
  if (['ask', 'prompt', 'confirm'].includes(verb)) return 'asks the user, in order';
  return 'changes what later calls see (connection, session or lifecycle)';
}

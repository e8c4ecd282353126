/**
 * What an awaited operation does to the world outside the function, as far as ordering is concerned.
 * - `read`: observes a resource; two reads of anything may overlap.
 * - `write`: changes a resource; it stays ordered against every later read or write of the same resource.
 * - `barrier`: must keep its place whatever the other operation is (a deliberate delay, a lock, a transaction
 *   statement, a server starting to listen).
 * - `unknown`: we could not tell; overlapping it with anything is at most a medium-confidence suggestion.
 * - `none`: no outside effect (pure computation that happens to return a promise).
 */
export type EffectKind = 'none' | 'read' | 'write' | 'unknown' | 'barrier';

/**
 * The resource an effect touches, as precisely as it can be named: `fs:/tmp/out.json`, `fs:*`, `http:GET`,
 * `sql:users`, `kv:cache`, `receiver:this.db`. Two effects conflict only when their resources may be the same;
 * `*` suffixes and unknown resources are treated as "may be the same as anything of that family".
 */
export interface Effect {
  readonly kind: EffectKind;
  readonly resource: string;
  /** Why we think so, in a few words for the message: "`fs.readFile` reads a file". */
  readonly reason: string;
  /** True when the kind rests on a name convention (`getUser` reads) rather than a known API: lowers confidence. */
  readonly guessed?: boolean;
  /**
   * A timer (`sleep(ms)`, `setTimeout` in a promise). Awaited directly it is a `barrier` (a deliberate wait, a
   * throttle); inside a called function's summary it is latency only, kind `none`: the call takes longer but orders
   * nothing.
   */
  readonly timer?: boolean;
  /**
   * The local objects the resource is reached through (`repo` in `writeFile(join(repo.path, 'x'))` and in
   * `status(repo)`): two effects reached through the same object may touch the same resource whatever their families.
   * Names are those of the awaiting function's scope; summaries drop them.
   */
  readonly via?: readonly string[];
  /**
   * A child process whose command line is a parameter (`exec(command)` inside `runCommand(command)`): `owner` is
   * the function the parameter belongs to, `index` its position. A call of that function decides with its argument
   * (`runCommand('npm info x version')` only queries); until then the effect is a barrier.
   */
  readonly commandParameter?: { readonly owner: object; readonly index: number };
  /** A child process that only queries: its program and subcommand (`git rev-parse`, `npm info`). */
  readonly command?: string;
  /** The call hands back a handle the caller must close (`open`, `opendir`): started and left unused, it leaks. */
  readonly opensHandle?: boolean;
}

/** What a function does when called, summarised for callers in other files (the CLI resolves imports). */
export interface EffectSummary {
  readonly effects: readonly Effect[];
  /** The function only waits on a timer (`export const sleep = (ms) => new Promise(…)`): awaited, a deliberate wait. */
  readonly waitsOnly?: boolean;
}

/**
 * Looks through imports to the declarations they name. Given only inside the CLI, which holds the whole project;
 * inside ESLint each file stands alone and imported callees stay `unknown` unless their names tell.
 */
export interface CalleeResolver {
  /**
   * The effects of calling the function exported as `importedName` (`default` for default exports) by the
   * module `source` as imported from `fromFile`; `undefined` when it cannot be resolved to analysable source.
   */
  resolveImport(fromFile: string, source: string, importedName: string): EffectSummary | undefined;
  /**
   * The package member a project module hands on as `importedName` (`module.exports = require('fs-extra')`,
   * `exports.copySync = fse.copySync`, `export * from 'fs-extra'`), followed through further project modules;
   * `undefined` when the export is not another module's member or cannot be resolved.
   */
  resolveReexport?(fromFile: string, source: string, importedName: string): ReexportedMember | undefined;
}

/** A member of a package reached through a project module that re-exports it. */
export interface ReexportedMember {
  /** The package, `node:` dropped: `fs-extra`, `fs`. */
  readonly module: string;
  /** The specifier as the re-exporting module wrote it. */
  readonly source: string;
  /** Members below the module: `['copySync']`, `['promises', 'readFile']`. */
  readonly path: readonly string[];
}

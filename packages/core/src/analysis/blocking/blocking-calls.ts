import type { Confidence } from '../../model/confidence.js';
import type { ModuleMember } from '../import-bindings.js';

/** What kind of wait a synchronous call makes the whole process sit through. */
export type BlockingKind = 'file-system' | 'child-process' | 'cpu' | 'atomics';

export interface BlockingApi {
  readonly kind: BlockingKind;
  /** How people write it: `fs.readFileSync`, `zlib.gzipSync`. */
  readonly display: string;
  /** For CPU work: what it computes, "derives a key with PBKDF2". */
  readonly work: string;
  /** The sentence the message offers instead. */
  readonly alternative: string;
  /** How sure we are that it blocks for long enough to matter, and why when not sure. */
  readonly confidence: Confidence;
  readonly confidenceReason?: string;
  /**
   * A mechanical asynchronous replacement: the same arguments, the same result once awaited. `fsPromises` is the
   * name in `fs.promises`; `sameModule` is a promise-returning name on the same module object (fs-extra, bcrypt).
   */
  readonly rewrite?: { readonly style: 'fsPromises' | 'sameModule'; readonly name: string };
}

/** fs sync calls whose `fs.promises` counterpart takes the same arguments and resolves to the same value. */
const fsPromisesEquivalent: ReadonlySet<string> = new Set([
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp',
  'opendir', 'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink',
  'truncate', 'unlink', 'utimes', 'writeFile',
]);

/**
 * Metadata calls: one system call, usually microseconds on a local disk. Still blocking (seconds on NFS or a
 * stalled disk), but a lone `existsSync` costs far less than reading a file, hence medium confidence.
 */
const fsMetadata: ReadonlySet<string> = new Set(['existsSync', 'accessSync', 'statSync', 'lstatSync', 'fstatSync', 'realpathSync']);

/** Modules that are `fs` with more on top: every `*Sync` of theirs is synchronous file-system work. */
const fsLikeModules: ReadonlySet<string> = new Set(['fs', 'graceful-fs', 'fs-extra', 'original-fs']);

const zlibWork: Readonly<Record<string, string>> = {
  gzipSync: 'compresses with gzip', gunzipSync: 'decompresses gzip', deflateSync: 'compresses with deflate',
  inflateSync: 'decompresses deflate', deflateRawSync: 'compresses with raw deflate', inflateRawSync: 'decompresses raw deflate',
  unzipSync: 'decompresses', brotliCompressSync: 'compresses with Brotli', brotliDecompressSync: 'decompresses Brotli',
  zstdCompressSync: 'compresses with Zstandard', zstdDecompressSync: 'decompresses Zstandard',
};

/**
 * crypto calls that are slow by design or by nature. Hashing (`createHash`, `hash`, HMAC) and small random draws
 * are not here: they run at memory speed (SHA-256 hashes a megabyte in about a millisecond), so flagging them would
 * be noise; the slow part of "hashing a big input" is reading it, which the fs entries already catch.
 */
const cryptoWork: Readonly<Record<string, { work: string; asyncName: string; confidence: Confidence; reason?: string }>> = {
  pbkdf2Sync: { work: 'derives a key with PBKDF2 (deliberately slow: thousands of hash rounds)', asyncName: 'pbkdf2', confidence: 'high' },
  scryptSync: { work: 'derives a key with scrypt (deliberately slow and memory-hard)', asyncName: 'scrypt', confidence: 'high' },
  generateKeyPairSync: { work: 'generates a key pair (RSA generation takes tens to hundreds of milliseconds)', asyncName: 'generateKeyPair', confidence: 'high' },
  generateKeySync: { work: 'generates a key', asyncName: 'generateKey', confidence: 'medium', reason: 'symmetric key generation is usually fast' },
  generatePrimeSync: { work: 'searches for a prime', asyncName: 'generatePrime', confidence: 'high' },
  checkPrimeSync: { work: 'tests a number for primality', asyncName: 'checkPrime', confidence: 'medium', reason: 'fast for small candidates' },
};

/** bcrypt's synchronous hashing: the password-hashing cost factor makes each call take tens of milliseconds. */
const bcryptWork: Readonly<Record<string, { work: string; asyncName: string }>> = {
  hashSync: { work: 'hashes a password with bcrypt (deliberately slow)', asyncName: 'hash' },
  compareSync: { work: 'checks a password against a bcrypt hash (deliberately slow)', asyncName: 'compare' },
};

const childProcessSync: ReadonlySet<string> = new Set(['execSync', 'execFileSync', 'spawnSync']);

/**
 * The blocking API a resolved module member names, or `undefined` when it does not block (or is not a call we
 * know). Only members resolved through an import or `require` reach here, never bare names.
 */
/**
 * Every blocking API above is named `…Sync` or `sync`: a cheap test that spares the cross-file resolver (and the
 * TypeScript it loads) for calls that cannot be one.
 */
export function mayNameBlockingApi(path: readonly string[]): boolean {
  return path.some((name) => name === 'sync' || name.endsWith('Sync'));
}

export function blockingApiFor(member: ModuleMember): BlockingApi | undefined {
  const { module, path } = member;
  const name = path[0];
  if (name === undefined) return undefined;
  if (fsLikeModules.has(module)) return fileSystemApi(module, path);
  if (path.length !== 1) return undefined;
  if (module === 'child_process' && childProcessSync.has(name)) {
    return {
      kind: 'child-process',
      display: `child_process.${name}`,
      work: 'runs a child process',
      alternative: `Use the asynchronous \`${name.replace(/Sync$/u, '')}\` (with \`util.promisify\` for \`exec\`/\`execFile\`), which lets other requests run while the process works.`,
      confidence: 'high',
    };
  }
  if (module === 'zlib' && zlibWork[name]) {
    const asyncName = name.replace(/Sync$/u, '');
    return {
      kind: 'cpu',
      display: `zlib.${name}`,
      work: zlibWork[name]!,
      alternative: `Use \`await promisify(zlib.${asyncName})(...)\` (it runs on libuv's thread pool) or a stream.`,
      confidence: 'high',
    };
  }
  if (module === 'crypto' && cryptoWork[name]) {
    const entry = cryptoWork[name]!;
    return {
      kind: 'cpu',
      display: `crypto.${name}`,
      work: entry.work,
      alternative: `Use \`await promisify(crypto.${entry.asyncName})(...)\`, which runs on libuv's thread pool.`,
      confidence: entry.confidence,
      ...(entry.reason ? { confidenceReason: entry.reason } : {}),
    };
  }
  if ((module === 'bcrypt' || module === 'bcryptjs') && bcryptWork[name]) {
    const entry = bcryptWork[name]!;
    return {
      kind: 'cpu',
      display: `${module}.${name}`,
      work: entry.work,
      alternative: `Use \`await ${module}.${entry.asyncName}(...)\`, which does not hold the event loop for the whole computation.`,
      confidence: 'high',
      rewrite: { style: 'sameModule', name: entry.asyncName },
    };
  }
  if ((module === 'execa' && (name === 'execaSync' || name === 'execaCommandSync' || name === 'sync' || name === 'commandSync'))
    || (module === 'cross-spawn' && name === 'sync')) {
    return {
      kind: 'child-process',
      display: `${module}.${name}`,
      work: 'runs a child process',
      alternative: `Use the promise-returning form of \`${module}\`.`,
      confidence: 'high',
    };
  }
  if ((module === 'glob' || module === 'fast-glob' || module === 'tinyglobby') && (name === 'sync' || name === 'globSync')) {
    return {
      kind: 'file-system',
      display: `${module}.${name}`,
      work: 'walks directories',
      alternative: `Use the promise-returning \`glob\` of \`${module}\`.`,
      confidence: 'high',
    };
  }
  return undefined;
}

function fileSystemApi(module: string, path: readonly string[]): BlockingApi | undefined {
  const [name, extra] = path;
  if (name === undefined || !name.endsWith('Sync')) return undefined;
  // `realpathSync.native` is the one nested sync function fs has.
  if (extra !== undefined && !(name === 'realpathSync' && extra === 'native' && path.length === 2)) return undefined;
  const display = `${module === 'fs' ? 'fs' : module}.${name}${extra ? `.${extra}` : ''}`;
  const asyncName = name.slice(0, -'Sync'.length);
  const metadata = fsMetadata.has(name);
  const confidence: Confidence = metadata ? 'medium' : 'high';
  const confidenceReason = metadata ? 'a single metadata call, usually fast on a local disk' : undefined;
  const base = { kind: 'file-system' as const, display, work: 'does file-system I/O', confidence, ...(confidenceReason ? { confidenceReason } : {}) };
  if (name === 'existsSync') {
    return { ...base, alternative: 'Use `await fs.promises.access(path)` in a try/catch, or attempt the operation and handle `ENOENT`.' };
  }
  if (module === 'fs-extra' && extra === undefined) {
    return { ...base, alternative: `Use fs-extra's promise-returning \`${asyncName}\` with \`await\`.`, rewrite: { style: 'sameModule', name: asyncName } };
  }
  if ((module === 'fs' || module === 'graceful-fs') && extra === undefined && fsPromisesEquivalent.has(asyncName)) {
    return { ...base, alternative: `Use \`await fs.promises.${asyncName}(...)\` (or \`${asyncName}\` from 'node:fs/promises').`, rewrite: { style: 'fsPromises', name: asyncName } };
  }
  return { ...base, alternative: 'Use the asynchronous `fs.promises` API (a `FileHandle` for descriptor-based calls).' };
}

/**
 * `/proc/...` and `/sys/...` are files the kernel makes up on read (`/proc/version`, `/proc/self/cgroup`,
 * `/sys/fs/cgroup/cpu.max`): reading one is a system call answered from memory, never a wait for a disk.
 */
export function isKernelVirtualFile(path: string | undefined): boolean {
  return path !== undefined && /^\/(?:proc|sys)\//u.test(path);
}


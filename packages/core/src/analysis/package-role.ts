import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What kind of program a file belongs to, from its nearest package.json. Whether a blocking call starves anyone
 * depends on whether other work is in flight when it runs, and where a file alone cannot tell, the package can:
 * - `server`: depends on an HTTP, WebSocket or job-queue server framework, or is a private application (an app
 *   is deployed and runs, a library is published): code in it may run while requests are in flight; a published
 *   package with a `bin` counts only through a job-queue framework (a worker);
 * - `tool`: a published package with a `bin` and no job-queue dependency: a command-line tool runs one command per
 *   process, so code with no other evidence runs once per invocation. An HTTP framework in a tool serves its dev or
 *   emulator server (`firebase emulators:start`, `netlify dev`): the handlers of that server are found by their own
 *   evidence (routes, `createServer`), and the commands around it still run once;
 * - `library`: any other published package: its callers are unknown to us;
 * - `unknown`: no package.json found, or the file is not on disk (ESLint on stdin, virtual files).
 */
export type PackageRole = 'server' | 'tool' | 'library' | 'unknown';

export interface PackageManifest {
  readonly private?: unknown;
  readonly bin?: unknown;
  readonly dependencies?: unknown;
  readonly peerDependencies?: unknown;
  readonly optionalDependencies?: unknown;
}

/** Frameworks whose presence means the package serves requests or jobs as they arrive. */
const serverFrameworks: ReadonlySet<string> = new Set([
  'express', 'koa', '@koa/router', 'koa-router', 'fastify', 'fastify-plugin', '@hapi/hapi', 'hapi', 'restify',
  '@nestjs/core', 'polka', 'connect', 'hono', 'h3', 'micro', 'socket.io', '@trpc/server', 'apollo-server',
  '@apollo/server', 'graphql-yoga', 'bullmq', 'bull', 'bee-queue', 'amqplib', 'kafkajs', 'next', '@remix-run/node',
]);

/** Job-queue frameworks: a package with one of these and a `bin` is a worker that processes jobs as they arrive. */
const jobFrameworks: ReadonlySet<string> = new Set(['bullmq', 'bull', 'bee-queue', 'amqplib', 'kafkajs']);

export function packageRoleOf(manifest: PackageManifest): Exclude<PackageRole, 'unknown'> {
  const dependencyNames = [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies]
    .flatMap((group) => (group !== null && typeof group === 'object' ? Object.keys(group) : []));
  const hasBin = typeof manifest.bin === 'string'
    || (manifest.bin !== null && typeof manifest.bin === 'object' && Object.keys(manifest.bin).length > 0);
  if (hasBin && manifest.private !== true && !dependencyNames.some((name) => jobFrameworks.has(name))) return 'tool';
  if (dependencyNames.some((name) => serverFrameworks.has(name))) return 'server';
  if (hasBin) return 'tool';
  return manifest.private === true ? 'server' : 'library';
}

/**
 * The role of the package a file on disk belongs to: the first package.json found walking up from the file's
 * folder (one read per call; the check asks only for files that have a candidate call). A manifest that does not
 * parse, or a file that is not on disk, gives `unknown`.
 */
export function packageRoleOfFile(filename: string): PackageRole {
  if (!filename.startsWith('/') && !/^[A-Za-z]:[\\/]/u.test(filename)) return 'unknown';
  if (!existsSync(filename)) return 'unknown';
  for (let folder = dirname(filename); ; folder = dirname(folder)) {
    const manifestPath = join(folder, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = readManifest(manifestPath);
      if (manifest === undefined) return 'unknown';
      // `{ "type": "commonjs" }` in dist/cjs/ only marks the module format; the package is further up.
      if (isPackageManifest(manifest)) return packageRoleOf(manifest);
    }
    if (dirname(folder) === folder) return 'unknown';
  }
}

function readManifest(path: string): (PackageManifest & { readonly name?: unknown }) | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return manifest !== null && typeof manifest === 'object' ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function isPackageManifest(manifest: PackageManifest & { readonly name?: unknown }): boolean {
  return manifest.name !== undefined || manifest.dependencies !== undefined || manifest.bin !== undefined || manifest.private !== undefined;
}

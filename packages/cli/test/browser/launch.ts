import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The one place browser tests get a browser, with nothing installed by hand or by apt: `CHROME_PATH` when set,
 * else a system Chromium when there is one, else the Chromium that `@sparticuz/chromium` ships inside its npm
 * package (unpacked into the temp folder on first use).
 */
export type BrowserSource =
  | { readonly kind: 'env'; readonly executablePath: string }
  | { readonly kind: 'system'; readonly executablePath: string }
  | { readonly kind: 'bundled' };

export const systemChromiumPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags for a system or user-named browser; the bundled one brings its own (`chromium.args`). */
const systemArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which browser to use. `OVERLAP_TEST_BROWSER=bundled` skips `CHROME_PATH` and the system browser, to prove that a
 * machine without one still runs the tests.
 */
export function chooseBrowser(env: NodeJS.ProcessEnv = process.env, executable: (path: string) => boolean = isExecutable): BrowserSource {
  if (env.OVERLAP_TEST_BROWSER === 'bundled') return { kind: 'bundled' };
  const named = env.CHROME_PATH;
  if (named) {
    if (!executable(named)) throw new Error(`CHROME_PATH names ${named}, which is not an executable file`);
    return { kind: 'env', executablePath: named };
  }
  const system = systemChromiumPaths.find((path) => executable(path));
  return system === undefined ? { kind: 'bundled' } : { kind: 'system', executablePath: system };
}

export async function launchBrowser(source: BrowserSource = chooseBrowser()): Promise<Browser> {
  if (source.kind !== 'bundled') return chromium.launch({ executablePath: source.executablePath, args: systemArgs });
  const { default: bundled } = await import('@sparticuz/chromium');
  return chromium.launch({ executablePath: await bundled.executablePath(), args: bundled.args });
}

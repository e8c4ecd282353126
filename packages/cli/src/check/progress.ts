import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { CliIO } from '../command.js';
import { RemainingEstimate, formatRemaining } from './estimate.js';
import { useProgress } from './terminal.js';

export interface Progress {
  readonly update: (done: number) => void;
  /** Runs `write` (output for the terminal) with the bar cleared first and drawn again below what it wrote. */
  readonly above: (write: () => void) => void;
  readonly stop: () => void;
}

/** A bar on stderr for long runs at a terminal; a no-op everywhere else. */
export function startProgress(io: CliIO, enabled: boolean, total: number): Progress {
  if (!useProgress(io, enabled, total)) return { update: () => {}, above: (write) => write(), stop: () => {} };
  // Loaded only when a bar is drawn: runs in CI, in a pipe or on few files never pay for it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, format: 'overlap {bar} {value}/{total} files · {remaining}', hideCursor: true, clearOnComplete: true, forceRedraw: true },
    cliProgress.Presets.shades_classic,
  );
  // Our own estimate: cli-progress's shows a figure before it has data and jumps back up on a slow stretch.
  const estimate = new RemainingEstimate(total, performance.now());
  bar.start(total, 0, { remaining: formatRemaining(undefined) });
  const above = (write: () => void) => {
    // Carriage return and erase-line (ECMA-48 EL): the bar's line is blank when the findings start on it.
    io.stderr.write('\r\u001b[2K');
    write();
    bar.render();
  };
  return {
    update: (done) => bar.update(done, { remaining: formatRemaining(estimate.update(done, performance.now())) }),
    above,
    stop: () => bar.stop(),
  };
}

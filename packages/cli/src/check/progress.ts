import cliProgress from 'cli-progress';
import type { CliIO } from '../command.js';
import { RemainingEstimate, formatRemaining } from './estimate.js';
import { useProgress } from './terminal.js';

export interface Progress {
  readonly update: (done: number) => void;
  readonly stop: () => void;
}

/** A bar on stderr for long runs at a terminal; a no-op everywhere else. */
export function startProgress(io: CliIO, enabled: boolean, total: number): Progress {
  if (!useProgress(io, enabled, total)) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, format: 'overlap {bar} {value}/{total} files · {remaining}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  // Our own estimate: cli-progress's shows a figure before it has data and jumps back up on a slow stretch.
  const estimate = new RemainingEstimate(total, performance.now());
  bar.start(total, 0, { remaining: formatRemaining(undefined) });
  return { update: (done) => bar.update(done, { remaining: formatRemaining(estimate.update(done, performance.now())) }), stop: () => bar.stop() };
}

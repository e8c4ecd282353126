import cliProgress from 'cli-progress';
import type { CliIO } from '../command.js';
import { useProgress } from './terminal.js';

export interface Progress {
  readonly update: (done: number) => void;
  readonly stop: () => void;
}

/** A bar on stderr for long runs at a terminal; a no-op everywhere else. */
export function startProgress(io: CliIO, enabled: boolean, total: number): Progress {
  if (!useProgress(io, enabled, total)) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, format: 'overlap {bar} {value}/{total} files · {eta_formatted} left', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/**
 * The "time left" of the progress bar. It shows nothing until it has data (some files done and some time passed:
 * the first files include start-up costs and say little about the rate), and once shown it only counts down: a
 * slower stretch holds the figure rather than making it jump back up.
 */
export class RemainingEstimate {
  readonly #total: number;
  readonly #started: number;
  #last: number | undefined;

  constructor(total: number, started: number) {
    this.#total = total;
    this.#started = started;
  }

  /** Seconds left after `done` files at time `now` (ms), or undefined while there is too little data. */
  update(done: number, now: number): number | undefined {
    const elapsed = now - this.#started;
    if (done < Math.min(3, this.#total) || elapsed < 500) return undefined;
    if (done >= this.#total) return (this.#last = 0);
    const fresh = ((this.#total - done) * elapsed) / done / 1000;
    this.#last = this.#last === undefined ? fresh : Math.min(this.#last, fresh);
    return this.#last;
  }
}

export function formatRemaining(seconds: number | undefined): string {
  if (seconds === undefined) return 'estimating…';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s left`;
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s left`;
}

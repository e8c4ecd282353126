/**
 * Requests under a closed-loop load: `connections` clients, each sending its next request as soon as its last one
 * was answered (autocannon, a connection pool, users who wait for the page). A server's event loop is then one
 * queueing centre and everything a request waits on that is not the loop (timers, sockets, the client's own time)
 * a delay centre. Exact mean value analysis (MVA) of that network gives throughput and latency for any number of
 * clients; Little's law (clients = throughput x cycle time) ties it to the trace.
 *
 * Why not replay the recorded arrivals: under a closed loop, a request that ends sooner is followed sooner by the
 * next one from the same client. When the loop is saturated, the time a rewrite takes out of a request's own waits
 * comes back as queueing behind the requests that now arrive sooner, and latency stays `clients x CPU per request`.
 */

/** The load a trace was recorded under, as `overlap audit --load` knows it. */
export interface ClosedLoad {
  readonly connections: number;
  /**
   * Event-loop utilisation while the load ran (0..1), from `performance.eventLoopUtilization()` in the program: it
   * counts CPU the tracer does not see (HTTP parsing, framework code). Without it, traced CPU over wall time.
   */
  readonly utilisation?: number;
}

/** Throughput (requests per ms) of `clients` clients cycling through a queue of `demand` ms and a delay of `delay` ms. */
export function mvaThroughput(clients: number, demand: number, delay: number): number {
  let queue = 0;
  let throughput = 0;
  const n = Math.max(1, Math.round(clients));
  for (let k = 1; k <= n; k++) {
    const residence = demand * (1 + queue);
    throughput = k / (residence + delay);
    queue = throughput * residence;
  }
  return throughput;
}

/** The delay (ms) that makes the network serve `throughput` requests per ms; 0 when the loop alone explains it. */
export function calibrateDelay(clients: number, demand: number, throughput: number): number {
  if (mvaThroughput(clients, demand, 0) <= throughput) return 0;
  let lo = 0;
  let hi = clients / throughput;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mvaThroughput(clients, demand, mid) > throughput) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface ClosedLoopInput {
  readonly clients: number;
  /** Requests per ms in the trace. */
  readonly throughput: number;
  /** Event-loop utilisation (0..1). */
  readonly utilisation: number;
  /** What the rewrite takes out of the mean request's own waits (ms), with the loop to itself. */
  readonly ownSavingMs: number;
}

export interface ClosedLoopOutcome {
  /** Mean latency saving per request (ms): the cycle time before minus after. */
  readonly savingMs: number;
  /** Event-loop time per request (ms) and the request's own waits (ms), as calibrated. */
  readonly demandMs: number;
  readonly delayMs: number;
  readonly beforePerSec: number;
  readonly afterPerSec: number;
}

/**
 * Per-request effect of shortening the requests' own waits by `ownSavingMs` at the same number of clients. The
 * CPU per request is the loop's utilisation over the throughput; the delay is calibrated so the model serves the
 * traced throughput; the rewrite shortens that delay, and the model gives the new cycle time.
 */
export function closedLoopSaving(input: ClosedLoopInput): ClosedLoopOutcome {
  const demand = Math.max(1e-6, input.utilisation) / input.throughput;
  const delay = calibrateDelay(input.clients, demand, input.throughput);
  const after = mvaThroughput(input.clients, demand, Math.max(0, delay - input.ownSavingMs));
  const before = mvaThroughput(input.clients, demand, delay);
  // Cycle times from the model on both sides, so the calibration's residue cancels.
  const savingMs = input.clients / before - input.clients / after;
  return { savingMs, demandMs: demand, delayMs: delay, beforePerSec: before * 1000, afterPerSec: after * 1000 };
}

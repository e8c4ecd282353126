import { describe, expect, it } from 'vitest';
import { calibrateDelay, closedLoopSaving, mvaThroughput } from '../src/index.js';

describe('mean value analysis of a closed loop: one event loop and a delay', () => {
  it('one client: throughput is one request per cycle of CPU plus delay', () => {
    expect(mvaThroughput(1, 2, 48)).toBeCloseTo(1 / 50, 10);
  });

  it('many clients: throughput tends to what the loop can serve (1 / CPU per request), never above it', () => {
    const x = mvaThroughput(100, 2, 20);
    expect(x).toBeLessThanOrEqual(0.5);
    expect(x).toBeGreaterThan(0.499);
  });

  it('below the knee throughput grows with clients as Little’s law says (clients / cycle)', () => {
    // 10 clients, 0.1 ms of CPU, 60 ms of waits: the loop is 1.7% busy, each cycle is about 60.1 ms.
    expect(mvaThroughput(10, 0.1, 60)).toBeCloseTo(10 / 60.1, 3);
  });

  it('the calibrated delay reproduces the throughput it was calibrated on', () => {
    const z = calibrateDelay(100, 2, 0.45);
    expect(mvaThroughput(100, 2, z)).toBeCloseTo(0.45, 6);
    expect(calibrateDelay(100, 2, 0.5)).toBe(0);
  });
});

describe('the per-request saving under a closed loop', () => {
  it('an idle loop: the request saves its own waits', () => {
    // 10 clients at 160 requests/s with the loop 2% busy: far from saturation.
    const out = closedLoopSaving({ clients: 10, throughput: 0.16, utilisation: 0.02, ownSavingMs: 30 });
    expect(out.savingMs).toBeGreaterThan(29);
    expect(out.savingMs).toBeLessThanOrEqual(30.01);
    expect(out.afterPerSec).toBeGreaterThan(out.beforePerSec * 1.8);
  });

  it('a saturated loop: shorter waits come back as queueing, latency and throughput stay', () => {
    // 100 clients at 450 requests/s with the loop 99% busy (2.2 ms of CPU per request): latency is clients x CPU.
    const out = closedLoopSaving({ clients: 100, throughput: 0.45, utilisation: 0.99, ownSavingMs: 12 });
    expect(out.savingMs).toBeGreaterThanOrEqual(0);
    expect(out.savingMs).toBeLessThan(2);
    expect(out.afterPerSec / out.beforePerSec).toBeLessThan(1.01);
  });

  it('near the knee: part of the own saving survives, less than all of it', () => {
    const out = closedLoopSaving({ clients: 100, throughput: 0.23, utilisation: 0.92, ownSavingMs: 12 });
    expect(out.savingMs).toBeGreaterThan(1);
    expect(out.savingMs).toBeLessThan(11);
  });
});

// autocannon ships no types: the part of its programmatic API that load.ts uses.
declare module 'autocannon' {
  interface AutocannonResult {
    readonly requests: { readonly total: number; readonly average: number };
    readonly latency: { readonly mean: number; readonly p50: number; readonly p99: number };
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    /** Seconds. */
    readonly duration: number;
  }
  function autocannon(options: { url: string; connections: number; duration: number }): Promise<AutocannonResult>;
  export default autocannon;
}

/** How big each benchmark is: the full run for the README, BENCH_SHORT=1 so CI can run it in well under a minute. */
export interface BenchSettings {
  short: boolean;
  turnRequests: number;
  turnWarmup: number;
  /** requests per interleaved block: bot and echo alternate so machine noise hits both alike */
  turnBlock: number;
  approveSamples: number;
  /** how long the simulated Events API takes to answer start */
  slowStartMs: number;
  idleMs: number;
  trackingMs: number;
  coldStarts: number;
  /** lease holders killed, one after another, for the takeover figure */
  takeovers: number;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const short = env.BENCH_SHORT === '1' || env.BENCH_SHORT === 'true';
  return short
    ? {
        short,
        turnRequests: 300,
        turnWarmup: 50,
        turnBlock: 50,
        approveSamples: 20,
        slowStartMs: 10_000,
        idleMs: 3_000,
        trackingMs: 10_000,
        coldStarts: 3,
        takeovers: 2,
      }
    : {
        short,
        turnRequests: 2_000,
        turnWarmup: 200,
        turnBlock: 100,
        approveSamples: 50,
        slowStartMs: 10_000,
        idleMs: 20_000,
        trackingMs: 120_000,
        coldStarts: 5,
        takeovers: 5,
      };
}

/**
 * Lets a child process report its own cost to the bench: on {type: 'sample'} it answers with its resident
 * memory and CPU time. Measured inside the process (process.resourceUsage), so nothing of the bench counts.
 */

export interface CostSample {
  /** performance.now() in the child */
  at: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** peak resident set since start */
  maxRssBytes: number;
  userCpuUs: number;
  systemCpuUs: number;
}

export function sampleCost(): CostSample {
  const usage = process.resourceUsage();
  const memory = process.memoryUsage();
  return {
    at: performance.now(),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    maxRssBytes: usage.maxRSS * 1024,
    userCpuUs: usage.userCPUTime,
    systemCpuUs: usage.systemCPUTime,
  };
}

export type ChildMessage =
  { type: 'ready'; port: number } | { type: 'sample'; sample: CostSample } | { type: 'failed'; message: string };

/** In a forked child: announce readiness, then answer sample requests until the parent disconnects. */
export function reportToParent(port: number): void {
  const send = process.send?.bind(process);
  if (!send) return;
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'sample') send({ type: 'sample', sample: sampleCost() } satisfies ChildMessage);
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port } satisfies ChildMessage);
}

export function reportFailure(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (process.send) process.send({ type: 'failed', message } satisfies ChildMessage);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

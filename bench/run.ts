import fs from 'node:fs';
import path from 'node:path';
import { approveLatency } from './approveLatency';
import { onPostgres } from './postgres';
import { RESULTS_DIR } from './benchEnv';
import { coldStart } from './coldStart';
import { dataverseEvidence } from './dataverseEvidence';
import { closeClientSockets } from './http';
import { machineInfo } from './machine';
import { resourceCost } from './resourceCost';
import type { BenchResult, Row } from './row';
import { benchSettings, type BenchSettings } from './settings';
import { queueGap } from './queueGap';
import { statusCalls } from './statusCalls';
import { formatTable } from './table';
import { leaseTakeover } from './leaseTakeover';
import { turnLatency } from './turnLatency';

/**
 * `npm run bench`: each figure of the bot beside a baseline measured in the same run, as a table on stdout and
 * JSON in bench/results/. A figure that misses its target is reported, never fatal: only a crash fails.
 */

const BENCHMARKS: Array<{ id: string; run: (s: BenchSettings) => Promise<BenchResult> }> = [
  { id: 'turnLatency', run: turnLatency },
  { id: 'approveLatency', run: approveLatency },
  { id: 'resourceCost', run: resourceCost },
  { id: 'coldStart', run: coldStart },
  { id: 'statusCalls', run: () => statusCalls() },
  { id: 'dataverseEvidence', run: dataverseEvidence },
  // the same turns on the store several replicas share (a throwaway local server; skipped, said so, without one)
  { id: 'turnLatencyPostgres', run: (s) => onPostgres((store) => turnLatency(s, store)) },
  { id: 'approveLatencyPostgres', run: (s) => onPostgres((store) => approveLatency(s, store)) },
  { id: 'leaseTakeover', run: (s) => onPostgres((store) => leaseTakeover(s, store)) },
  { id: 'queueGap', run: () => queueGap() },
];

async function main(): Promise<void> {
  const settings = benchSettings();
  const machine = machineInfo();
  const startedAt = new Date();
  process.stdout.write(
    `event-migration-bot bench${settings.short ? ' (BENCH_SHORT)' : ''}: ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}\n`,
  );
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const b of BENCHMARKS) {
    const t0 = performance.now();
    process.stdout.write(`  ${b.id}...`);
    const result = await b.run(settings);
    rows.push(...result.rows);
    details[b.id] = result.details;
    process.stdout.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  closeClientSockets();
  process.stdout.write(`\n${formatTable(rows)}\n`);
  const file = writeResults({ startedAt: startedAt.toISOString(), settings, machine, rows, details }, startedAt);
  const shown = path.relative(process.cwd(), file);
  process.stdout.write(`\nwritten to ${shown.startsWith('..') ? file : shown}\n`);
}

function writeResults(report: Record<string, unknown>, at: Date): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(
    RESULTS_DIR,
    `${at
      .toISOString()
      .replace(/:/g, '-')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  );
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`\nbench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

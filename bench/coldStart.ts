import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '../src/sim/simulator';
import { benchScript, BOT_ENTRY, botEnv, childEnv } from './benchEnv';
import { freePort, waitUntilReady } from './http';
import type { BenchResult } from './row';
import type { BenchSettings } from './settings';
import { median, round } from './stats';

/**
 * 4. Cold start: from spawning `node dist/src/index.js` until /readyz answers 200, against the echo bot's
 * process (alternating, a fresh database each time).
 */
export async function coldStart(s: BenchSettings): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-bench-cold-'));
  const sim = await startSimulator();
  const samples = { bot: [] as number[], echo: [] as number[] };
  try {
    for (let i = 0; i < s.coldStarts; i++) {
      samples.echo.push(await startOnce(benchScript('echoBot'), (port) => childEnv({ PORT: String(port) }), dir));
      samples.bot.push(
        await startOnce(
          BOT_ENTRY,
          (port) => botEnv(sim.url, path.join(dir, `bot-${i}.db`), { PORT: String(port) }),
          dir,
        ),
      );
    }
  } finally {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const bot = round(median(samples.bot), 0);
  const echo = round(median(samples.echo), 0);
  return {
    rows: [
      {
        benchmark: 'cold start (spawn -> /readyz)',
        measure: `median of ${s.coldStarts}`,
        unit: 'ms',
        bot,
        baseline: echo,
        baselineName: 'echo bot',
        target: '< 1500 ms',
        met: bot < 1500,
      },
    ],
    details: { samples: { bot: samples.bot.map((v) => round(v, 0)), echo: samples.echo.map((v) => round(v, 0)) } },
  };
}

/** Spawns `script` (cwd: a temp folder, so no developer .env is read) and times it until /readyz says 200. */
async function startOnce(script: string, env: (port: number) => NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [script], { env: env(port), cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const readyAt = await Promise.race([
      waitUntilReady(`http://127.0.0.1:${port}/readyz`, 20_000),
      exited.then((code) =>
        Promise.reject(new Error(`${path.basename(script)} exited (${code}) before it was ready: ${stderr.trim()}`)),
      ),
    ]);
    return readyAt - t0;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

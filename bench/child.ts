import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, CostSample } from './selfReport';

/** A forked bench child (botChild or echoBot) that reports its own cost over IPC. */
export interface ReportingChild {
  port: number;
  url: string;
  sample(): Promise<CostSample>;
  stop(): Promise<void>;
  /** SIGKILL: the process dies without letting go of anything it holds */
  kill(): Promise<void>;
}

export async function forkReporting(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<ReportingChild> {
  const child = fork(script, [], { env, cwd, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type === 'ready') resolve(m.port);
      if (m.type === 'failed') reject(new Error(`${script}: ${m.message}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready: ${stderr.trim()}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    sample: () => requestSample(child),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function requestSample(child: ChildProcess): Promise<CostSample> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== 'sample') return;
      child.off('message', onMessage);
      resolve(m.sample);
    };
    child.on('message', onMessage);
    if (!child.send({ type: 'sample' })) reject(new Error('the child is gone'));
  });
}

/** CPU used between two samples, as a percentage of one core. */
export function cpuPercent(from: CostSample, to: CostSample): number {
  const cpuUs = to.userCpuUs + to.systemCpuUs - from.userCpuUs - from.systemCpuUs;
  const wallUs = (to.at - from.at) * 1000;
  return wallUs > 0 ? (cpuUs / wallUs) * 100 : NaN;
}

export const megabytes = (bytes: number) => bytes / 2 ** 20;

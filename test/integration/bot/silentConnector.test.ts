import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../../src/sim/simulator';
import { ADA, BOT, CHANNEL, FROM_EVENT, startHarness, TENANT, THREAD, TO_EVENT } from '../../helpers/botHarness';

/**
 * A serviceUrl that accepts the connection and never answers: the request that carried the turn ends in
 * bounded time, and so does the process on SIGTERM.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HOOK = path.join(ROOT, 'test', 'helpers', 'tsRequireHook.js');
const ENTRY = path.join(ROOT, 'src', 'index.ts');

let silent: http.Server;
let silentUrl: string;
beforeAll(async () => {
  silent = http.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

const activity = (serviceUrl: string) => ({
  id: `act-silent-${Math.random()}`,
  type: 'message',
  channelId: 'msteams',
  serviceUrl,
  from: ADA,
  recipient: BOT,
  conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
  channelData: { tenant: { id: TENANT }, channel: { id: CHANNEL } },
  text: `<at>${BOT.name}</at> migrate ${FROM_EVENT} ${TO_EVENT}`,
});

const postTo = (url: string, body: unknown, limitMs: number) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(limitMs),
  });

it('the request ends in bounded time when the connector never answers', async () => {
  const h = await startHarness({ overrides: { adapter: { connectorTimeoutMs: 500 } } });
  try {
    const began = Date.now();
    const res = await postTo(h.url, activity(silentUrl), 8000);
    await res.text();
    // the reply times out, then the apology does: two connector timeouts and a little
    expect(Date.now() - began).toBeLessThan(3000);
    expect(h.logs()).toMatch(/did not answer a send within 500 ms/);
  } finally {
    await h.close();
  }
});

describe('SIGTERM with a turn stuck on a silent connector', () => {
  let dir: string;
  let sim: Simulator;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-silent-'));
    sim = await startSimulator({ speed: 1000, registrations: 10 });
  });
  afterAll(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the process exits within about 10 s', async () => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(EVENTS_API_|Microsoft|DATABASE_URL|PORT$|LOG_LEVEL)/.test(k)),
    );
    const child = spawn(process.execPath, ['-r', HOOK, ENTRY], {
      cwd: dir,
      env: {
        ...clean,
        PORT: '0',
        EVENTS_API_ENDPOINT: sim.url,
        EVENTS_API_TOKEN: 'dev-token',
        DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot did not start: ${stdout}`)), 20_000);
        child.stdout.on('data', () => {
          const found = /"port":(\d+)/.exec(stdout);
          if (found) {
            clearTimeout(timer);
            resolve(Number(found[1]));
          }
        });
      });
      const request = postTo(`http://127.0.0.1:${port}`, activity(silentUrl), 30_000).then(
        (res) => res.status,
        () => 'dropped',
      );
      await new Promise((r) => setTimeout(r, 500)); // the turn is now waiting on the silent connector
      const began = Date.now();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        exited,
        new Promise((r) => (timer = setTimeout(() => r('still running'), 15_000))),
      ]);
      clearTimeout(timer);
      expect(outcome).toBe(0);
      expect(Date.now() - began).toBeLessThan(15_000);
      expect(await request).toBeDefined();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BOT, BEN, CHANNEL, TENANT, THREAD, type InvokeBody, type TeamsUser } from '../../helpers/botHarness';

/** The bot in a child process that a test can SIGKILL, and Teams-shaped requests to it. */

const FIXTURE = path.join(__dirname, 'fixtures', 'botProcess.js');

export interface BotProcess {
  url: string;
  /** settles when the process has reconciled and resumed what the store held */
  resumed: Promise<void>;
  /** everything it logged */
  logs(): string;
  kill(): Promise<void>;
}

export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      EVENTS_API_TOKEN: 'dev-token',
      STATUS_POLL_INTERVAL_MS: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const look = () => {
        const found = out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((o) => key in o);
        if (found) resolve(found);
      };
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        look();
      });
      look();
      void exited.then(() => reject(new Error(`the bot process ended before "${key}": ${err.slice(-2000)}`)));
    });
  const listening = line('url');
  const resumed = line('resumed').then(() => undefined);
  resumed.catch(() => undefined);
  const { url } = await listening;
  return {
    url: url as string,
    resumed,
    logs: () => err,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      live.delete(child);
    },
  };
}

const live = new Set<ChildProcess>();

/** For afterEach: no child outlives its test. */
export async function killAll(): Promise<void> {
  for (const child of [...live]) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    live.delete(child);
  }
}

let seq = 0;

function activity(connectorUrl: string, from: TeamsUser) {
  return {
    id: `act-in-restart-${++seq}`,
    channelId: 'msteams',
    serviceUrl: connectorUrl,
    timestamp: new Date().toISOString(),
    from,
    recipient: BOT,
    conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } },
  };
}

async function post(bot: BotProcess, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function say(bot: BotProcess, connectorUrl: string, text: string, from: TeamsUser): Promise<{ status: number }> {
  return post(bot, {
    ...activity(connectorUrl, from),
    type: 'message',
    text: `<at>${BOT.name}</at> ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
  });
}

export function click(
  bot: BotProcess,
  connectorUrl: string,
  verb: string,
  data: Record<string, unknown>,
  replyToId: string,
  from: TeamsUser = BEN,
): Promise<{ status: number; body: InvokeBody }> {
  return post(bot, {
    ...activity(connectorUrl, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  }) as Promise<{ status: number; body: InvokeBody }>;
}

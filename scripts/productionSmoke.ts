/**
 * The production install's smoke test: `scripts/production-check.sh` runs it in a copy where
 * `npm prune --omit=dev` has removed every dev dependency. It starts the simulator and the bot as `npm start`
 * does (`node dist/src/index.js`, a temporary database), checks `/readyz`, a `help` and a `migrate` turn through
 * a fake Bot Connector, and a clean stop on SIGTERM. A dev-only package the bot reaches on any of those paths
 * makes a step fail. It imports only Node's own modules, so what fails is the bot, never this script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN = 'smoke-token';
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const CARD = 'application/vnd.microsoft.card.adaptive';
/** generous: a cold start on a busy 2-core machine takes a few seconds */
const WAIT_MS = 30_000;

interface Reply {
  conversationId: string;
  replyToId: string;
  activity: { text?: string; attachments?: Array<{ contentType?: string }> };
}

interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(script: string, env: Record<string, string>): Child {
  // Only what a service manager would pass: nothing from a developer's shell (MicrosoftAppId, LOG_LEVEL...).
  const proc = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => output, exited };
}

async function waitFor<T>(what: string, child: Child | undefined, probe: () => T | undefined | Promise<T | undefined>) {
  const deadline = Date.now() + WAIT_MS;
  let exited = false;
  void child?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    if (exited) throw new Error(`${what}: the process exited first`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${WAIT_MS / 1000} s`);
}

/** A Bot Connector on loopback: answers every send with an id, as the real one does, and keeps the replies. */
async function startConnector(): Promise<{ url: string; replies: Reply[]; close(): void }> {
  const replies: Reply[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities\/([^/?]+)/.exec(req.url ?? '');
      if (match && req.method === 'POST') {
        replies.push({
          conversationId: decodeURIComponent(match[1]),
          replyToId: decodeURIComponent(match[2]),
          activity: JSON.parse(body) as Reply['activity'],
        });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `smoke-${++counter}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, replies, close: () => server.close() };
}

async function request(url: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

function message(id: string, text: string, serviceUrl: string) {
  return {
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: '29:smoke-user', name: 'Smoke Test', aadObjectId: '00000000-0000-4000-8000-0000000000bb' },
    recipient: { id: '28:smoke-bot', name: 'Event migration' },
    conversation: { id: 'a:smoke-personal-chat', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    text,
  };
}

async function turn(botUrl: string, connector: Awaited<ReturnType<typeof startConnector>>, bot: Child, text: string) {
  const id = `smoke-${text.split(' ')[0]}-${Date.now()}`;
  const answer = await request(`${botUrl}/api/messages`, message(id, text, connector.url));
  if (answer.status >= 300) throw new Error(`"${text}": /api/messages answered ${answer.status} ${answer.text}`);
  return waitFor(`the reply to "${text}"`, bot, () => connector.replies.find((r) => r.replyToId === id));
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'event-migration-bot-smoke-'));
  const connector = await startConnector();
  const children: Child[] = [];
  const step = (what: string) => console.log(`production smoke: ${what}`);
  try {
    const sim = start('dist/src/sim/main.js', { SIM_PORT: '0', SIM_TOKEN: TOKEN });
    children.push(sim);
    const endpoint = await waitFor('the simulator', sim, () => /^EVENTS_API_ENDPOINT=(\S+)$/m.exec(sim.output())?.[1]);
    step(`simulator at ${endpoint}`);

    const bot = start('dist/src/index.js', {
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(tmp, 'bot.db')}`,
      EVENTS_API_ENDPOINT: endpoint,
      EVENTS_API_TOKEN: TOKEN,
      ALLOWED_TENANT_IDS: TENANT,
    });
    children.push(bot);
    const port = await waitFor('the bot listening', bot, () => {
      const whole = bot.output().split('\n').slice(0, -1); // a line still being written is not JSON yet
      const line = whole.find((l) => l.includes('"bot listening"'));
      return line ? (JSON.parse(line) as { port: number }).port : undefined;
    });
    const botUrl = `http://127.0.0.1:${port}`;

    const ready = await request(`${botUrl}/readyz`);
    if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status} ${ready.text}`);
    step(`/readyz ${ready.status} ${ready.text}`);

    const help = await turn(botUrl, connector, bot, 'help');
    for (const command of ['migrate', 'status', 'history', 'help'])
      if (!help.activity.text?.includes(command))
        throw new Error(`help does not name "${command}": ${help.activity.text}`);
    step('help answered with every command');

    const confirm = await turn(
      botUrl,
      connector,
      bot,
      'migrate 6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b 0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a',
    );
    if (!confirm.activity.attachments?.some((a) => a.contentType === CARD))
      throw new Error(`migrate did not answer with a card: ${JSON.stringify(confirm.activity).slice(0, 300)}`);
    step('migrate answered with the confirmation card');

    bot.proc.kill('SIGTERM');
    const stopped = await waitFor('the bot stopping on SIGTERM', undefined, () => exitOf(bot));
    if (stopped.code !== 0) throw new Error(`the bot exited with ${stopped.code ?? stopped.signal} on SIGTERM`);
    step('SIGTERM: the bot stopped with exit code 0');

    // Node prints "(node:<pid>) [DEP0111] DeprecationWarning: ..." and the like on stderr.
    for (const [name, child] of [
      ['bot', bot],
      ['simulator', sim],
    ] as const) {
      const warning = /^\(node:\d+\) .*Warning.*$/m.exec(child.output());
      if (warning) throw new Error(`the ${name} printed a runtime warning: ${warning[0]}`);
    }
  } catch (err) {
    for (const child of children)
      console.error(`--- output of ${child.proc.spawnargs.slice(1).join(' ')}:\n${child.output()}`);
    throw err;
  } finally {
    for (const child of children) if (child.proc.exitCode === null) child.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    connector.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('production smoke: passed');
}

/** the exit of a child once it has exited */
function exitOf(child: Child) {
  return child.proc.exitCode !== null || child.proc.signalCode !== null
    ? { code: child.proc.exitCode, signal: child.proc.signalCode }
    : undefined;
}

main().catch((err: unknown) => {
  console.error(`production smoke: FAILED: ${(err as Error).message}`);
  process.exitCode = 1;
});

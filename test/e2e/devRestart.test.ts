import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/playground';
import {
  ALL_TICKED,
  BEN,
  ADA,
  BOT,
  CHANNEL,
  TENANT,
  THREAD,
  cardText,
  contentOf,
  eventually,
  jobIdIn,
  type TeamsUser,
} from '../helpers/botHarness';
import { startFakeConnector, type FakeConnector } from '../helpers/fakeConnector';

/**
 * `npm run dev` stopped with Ctrl-C in the middle of a migration and started again continues that migration to
 * its review card (the simulated organisation kept its state beside the database); `--fresh` starts empty.
 * The real dev script in a child process; Teams-shaped requests go straight to its bot, whose answers reach a
 * fake Bot Connector (the Playground runs too, as dev starts it, but is not driven).
 */

const FIXTURE = path.join(__dirname, 'fixtures', 'devProcess.js');
const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';

interface Dev {
  botUrl: string;
  simUrl: string;
  output(): string;
  interrupt(): Promise<number | null>;
}

const live = new Set<ChildProcess>();

async function startDev(cwd: string, env: Record<string, string>, args: string[] = []): Promise<Dev> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(EVENTS_API_|DATAVERSE_|DATABASE_URL|AZURE_|Microsoft)/.test(k)),
  );
  const child = spawn(process.execPath, [FIXTURE, ...args], {
    cwd,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => live.delete(child));
  const banner = await Promise.race([
    eventually(() => /Bot: +(\S+)/.test(out) && /Events API simulator: +(\S+)/.test(out), 'the dev banner', 60_000),
    exited.then((code) => {
      throw new Error(`npm run dev ended (${code}) before its banner:\n${out.slice(-3000)}`);
    }),
  ]);
  void banner;
  return {
    botUrl: /Bot: +(\S+)/.exec(out)![1],
    simUrl: /Events API simulator: +(\S+)/.exec(out)![1],
    output: () => out,
    interrupt: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

let seq = 0;
function activity(connector: FakeConnector, from: TeamsUser, extra: Record<string, unknown>) {
  return {
    id: `act-dev-${++seq}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from,
    recipient: BOT,
    conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } },
    ...extra,
  };
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

const say = (dev: Dev, connector: FakeConnector, text: string) =>
  post(
    dev.botUrl,
    activity(connector, ADA, {
      type: 'message',
      text: `<at>${BOT.name}</at> ${text}`,
      entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
    }),
  );

async function simStatus(dev: Dev): Promise<Record<string, unknown>> {
  const res = await fetch(`${dev.simUrl}obmMigration/status?emApplicationtoken=dev-token`);
  return (await res.json()) as Record<string, unknown>;
}

describe('npm run dev across a stop', () => {
  let dir: string;
  let connector: FakeConnector;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-dev-'));
    connector = await startFakeConnector();
    env = {
      PORT: '0',
      // the same simulator address in both runs: the bot knows its environment by the endpoint
      SIM_PORT: String(await freePort()),
      PLAYGROUND_PORT: String(await freePort()),
      SIM_REGISTRATIONS: '300',
      SIM_SPEED: '40',
      STATUS_POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    };
  }, 30_000);
  afterAll(async () => {
    for (const child of live) child.kill('SIGKILL');
    await connector.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('continues the same migration to its review card after Ctrl-C; --fresh starts empty', async () => {
    let dev = await startDev(dir, env, ['--fresh']);
    expect(await say(dev, connector, `migrate ${FROM} ${TO}`)).toBe(200);
    const card = await eventually(() => connector.cards().find((c) => c.kind !== 'update'), 'the confirmation card');
    const jobId = jobIdIn(contentOf(card));
    // The simulated Dataverse answers the pre-flight checks; approve the card as filled in, as a person would.
    await eventually(
      () => connector.cards().some((c) => c.kind === 'update' && c.activityId === card.id),
      'the checks on the card',
    );
    const approve = activity(connector, BEN, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: card.id,
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'approve',
          data: {
            jobId,
            ...ALL_TICKED,
            overrideFailedChecks: 'true',
            overrideReason: 'the seeded journey is a known one',
          },
        },
        trigger: 'manual',
      },
    });
    expect(await post(dev.botUrl, approve)).toBe(200);
    await eventually(
      async () => Number((await simStatus(dev)).processed) > 0,
      'the migration to make progress',
      20_000,
    );

    expect(await dev.interrupt()).toBe(0);
    const stoppedAt = fs.readFileSync(path.join(dir, 'data', 'dev.sim.json'), 'utf8');
    expect(JSON.parse(stoppedAt).jobs).toHaveLength(1);

    dev = await startDev(dir, env);
    // The simulator still knows the job; the bot resumes it and follows it to the end.
    const reported = await simStatus(dev);
    expect(reported).toMatchObject({ fromEventId: FROM, toEventId: TO });
    await eventually(
      () =>
        connector
          .cards()
          .filter((c) => c.kind === 'update' && c.activityId === card.id)
          .some((c) =>
            /All done: the registrations of the outbound event are now in the real-time event/.test(
              cardText(contentOf(c)),
            ),
          ),
      'the review card',
      40_000,
    );
    expect(await dev.interrupt()).toBe(0);

    // --fresh: no migration in the bot's database, no job in the simulated service.
    dev = await startDev(dir, env, ['--fresh']);
    expect(dev.output()).toMatch(/--fresh: starting over/);
    expect(await simStatus(dev)).toEqual({ status: 'None' });
    const texts = () => connector.sent.filter((s) => typeof s.activity.text === 'string').map((s) => s.activity.text!);
    const before = texts().length;
    expect(await say(dev, connector, 'status')).toBe(200);
    expect(texts().slice(before)).toEqual(['No migration yet in this environment.']);
    expect(await dev.interrupt()).toBe(0);
  }, 180_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startLocalStack } from '../../scripts/localStack';
import { freePort, PLAYGROUND_CONFIG_FILE, type Playground } from '../../scripts/playground';
import type { App } from '../../src/index';
import type { SimDataverse } from '../../src/sim/dataverse/server';
import { createLogger } from '../../src/logger';
import type { Simulator, SimulatorOptions } from '../../src/sim/simulator';
import {
  PlaygroundClient,
  type PlaygroundAccount,
  type PlaygroundConfig,
  type Posted,
  type StreamMessage,
} from './playgroundClient';

/**
 * The whole thing as `npm run dev` runs it, inside a test: the real bot and the simulator in-process, the
 * Agents Playground as a child process on a free port, in a temp working folder with a copy of the checked-in
 * config. Only Microsoft's cloud is missing: the Playground stands in for Teams.
 */

const REPO_CONFIG = path.resolve(__dirname, '..', '..', PLAYGROUND_CONFIG_FILE);

export interface E2e {
  app: App;
  sim: Simulator;
  /** the simulated Dataverse, with `dataverse: true` */
  dataverse?: SimDataverse;
  playground: Playground;
  client: PlaygroundClient;
  teams: PlaygroundConfig;
  bot: PlaygroundAccount;
  /** the Playground's current user: every post comes from them */
  me: PlaygroundAccount;
  /** the team channel besides General */
  channelId: string;
  /** a post in the channel, @mentioning the bot */
  say(text: string): Promise<Posted>;
  /** the bot's first answer in the thread a post opened */
  answerTo(posted: Posted, ms?: number): Promise<StreamMessage>;
  logs(): string;
  close(): Promise<void>;
}

export async function startE2e(
  options: { env?: Record<string, string>; sim?: SimulatorOptions; dataverse?: boolean } = {},
): Promise<E2e> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-e2e-'));
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const cleanups: Array<() => Promise<void> | void> = [() => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    // Last started, first stopped; every step runs even when one before it fails.
    for (const cleanup of cleanups.reverse())
      await Promise.resolve()
        .then(cleanup)
        .catch(() => undefined);
  };
  try {
    const stack = await startLocalStack({
      env: {
        PORT: '0',
        DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
        STATUS_POLL_INTERVAL_MS: '100',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      sim: options.sim,
      // The walk is about the Teams flow with its own event ids; Dataverse's evidence (which would refuse ids it
      // does not know) has its own tests in test/integration/evidence.
      dataverse: options.dataverse ?? false,
      overrides: { host: '127.0.0.1', logger: createLogger('info', sink), minSendGapMs: 0 },
      playground: { port: await freePort(), workDir: path.join(dir, 'playground'), configFile: REPO_CONFIG },
    });
    cleanups.push(() => stack.stop());
    const { app, playground } = stack;
    const sim = stack.sim!;
    const client = await PlaygroundClient.connect(`http://127.0.0.1:${playground.port}`);
    cleanups.push(() => client.close());

    const teams = await client.config();
    const channelId = teams.teams[0].channels.find((c) => c.id !== teams.teams[0].id)!.id;
    const e2e: E2e = {
      app,
      sim,
      dataverse: stack.dataverse,
      playground,
      client,
      teams,
      bot: teams.bot,
      me: teams.currentUser,
      channelId,
      say: (text) => client.post(channelId, text, { from: teams.currentUser.id, mention: teams.bot }),
      answerTo: (posted, ms = 10_000) =>
        client.waitFor(
          () => client.fromBot(posted.postConversationId)[0]?.message,
          `the bot's answer to ${posted.postConversationId}`,
          ms,
        ),
      logs: () => logText,
      close,
    };
    await waitUntilTheBotAnswers(e2e);
    return e2e;
  } catch (err) {
    await close();
    throw err;
  }
}

/** The Playground connects to the bot lazily: `help` until an answer comes back. */
async function waitUntilTheBotAnswers(e2e: E2e, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const posted = await e2e.say('help').catch(() => undefined);
    if (posted) {
      const answered = await e2e.answerTo(posted, 2_000).then(
        () => true,
        () => false,
      );
      if (answered) return;
    }
    if (Date.now() > until) throw new Error(`the bot never answered help through the Playground within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config';
import { createEventsApiClient, type RetryPolicy } from '../../src/events-api';
import { buildApp, type App, type AppOverrides } from '../../src/index';
import { createLogger } from '../../src/logger';
import type { SimOrganisation } from '../../src/sim/organisation';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/simulator';
import { startFakeConnector, type FakeConnector } from './fakeConnector';

/**
 * The bot as it runs, over real HTTP on loopback: the bot's own server, the Events API simulator, a fake Bot
 * Connector and a real SQLite file. Tests talk to it with Teams-shaped activities.
 */

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:bot-id', name: 'Migration Bot' };
export const CHANNEL = '19:general@thread.tacv2';
export const THREAD = `${CHANNEL};messageid=1700000000000`;

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}
export const ADA: TeamsUser = { id: '29:ada', name: 'Ada Admin', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
export const BEN: TeamsUser = {
  id: '29:ben',
  name: 'Ben Approver',
  aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002',
};
export const CAT: TeamsUser = {
  id: '29:cat',
  name: 'Cat Colleague',
  aadObjectId: 'cccccccc-0000-4000-8000-000000000003',
};

export const FROM_EVENT = '11111111-1111-4111-8111-111111111111';
export const TO_EVENT = '22222222-2222-4222-8222-222222222222';

/** The checklist's own answer with every item ticked, for the tests' Approve clicks. */
export { ALL_TICKED } from '../../src/migration/checklist';

export interface Harness {
  app: App;
  sim: Simulator;
  connector: FakeConnector;
  config: Config;
  dir: string;
  logs: () => string;
  url: string;
  say(
    text: string,
    options?: {
      from?: TeamsUser;
      conversationId?: string;
      mention?: boolean;
      tenantId?: string;
      /** the same id twice is Teams delivering the same message again */
      activityId?: string;
      /** false: return when the turn is answered, without waiting for the work it left for after it */
      settle?: boolean;
    },
  ): Promise<number>;
  click(
    verb: string,
    data: Record<string, unknown>,
    options?: { from?: TeamsUser; replyToId?: string; tenantId?: string; trigger?: string; conversationId?: string },
  ): Promise<{ status: number; body: InvokeBody }>;
  /** any invoke, such as a picker's `application/search`, as Teams sends it; the HTTP status and body */
  invoke(
    name: string,
    value: unknown,
    options?: { from?: TeamsUser; conversationId?: string; tenantId?: string },
  ): Promise<{ status: number; body: InvokeBody | undefined }>;
  /** restart the bot on the same database (the simulator and connector keep running) */
  restart(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface InvokeBody {
  statusCode: number;
  type: string;
  value: Record<string, unknown> & { body?: unknown[] };
}

let seq = 0;

export async function startHarness(
  options: {
    env?: Record<string, string>;
    sim?: SimulatorOptions;
    overrides?: AppOverrides;
    /** a real Events API client on the simulator with this retry policy (the default one waits seconds) */
    eventsApiRetry?: Partial<RetryPolicy>;
    /** a simulated organisation (Events API and Dataverse) the caller started and closes; DATAVERSE_URL points at it */
    organisation?: SimOrganisation;
  } = {},
): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-'));
  const org = options.organisation;
  const sim = org ? org.events : await startSimulator({ speed: 1000, registrations: 200, ...options.sim });
  const connector = await startFakeConnector();
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const makeConfig = (extra: Record<string, string> = {}) =>
    loadConfig({
      PORT: '0',
      EVENTS_API_ENDPOINT: sim.url,
      EVENTS_API_TOKEN: 'dev-token',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      STATUS_POLL_INTERVAL_MS: '100',
      LOG_LEVEL: 'debug',
      ...(org ? org.env() : {}),
      ...options.env,
      ...extra,
    });
  let config = makeConfig();
  const build = (c: Config) => {
    const logger = createLogger('debug', sink);
    const { endpoint, token, origin } = c.eventsApi;
    const eventsApi = options.eventsApiRetry
      ? createEventsApiClient({ endpoint: endpoint!, token: token!, origin, logger, retry: options.eventsApiRetry })
      : undefined;
    return buildApp(c, {
      host: '127.0.0.1',
      logger,
      eventsApi,
      connectorRetry: { baseDelayMs: 20, maxDelayMs: 200 },
      minSendGapMs: 0,
      deliveryRetryMs: 200,
      ...(org ? { dataverseCredential: org.credential() } : {}),
      ...options.overrides,
    });
  };
  let app = await build(config);

  const post = async (activity: Record<string, unknown>) => {
    const res = await fetch(`${app.server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const base = (from: TeamsUser, conversationId: string, tenantId: string) => ({
    id: `act-in-${++seq}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId },
    channelData: { tenant: { id: tenantId }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } },
  });

  const harness: Harness = {
    get app() {
      return app;
    },
    sim,
    connector,
    get config() {
      return config;
    },
    dir,
    logs: () => logText,
    get url() {
      return app.server.url;
    },
    async say(text, o = {}) {
      const mention = o.mention ?? true;
      const res = await post({
        ...base(o.from ?? ADA, o.conversationId ?? THREAD, o.tenantId ?? TENANT),
        ...(o.activityId ? { id: o.activityId } : {}),
        type: 'message',
        text: mention ? `<at>${BOT.name}</at> ${text}` : text,
        textFormat: 'plain',
        entities: mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
      });
      if (o.settle !== false) await app.afterTurn.drain();
      return res.status;
    },
    async click(verb, data, o = {}) {
      return post({
        ...base(o.from ?? BEN, o.conversationId ?? THREAD, o.tenantId ?? TENANT),
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: o.replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: o.trigger ?? 'manual' },
      }) as Promise<{ status: number; body: InvokeBody }>;
    },
    async invoke(name, value, o = {}) {
      return post({
        ...base(o.from ?? ADA, o.conversationId ?? THREAD, o.tenantId ?? TENANT),
        type: 'invoke',
        name,
        value,
      }) as Promise<{ status: number; body: InvokeBody | undefined }>;
    },
    async restart(env) {
      await app.stop();
      config = makeConfig(env);
      app = await build(config);
      await app.resumed;
    },
    async close() {
      await app.stop();
      if (!org) await sim.close();
      await connector.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await app.resumed;
  return harness;
}

/** Waits until `check` returns a value (not undefined/false), polling; fails with `what` after `ms`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  ms = 10_000,
  everyMs = 20,
): Promise<Exclude<T, false | undefined>> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Calls `visit` on every object of a card, depth first. */
function walkCard(card: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(card)) card.forEach((c) => walkCard(c, visit));
  else if (card && typeof card === 'object') {
    visit(card as Record<string, unknown>);
    Object.values(card).forEach((c) => walkCard(c, visit));
  }
}

/** All the text of a card, flattened, for assertions on what a person would read. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  walkCard(card, (node) => {
    for (const k of ['text', 'title', 'value', 'label']) if (typeof node[k] === 'string') out.push(node[k] as string);
  });
  return out.join('\n');
}

/** The Action.Execute verbs a card offers. */
export function cardVerbs(card: unknown): string[] {
  const verbs: string[] = [];
  walkCard(card, (node) => {
    if (node.type === 'Action.Execute' && typeof node.verb === 'string') verbs.push(node.verb);
  });
  return verbs;
}

/** The toggles of a card as a person sees them: id -> ticked. */
export function cardToggles(card: unknown): Record<string, boolean> {
  const found: Record<string, boolean> = {};
  walkCard(card, (node) => {
    if (node.type === 'Input.Toggle' && typeof node.id === 'string') found[node.id] = node.value === node.valueOn;
  });
  return found;
}

/** The job a card belongs to (every button carries it). */
export function jobIdIn(card: unknown): string {
  return (JSON.stringify(card).match(/"jobId":"([^"]+)"/) ?? [])[1];
}

/** The card a message carries. */
export function contentOf(sent: {
  activity: { attachments?: Array<{ content: Record<string, unknown> }> };
}): Record<string, unknown> {
  return sent.activity.attachments![0].content;
}

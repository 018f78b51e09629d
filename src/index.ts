import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig, readDotEnv, type Config } from './config';
import { createDataverse, type TokenCredential } from './dataverse';
import { createEventsApiClient, environmentKey } from './events-api';
import { createLogger, type Logger } from './logger';
import type { DataverseFactsPort } from './migration/dataverseFacts';
import { JobLeases } from './migration/jobLeases';
import { JobLocks } from './migration/jobLocks';
import { JobStarter } from './migration/jobStarter';
import { Migrations } from './migration/migrations';
import { NotificationDispatcher } from './migration/notificationDispatcher';
import { defaultPollRules, type PollRules } from './migration/pollSchedule';
import { realScheduler, type Scheduler } from './migration/ports';
import { Tracker } from './migration/tracker';
import { defaultTrackingRules, type TrackingRules } from './migration/trackingRules';
import { TurnDecisions } from './migration/turnDecisions';
import { systemClock, type Clock, type EventsApi, type JobStore } from './migration/types';
import { startServer, type RunningServer } from './server';
import { openStore } from './store/openStore';
import { WriteHealth } from './store/writeHealth';
import { createAdapter, type AdapterOptions } from './teams/adapter';
import { AfterTurn } from './teams/afterTurn';
import type { BotDeps } from './teams/botDeps';
import { defaultConnectorRetry, type ConnectorRetryOptions } from './teams/connectorRetry';
import { MigrationBot } from './teams/migrationBot';
import { messagesEndpoint } from './teams/messagesEndpoint';
import { buildRoutes } from './teams/routes';
import { TeamsNotifier } from './teams/teamsNotifier';

/** The composition root: every part is built here and nowhere else. Tests build the same app with overrides. */

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  eventsApi?: EventsApi & { close?(): Promise<void> };
  newId?: () => string;
  connectorRetry?: Partial<ConnectorRetryOptions>;
  /** minimum gap between two sends into one conversation (Teams allows about 7 a second) */
  minSendGapMs?: number;
  pollRules?: Partial<PollRules>;
  trackingRules?: Partial<TrackingRules>;
  /** retry a failed delivery after this long */
  deliveryRetryMs?: number;
  host?: string;
  /** replaces the configured Dataverse sign-in (the local stack's simulated token server speaks plain http) */
  dataverseCredential?: TokenCredential;
  /** connector time limit, token verification bounds, signing-key location (tests point it at loopback) */
  adapter?: AdapterOptions;
  /** how long a store call waits for a lock held by another writer */
  storeBusyTimeoutMs?: number;
  /** stop() gives up waiting for work in flight after this long; undelivered notices stay in the outbox */
  shutdownDeadlineMs?: number;
}

export interface App {
  server: RunningServer;
  store: JobStore;
  tracker: Tracker;
  dispatcher: NotificationDispatcher;
  afterTurn: AfterTurn;
  /** what Dataverse knows about events; undefined when DATAVERSE_URL is empty */
  dataverse?: DataverseFactsPort;
  /** settles when jobs left by a previous run have been reconciled and resumed */
  resumed: Promise<void>;
  stop(): Promise<void>;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const scheduler = overrides.scheduler ?? realScheduler;
  const { endpoint, token, origin } = config.eventsApi;
  if (!endpoint || !token) throw new ConfigError(['EVENTS_API_ENDPOINT and EVENTS_API_TOKEN: required']);

  const writeHealth = new WriteHealth();
  const store = await openStore(config.databaseUrl, {
    logger,
    writeHealth,
    busyTimeoutMs: overrides.storeBusyTimeoutMs,
  });
  const api = overrides.eventsApi ?? createEventsApiClient({ endpoint, token, origin, logger });
  const dataverse = config.dataverse
    ? createDataverse(config.dataverse, logger, { credential: overrides.dataverseCredential })
    : undefined;
  const adapter = createAdapter(config.bot, logger, overrides.adapter);
  const locks = new JobLocks();
  // Several replicas on one database: one polls a running job and delivers its notices at a time.
  const leases = new JobLeases(store, config.leaseMs, config.replicaId);
  const rules = { approverIds: config.approverIds, requireSecondApprover: config.requireSecondApprover };
  const notifier = new TeamsNotifier({
    rules,
    adapter,
    appId: config.bot.appId ?? '',
    conversations: store,
    clock,
    logger,
    retry: { ...defaultConnectorRetry, ...overrides.connectorRetry },
    minGapMs: overrides.minSendGapMs ?? 250,
  });
  const dispatcher = new NotificationDispatcher(
    store,
    notifier,
    logger,
    scheduler,
    locks,
    overrides.deliveryRetryMs,
    leases,
  );
  const tracker = new Tracker({
    store,
    api,
    clock,
    scheduler,
    dispatcher,
    locks,
    leases,
    logger,
    pollRules: { ...defaultPollRules(config.statusPollIntervalMs), ...overrides.pollRules },
    trackingRules: { ...defaultTrackingRules(config.statusPollIntervalMs), ...overrides.trackingRules },
  });
  const environment = environmentKey(endpoint);
  const decisions = new TurnDecisions({
    store,
    clock,
    rules,
    environment,
    approvalTtlMinutes: config.approvalTtlMinutes,
    newId: overrides.newId ?? randomUUID,
  });
  const starter = new JobStarter({
    store,
    api,
    clock,
    logger,
    startLease: { holder: config.replicaId, ms: config.leaseMs },
  });
  const migrations = new Migrations({ decisions, starter, tracker, dispatcher, store, environment, logger });
  const afterTurn = new AfterTurn(logger);
  const deps: BotDeps = {
    migrations,
    conversations: store,
    clock,
    rules,
    allowedTenantIds: config.allowedTenantIds,
    afterTurn,
    logger,
  };
  const bot = new MigrationBot(deps, buildRoutes(deps));

  const server = await startServer({
    port: config.port,
    host: overrides.host,
    logger,
    onMessages: messagesEndpoint(adapter, bot, logger),
    readiness: () => (store.isOpen() ? writeHealth.problems() : ['store is closed']),
  });
  logger.info({ port: server.port, authenticated: Boolean(config.bot.appId), environment }, 'bot listening');
  if (config.dataverse) {
    const { url, signIn } = config.dataverse;
    logger.info({ dataverse: url, signIn: signIn.kind, from: signIn.from }, 'Dataverse on');
  }

  // Jobs a previous run left behind: reconcile before anything is started again, then follow them.
  const resumed = migrations.resumeAfterRestart().then(
    () => undefined,
    (err: unknown) => logger.error({ err }, 'resuming jobs failed'),
  );

  let stopping: Promise<void> | undefined;
  const deadlineMs = overrides.shutdownDeadlineMs ?? 10_000;
  const finishWork = async () => {
    await server.close();
    await resumed;
    await afterTurn.drain();
    await tracker.stop();
    dispatcher.stop();
    await dispatcher.idle();
  };
  const stop = () =>
    (stopping ??= (async () => {
      // Work in flight gets until the deadline; what is not delivered by then stays in the outbox (it is in
      // the store) and is sent by the next start.
      const finished = await withinDeadline(finishWork(), deadlineMs);
      if (!finished) {
        logger.warn({ deadlineMs }, 'shutdown deadline reached; undelivered notices stay in the outbox');
        dispatcher.stop();
        server.abort();
      }
      await store.close();
      await api.close?.();
      await dataverse?.close();
    })());

  return { server, store, tracker, dispatcher, afterTurn, dataverse: dataverse?.reader, resumed, stop };
}

async function withinDeadline(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  readDotEnv();
  let config: Config;
  try {
    config = loadConfig(process.env, { requireEventsApi: true });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and what it expects.\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await buildApp(config);
  const shutdown = (signal: string) => {
    process.stderr.write(`${signal}: finishing work in flight, then stopping\n`);
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`event-migration-bot could not start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

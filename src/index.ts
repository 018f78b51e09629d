import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig, readDotEnv, type Config } from './config';
import { DEFAULT_ENVIRONMENT, variablePrefix, type EnvironmentConfig } from './environmentsConfig';
import { Environments, type Environment } from './migration/environments';
import { JobRouter } from './migration/jobRouter';
import type { OperatorMetrics } from './migration/operatorMetrics';
import { createDataverse, type TokenCredential } from './dataverse';
import { createEventsApiClient, environmentKey } from './events-api';
import { createLogger, logScope, type Logger } from './logger';
import type { DataverseFactsPort } from './migration/dataverseFacts';
import { measuredEventsApi } from './metrics/measuredEventsApi';
import { startMetricsServer, type MetricsServer } from './metrics/metricsServer';
import { createOperatorRegistry } from './metrics/operatorRegistry';
import { JobLeases } from './migration/jobLeases';
import { JobLocks } from './migration/jobLocks';
import { DraftMaker } from './migration/draftMaker';
import { JobStarter } from './migration/jobStarter';
import { DataverseCounter } from './migration/dataverseCounter';
import { Plans } from './migration/plans';
import { JobQueue } from './migration/jobQueue';
import { Migrations } from './migration/migrations';
import { Preflight } from './migration/preflight';
import { Reconciler } from './migration/reconciliation';
import { NotificationDispatcher } from './migration/notificationDispatcher';
import { defaultWriteRetry, type WriteRetryRules } from './migration/persistently';
import { SetupCheck } from './migration/setupCheck';
import { NO_METRICS } from './migration/operatorMetrics';
import { defaultPollRules, type PollRules } from './migration/pollSchedule';
import { defaultStartSweep, StartSweep, type StartSweepRules } from './migration/startSweep';
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
import { checkSummary } from './words/catalogue';

/** The composition root: every part is built here and nowhere else. Tests build the same app with overrides. */

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  /** replaces every environment's Events API client (tests of one environment; several use real simulators) */
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
  /** how often, and after how long, jobs stuck before running are reconciled without a restart */
  startSweep?: Partial<StartSweepRules>;
  /** how long the write after a start call is retried through store failures */
  startWriteRetry?: Partial<WriteRetryRules>;
  /** stop() gives up waiting for work in flight after this long; undelivered notices stay in the outbox */
  shutdownDeadlineMs?: number;
}

export interface App {
  server: RunningServer;
  store: JobStore;
  /** the first environment's */
  tracker: Tracker;
  dispatcher: NotificationDispatcher;
  afterTurn: AfterTurn;
  /** what the first environment's Dataverse knows about events; undefined when DATAVERSE_URL is empty */
  dataverse?: DataverseFactsPort;
  /** the operators' /metrics listener; undefined when METRICS_PORT is unset */
  metrics?: MetricsServer;
  /** what `check` answers: one status call, and Dataverse's sign-in and privileges (the first environment's) */
  setupCheck: SetupCheck;
  /** every environment, with its own service, Dataverse, rules and migrations */
  environments: Environments;
  logger: Logger;
  /** settles when jobs left by a previous run have been reconciled and resumed */
  resumed: Promise<void>;
  stop(): Promise<void>;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const environments = config.environments;
  // One environment: every line says which (the endpoint without its query, never the token), as before.
  const only = environments.length === 1 ? environments[0].eventsApi.endpoint : undefined;
  const logger = (overrides.logger ?? createLogger(config.logLevel)).child({
    environment: only ? environmentKey(only) : undefined,
  });
  const clock = overrides.clock ?? systemClock;
  const scheduler = overrides.scheduler ?? realScheduler;
  const missing = environments.filter((e) => !e.eventsApi.endpoint || !e.eventsApi.token);
  if (missing.length > 0)
    throw new ConfigError(
      missing.map((e) =>
        e.name === DEFAULT_ENVIRONMENT
          ? 'EVENTS_API_ENDPOINT and EVENTS_API_TOKEN: required'
          : `${variablePrefix(e.name)}EVENTS_API_ENDPOINT and ${variablePrefix(e.name)}EVENTS_API_TOKEN: required`,
      ),
    );

  const writeHealth = new WriteHealth();
  const store = await openStore(config.databaseUrl, {
    logger,
    writeHealth,
    busyTimeoutMs: overrides.storeBusyTimeoutMs,
  });
  const operator = config.metrics ? createOperatorRegistry({ store, clock, logger }) : undefined;
  const metrics = operator?.metrics ?? NO_METRICS;
  const adapter = createAdapter(config.bot, logger, overrides.adapter);
  const locks = new JobLocks();
  // Several replicas on one database: one polls a running job and delivers its notices at a time.
  const leases = new JobLeases(store, config.leaseMs, config.replicaId);
  const notifier = new TeamsNotifier({
    // called only for deliveries, after the registry below exists
    viewOf: (job) => registry.viewOf(job),
    adapter,
    appId: config.bot.appId ?? '',
    conversations: store,
    clock,
    logger,
    retry: { ...defaultConnectorRetry, ...overrides.connectorRetry },
    minGapMs: overrides.minSendGapMs ?? 250,
    metrics,
  });
  const dispatcher = new NotificationDispatcher(
    store,
    notifier,
    logger,
    scheduler,
    locks,
    overrides.deliveryRetryMs,
    logScope,
    leases,
  );
  const shared: SharedParts = {
    config,
    overrides,
    logger,
    clock,
    scheduler,
    store,
    metrics,
    dispatcher,
    locks,
    leases,
  };
  const built = environments.map((e) => buildEnvironment(e, shared));
  const registry = new Environments(
    built.map((b) => b.environment),
    store,
  );
  const migrations = new JobRouter(registry, store);
  const first = built[0];
  const afterTurn = new AfterTurn(logger);
  const deps: BotDeps = {
    migrations,
    environments: registry,
    conversations: store,
    clock,
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
  const metricsServer =
    operator && config.metrics
      ? await startMetricsServer({ ...config.metrics, registry: operator.registry, logger })
      : undefined;
  if (metricsServer) logger.info({ port: metricsServer.port, host: config.metrics?.host }, 'metrics listening');
  logger.info({ port: server.port, authenticated: Boolean(config.bot.appId) }, 'bot listening');
  for (const e of environments) {
    if (!e.dataverse) continue;
    const { url, signIn } = e.dataverse;
    logger.info({ env: e.name, dataverse: url, signIn: signIn.kind, from: signIn.from }, 'Dataverse on');
  }

  // Jobs a previous run left behind: reconcile before anything is started again, then follow them.
  // On wall-clock timers: a reminder to look, not part of a job's simulated time (the age is judged on the clock).
  const sweep = new StartSweep(migrations, realScheduler, logger, { ...defaultStartSweep, ...overrides.startSweep });
  const resumed = migrations
    .resumeAfterRestart()
    .then(
      () => undefined,
      (err: unknown) => logger.error({ err }, 'resuming jobs failed'),
    )
    .then(() => sweep.start());

  let stopping: Promise<void> | undefined;
  const deadlineMs = overrides.shutdownDeadlineMs ?? 10_000;
  const finishWork = async () => {
    await server.close();
    await resumed;
    await afterTurn.drain();
    await sweep.stop();
    for (const b of built) await b.tracker.stop();
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
      await metricsServer?.close();
      await store.close();
      for (const b of built) await b.close();
    })());

  return {
    server,
    store,
    tracker: first.tracker,
    dispatcher,
    afterTurn,
    dataverse: first.dataverse,
    metrics: metricsServer,
    setupCheck: first.setupCheck,
    environments: registry,
    logger,
    resumed,
    stop,
  };
}

interface SharedParts {
  config: Config;
  overrides: AppOverrides;
  logger: Logger;
  clock: Clock;
  scheduler: Scheduler;
  store: JobStore;
  metrics: OperatorMetrics;
  dispatcher: NotificationDispatcher;
  locks: JobLocks;
  leases: JobLeases;
}

interface BuiltEnvironment {
  environment: Environment;
  tracker: Tracker;
  setupCheck: SetupCheck;
  dataverse?: DataverseFactsPort;
  close(): Promise<void>;
}

/**
 * One environment's parts: its own Events API client (its endpoint and token, and only that one), its Dataverse,
 * its approval rules, and the domain objects that use them; the store, the outbox and the locks are shared.
 */
function buildEnvironment(e: EnvironmentConfig, shared: SharedParts): BuiltEnvironment {
  const { config, overrides, clock, scheduler, store, metrics, dispatcher, locks, leases } = shared;
  const { endpoint, token, origin } = e.eventsApi as { endpoint: string; token: string; origin?: string };
  const key = environmentKey(endpoint);
  const logger = config.environments.length > 1 ? shared.logger.child({ env: e.name }) : shared.logger;
  const api = measuredEventsApi(
    overrides.eventsApi ?? createEventsApiClient({ endpoint, token, origin, logger }),
    metrics,
  );
  // `check` makes one attempt with a short limit: an admin waits for its answer in the chat.
  const probeApi =
    overrides.eventsApi ??
    createEventsApiClient({ endpoint, token, origin, logger, retry: { maxAttempts: 1 }, requestTimeoutMs: 10_000 });
  const dataverse = e.dataverse
    ? createDataverse(e.dataverse, logger, { credential: overrides.dataverseCredential })
    : undefined;
  const rules = { approverIds: e.approverIds, requireSecondApprover: e.requireSecondApprover };
  const facts = dataverse?.reader;
  const preflight = facts ? new Preflight({ facts, store, clock, logger }) : undefined;
  const reconciler = facts ? new Reconciler({ facts, store, clock, logger }) : undefined;
  const counter = facts ? new DataverseCounter({ facts, store, clock }) : undefined;
  const tracker = new Tracker({
    store,
    api,
    clock,
    scheduler,
    dispatcher,
    locks,
    leases,
    logger,
    scope: logScope,
    pollRules: { ...defaultPollRules(config.statusPollIntervalMs), ...overrides.pollRules },
    trackingRules: { ...defaultTrackingRules(config.statusPollIntervalMs), ...overrides.trackingRules },
    reconciler,
    counter,
    environment: key,
  });
  const decisions = new TurnDecisions({
    store,
    clock,
    rules,
    environment: key,
    approvalTtlMinutes: config.approvalTtlMinutes,
    newId: overrides.newId ?? randomUUID,
    preflight,
  });
  const starter = new JobStarter({
    store,
    api,
    clock,
    logger,
    // pauses for a disk to recover are wall-clock waits, even when a test steps the job's time
    scheduler: realScheduler,
    writeRetry: { ...defaultWriteRetry, ...overrides.startWriteRetry },
    startLease: { holder: config.replicaId, ms: config.leaseMs },
    environment: key,
    scope: logScope,
    draftMaker: new DraftMaker({ store, clock, logger, drafts: dataverse?.drafts }),
  });
  const queue = new JobQueue({ store, clock, environment: key, logger, preflight });
  const plans = new Plans({
    store,
    decisions,
    clock,
    environment: key,
    newId: overrides.newId ?? randomUUID,
    preflight,
    logger,
  });
  const migrations = new Migrations({
    decisions,
    starter,
    tracker,
    dispatcher,
    store,
    environment: key,
    logger,
    scope: logScope,
    preflight,
    reconciler,
    clock,
    drafts: dataverse?.drafts,
    queue,
    plans,
  });
  const setupCheck = new SetupCheck({ api: probeApi, dataverse: facts });
  return {
    environment: {
      name: e.name,
      key,
      production: e.production,
      rules,
      migrations,
      setupCheck,
      directory: dataverse?.directory,
    },
    tracker,
    setupCheck,
    dataverse: facts,
    close: async () => {
      await api.close?.();
      if (probeApi !== overrides.eventsApi) await probeApi.close?.();
      await dataverse?.close();
    },
  };
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

/** The same check as the `check` command, once at start: logged, never a reason not to start. */
async function logSetupCheck(app: App): Promise<void> {
  const several = app.environments.several;
  for (const e of app.environments.all()) {
    const logger = several ? app.logger.child({ env: e.name }) : app.logger;
    try {
      const report = await e.setupCheck.run();
      const line = { ready: report.ready, verdict: report.eventsApi.verdict.kind, dataverse: report.dataverse?.kind };
      (report.ready ? logger.info.bind(logger) : logger.warn.bind(logger))(
        line,
        `setup check: ${checkSummary(report)}`,
      );
    } catch (err) {
      logger.error({ err }, 'setup check failed');
    }
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
  void logSetupCheck(app);
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

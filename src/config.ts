import { hostname } from 'node:os';
import { z } from 'zod';
import { readDataverseConfig, type DataverseConfig } from './dataverseConfig';
import { readEnvironments, type EnvironmentConfig } from './environmentsConfig';

/**
 * The environment, read once at start and validated, so that a typo surfaces as one readable message
 * naming every bad variable instead of a failure hours into a migration.
 */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const list = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  z.array(z.string()),
);
const bool = (dflt: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .optional()
      .transform((v) => (v === undefined ? dflt : ['true', '1', 'yes'].includes(v))),
  );
const int = (dflt: number, min: number, max: number, what: string) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: `expected ${what}` })
      .int({ message: `expected ${what}` })
      .min(min, { message: `expected ${what} (at least ${min})` })
      .max(max, { message: `expected ${what} (at most ${max})` })
      .default(dflt),
  );

const httpUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  },
  {
    message:
      'expected an http(s) URL such as https://public-eur.mkt.dynamics.com/api/v1.0/orgs/<org-id>/eventmanagement/',
  },
);

const schema = z.object({
  PORT: int(3978, 0, 65535, 'a port number'),
  MicrosoftAppId: z.preprocess(emptyToUndefined, z.string().optional()),
  MicrosoftAppPassword: z.preprocess(emptyToUndefined, z.string().optional()),
  MicrosoftAppType: z.preprocess(
    emptyToUndefined,
    z
      .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
        message: 'expected SingleTenant, UserAssignedMSI or MultiTenant',
      })
      .optional(),
  ),
  MicrosoftAppTenantId: z.preprocess(emptyToUndefined, z.string().optional()),
  EVENTS_API_ENDPOINT: z.preprocess(emptyToUndefined, httpUrl.optional()),
  EVENTS_API_TOKEN: z.preprocess(emptyToUndefined, z.string().optional()),
  EVENTS_API_ORIGIN: z.preprocess(emptyToUndefined, httpUrl.optional()),
  STATUS_POLL_INTERVAL_MS: int(60000, 100, 3600000, 'milliseconds between status calls'),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)/i, {
        message: 'expected sqlite:<path> (for example sqlite:./data/bot.db) or postgres://user:password@host/database',
      })
      .default('sqlite:./data/bot.db'),
  ),
  REPLICA_ID: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  LEASE_MS: int(30000, 1000, 600000, 'milliseconds a replica holds a job it polls before another may take it'),
  APPROVER_IDS: list,
  REQUIRE_SECOND_APPROVER: bool(false),
  APPROVAL_TTL_MINUTES: int(1440, 1, 60 * 24 * 30, 'a number of minutes'),
  ALLOWED_TENANT_IDS: list,
  METRICS_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'expected a port number' })
      .int({ message: 'expected a port number' })
      .min(0, { message: 'expected a port number (at least 0)' })
      .max(65535, { message: 'expected a port number (at most 65535)' })
      .optional(),
  ),
  METRICS_HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, { message: 'expected a host name or IP address to listen on, such as 127.0.0.1' })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
});

export interface Config {
  port: number;
  bot: { appId?: string; appPassword?: string; appType?: string; tenantId?: string };
  eventsApi: { endpoint?: string; token?: string; origin?: string };
  statusPollIntervalMs: number;
  databaseUrl: string;
  /** how long a replica's claim on a job it polls lasts without renewal; another takes over within twice this */
  leaseMs: number;
  /**
   * this replica in the store's leases; defaults to the host name, so a process restarted on the same host
   * takes its own leases back at once (two processes on one host need one each)
   */
  replicaId: string;
  approverIds: string[];
  requireSecondApprover: boolean;
  approvalTtlMinutes: number;
  allowedTenantIds: string[];
  logLevel: string;
  /** the operators' /metrics listener; undefined (off) when METRICS_PORT is unset */
  metrics?: { port: number; host: string };
  /** undefined when DATAVERSE_URL is empty: the bot then says nothing of Dataverse */
  dataverse?: DataverseConfig;
  /** every environment (ENVIRONMENTS), or the one `default` built from the unprefixed variables */
  environments: EnvironmentConfig[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `requireEventsApi`: `npm start` needs a real endpoint; dev and tests supply the simulator's. */
export function loadConfig(env: NodeJS.ProcessEnv, options: { requireEventsApi?: boolean } = {}): Config {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // The message names the variable and what is expected, never the value: a token may be in it.
      problems.push(`${String(issue.path[0])}: ${issue.message}`);
    }
  }
  const v = parsed.success ? parsed.data : undefined;
  const several = Boolean(env.ENVIRONMENTS?.trim());
  if (v && options.requireEventsApi && !several) {
    if (!v.EVENTS_API_ENDPOINT) problems.push('EVENTS_API_ENDPOINT: required (the Endpoint of the web application)');
    if (!v.EVENTS_API_TOKEN) problems.push('EVENTS_API_TOKEN: required (the Token of the web application)');
  }
  if (v && v.MicrosoftAppId && !v.MicrosoftAppPassword && v.MicrosoftAppType !== 'UserAssignedMSI') {
    problems.push(
      'MicrosoftAppPassword: required when MicrosoftAppId is set (unless MicrosoftAppType=UserAssignedMSI)',
    );
  }
  if (v && v.MicrosoftAppType === 'SingleTenant' && !v.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant');
  }
  if (v && v.METRICS_PORT !== undefined && v.METRICS_PORT !== 0 && v.METRICS_PORT === v.PORT) {
    problems.push('METRICS_PORT: must differ from PORT (the metrics are not served beside /api/messages)');
  }
  if (v && v.METRICS_HOST !== undefined && v.METRICS_PORT === undefined) {
    problems.push('METRICS_HOST: has no effect without METRICS_PORT (set both, or neither)');
  }
  const dataverse = readDataverseConfig(env, problems);
  const approverIds = v ? v.APPROVER_IDS.map((s) => s.toLowerCase()) : [];
  const environments = v
    ? readEnvironments(
        env,
        {
          eventsApi: { endpoint: v.EVENTS_API_ENDPOINT, token: v.EVENTS_API_TOKEN, origin: v.EVENTS_API_ORIGIN },
          approverIds,
          requireSecondApprover: v.REQUIRE_SECOND_APPROVER,
          dataverse,
        },
        problems,
        options,
      )
    : [];
  if (problems.length > 0 || !v) throw new ConfigError([...new Set(problems)]);
  return {
    port: v.PORT,
    bot: {
      appId: v.MicrosoftAppId,
      appPassword: v.MicrosoftAppPassword,
      appType: v.MicrosoftAppType,
      tenantId: v.MicrosoftAppTenantId,
    },
    eventsApi: { endpoint: v.EVENTS_API_ENDPOINT, token: v.EVENTS_API_TOKEN, origin: v.EVENTS_API_ORIGIN },
    statusPollIntervalMs: v.STATUS_POLL_INTERVAL_MS,
    databaseUrl: v.DATABASE_URL,
    leaseMs: v.LEASE_MS,
    replicaId: v.REPLICA_ID ?? hostname(),
    approverIds,
    requireSecondApprover: v.REQUIRE_SECOND_APPROVER,
    approvalTtlMinutes: v.APPROVAL_TTL_MINUTES,
    allowedTenantIds: v.ALLOWED_TENANT_IDS.map((s) => s.toLowerCase()),
    logLevel: v.LOG_LEVEL,
    metrics: v.METRICS_PORT === undefined ? undefined : { port: v.METRICS_PORT, host: v.METRICS_HOST ?? '127.0.0.1' },
    dataverse,
    environments,
  };
}

/** Reads `.env` when present (values already in the environment win, as with dotenv). */
export function readDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

import { readDataverseConfig, type DataverseConfig } from './dataverseConfig';
import { environmentKey } from './events-api/urls';

/**
 * The environments half of the configuration: `ENVIRONMENTS=prod,test` names them and each reads its own
 * `PROD_EVENTS_API_ENDPOINT` and so on, falling back to the unprefixed variable. Without ENVIRONMENTS the unprefixed
 * variables are the one environment `default`, exactly as before. Problems name variables, never values.
 */

export const DEFAULT_ENVIRONMENT = 'default';

export interface EnvironmentConfig {
  /** as written in ENVIRONMENTS, lower-cased: what `in <name>` and `use <name>` match */
  name: string;
  production: boolean;
  eventsApi: { endpoint?: string; token?: string; origin?: string };
  approverIds: string[];
  requireSecondApprover: boolean;
  dataverse?: DataverseConfig;
}

type Env = Record<string, string | undefined>;

/** What the unprefixed variables already gave (validated by config.ts's schema). */
export interface UnprefixedSettings {
  eventsApi: { endpoint?: string; token?: string; origin?: string };
  approverIds: string[];
  requireSecondApprover: boolean;
  dataverse?: DataverseConfig;
}

const NAME = /^[A-Za-z0-9-]+$/;

/** `test-eu` reads `TEST_EU_EVENTS_API_TOKEN`. */
export function variablePrefix(name: string): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_`;
}

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function readBool(raw: string | undefined, variable: string, dflt: boolean, problems: string[]): boolean {
  if (raw === undefined) return dflt;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  problems.push(`${variable}: expected true or false`);
  return dflt;
}

function readUrl(env: Env, variable: string, problems: string[]): string | undefined {
  const v = value(env, variable);
  if (v !== undefined && !isHttpUrl(v)) {
    problems.push(`${variable}: expected an http(s) URL`);
    return undefined;
  }
  return v;
}

/** The names in ENVIRONMENTS, or problems; undefined when ENVIRONMENTS is unset (the one `default`). */
export function readEnvironmentNames(env: Env, problems: string[]): string[] | undefined {
  const raw = value(env, 'ENVIRONMENTS');
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !NAME.test(n));
  if (bad.length > 0 || names.length === 0) {
    problems.push('ENVIRONMENTS: expected names of letters, digits and -, separated by commas, such as prod,test');
    return undefined;
  }
  const prefixes = names.map(variablePrefix);
  if (new Set(prefixes).size !== prefixes.length) {
    problems.push('ENVIRONMENTS: each name once (names differing only in case or - and _ read the same variables)');
    return undefined;
  }
  return names.map((n) => n.toLowerCase());
}

function readOne(env: Env, name: string, base: UnprefixedSettings, problems: string[]): EnvironmentConfig {
  const p = variablePrefix(name);
  const approvers = value(env, `${p}APPROVER_IDS`);
  const dataverse = value(env, `${p}DATAVERSE_URL`) ? readPrefixedDataverse(env, p, problems) : base.dataverse;
  return {
    name,
    production: readBool(value(env, `${p}PRODUCTION`), `${p}PRODUCTION`, false, problems),
    eventsApi: {
      endpoint: readUrl(env, `${p}EVENTS_API_ENDPOINT`, problems) ?? base.eventsApi.endpoint,
      token: value(env, `${p}EVENTS_API_TOKEN`) ?? base.eventsApi.token,
      origin: readUrl(env, `${p}EVENTS_API_ORIGIN`, problems) ?? base.eventsApi.origin,
    },
    approverIds:
      approvers === undefined
        ? base.approverIds
        : approvers
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
    requireSecondApprover: readBool(
      value(env, `${p}REQUIRE_SECOND_APPROVER`),
      `${p}REQUIRE_SECOND_APPROVER`,
      base.requireSecondApprover,
      problems,
    ),
    dataverse,
  };
}

/** The sign-in is shared (one app registration); the URL is the environment's own. */
function readPrefixedDataverse(env: Env, prefix: string, problems: string[]): DataverseConfig | undefined {
  const own: string[] = [];
  const config = readDataverseConfig({ ...env, DATAVERSE_URL: env[`${prefix}DATAVERSE_URL`] }, own);
  problems.push(...own.map((p) => (p.startsWith('DATAVERSE_URL:') ? `${prefix}${p}` : p)));
  return config;
}

/**
 * Every environment; `requireEventsApi` asks each for its endpoint and token (naming the variable to set). Two
 * environments on one endpoint would share one service and one migration slot: refused, since that is a typo.
 */
export function readEnvironments(
  env: Env,
  base: UnprefixedSettings,
  problems: string[],
  options: { requireEventsApi?: boolean } = {},
): EnvironmentConfig[] {
  const names = readEnvironmentNames(env, problems);
  const list: EnvironmentConfig[] = names
    ? names.map((n) => readOne(env, n, base, problems))
    : [{ name: DEFAULT_ENVIRONMENT, production: false, ...base }];
  if (!names) return list;
  for (const e of list) {
    const p = variablePrefix(e.name);
    if (options.requireEventsApi && !e.eventsApi.endpoint)
      problems.push(`${p}EVENTS_API_ENDPOINT: required (or EVENTS_API_ENDPOINT for every environment)`);
    if (options.requireEventsApi && !e.eventsApi.token)
      problems.push(`${p}EVENTS_API_TOKEN: required (or EVENTS_API_TOKEN for every environment)`);
  }
  const seen = new Map<string, string>();
  for (const e of list) {
    const key = e.eventsApi.endpoint && environmentKey(e.eventsApi.endpoint);
    if (!key) continue;
    const other = seen.get(key);
    if (other)
      problems.push(
        `${variablePrefix(e.name)}EVENTS_API_ENDPOINT: the same endpoint as environment ${other} (each environment needs its own)`,
      );
    else seen.set(key, e.name);
  }
  return list;
}

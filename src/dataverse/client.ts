/**
 * The Dataverse Web API client over undici: the documented headers, a bearer token from the credential (which caches
 * it), paging by @odata.nextLink, counting, 429 answers waited out within a budget, timeouts, and failures as
 * sentences. Neither the token nor a secret is ever logged or put in an error.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { TokenCredential } from '@azure/identity';
import { DataverseError, httpError, scrub, shortText } from './errors';
import { scopeFor, signInError } from './credential';
import { odataPath } from './query';
import { retryAfterMs } from './retryAfter';

type LogFn = (obj: object, msg?: string) => void;
export interface DataverseLogger {
  debug: LogFn;
  warn: LogFn;
}

export type Row = Record<string, unknown>;

export interface DataverseClientOptions {
  /** the environment's URL, such as https://contoso.crm4.dynamics.com */
  url: string;
  credential: TokenCredential;
  /** values that must never appear in a message (the client secret) */
  secrets?: readonly string[];
  logger: DataverseLogger;
  /** one HTTP request, headers and body (default 10 s) */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** the longest one call waits in total for Retry-After and backoff before giving up (default 20 s) */
  retryBudgetMs?: number;
  maxAttempts?: number;
  /** rows per page asked for with Prefer: odata.maxpagesize (at most 5,000) */
  pageSize?: number;
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ReadOptions {
  /** asks for formatted values, such as a lookup's display name */
  formattedValues?: boolean;
}

export interface DataverseClient {
  readonly url: string;
  /** `pathAndQuery` is relative to /api/data/v9.2/, for example `msevtmgt_events(<id>)?$select=msevtmgt_name` */
  get(pathAndQuery: string, what: string, options?: ReadOptions): Promise<Row>;
  /** every row of every page; throws when there are more than `maxRows` */
  list(pathAndQuery: string, what: string, options?: ReadOptions & { maxRows?: number }): Promise<Row[]>;
  /** the rows matching `filter`, counted by Dataverse in one call (aggregate, up to 50,000) */
  count(set: string, filter: string | undefined, what: string): Promise<number>;
  create(set: string, body: Row, what: string): Promise<Row>;
  whoAmI(): Promise<{ userId: string; businessUnitId?: string; organizationId?: string }>;
  close(): Promise<void>;
}

const API_PATH = '/api/data/v9.2/';
const RETRYABLE = new Set([429, 502, 503, 504]);
/** 0.2 s, 10 s: a duration as a person reads it. */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 1000 ? 1 : 0))} s`;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function createDataverseClient(options: DataverseClientOptions): DataverseClient {
  const base = `${options.url.replace(/\/+$/, '')}${API_PATH}`;
  const origin = new URL(base).origin;
  const scope = scopeFor(options.url);
  const secrets = options.secrets ?? [];
  const log = options.logger;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const budgetMs = options.retryBudgetMs ?? 20_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const pageSize = Math.min(5000, Math.max(1, options.pageSize ?? 5000));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({
        connect: { timeout: options.connectTimeoutMs ?? 5_000 },
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
  const dispatcher = options.dispatcher ?? ownAgent!;

  async function token(): Promise<string> {
    try {
      const t = await options.credential.getToken(scope);
      if (!t?.token) throw new Error('the sign-in returned no token.');
      return t.token;
    } catch (error) {
      throw signInError(error, secrets);
    }
  }

  async function once(method: string, url: string, body: string | undefined, prefer: string[]): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
      authorization: `Bearer ${await token()}`,
      'user-agent': 'event-migration-bot',
    };
    if (prefer.length > 0) headers.prefer = prefer.join(',');
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        dispatcher,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text: scrub(text, secrets) };
    } catch (error) {
      throw networkError(error);
    }
  }

  function networkError(error: unknown): DataverseError {
    const e = error as { name?: string; code?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(code ?? ''))
      return new DataverseError('timeout', `Dataverse did not answer within ${seconds(requestTimeoutMs)}.`);
    return new DataverseError(
      'unavailable',
      `Dataverse could not be reached (${code ?? shortText(scrub(String((error as Error)?.message ?? error), secrets), 80)}). Check DATAVERSE_URL.`,
    );
  }

  /** One call with its retries: 429 and 502-504 are tried again while the waits fit in the budget. */
  async function call(
    method: string,
    url: string,
    what: string,
    body?: string,
    prefer: string[] = [],
  ): Promise<Answer> {
    const began = now();
    const shown = url.slice(origin.length);
    for (let attempt = 1; ; attempt++) {
      const started = now();
      const answer = await once(method, url, body, prefer);
      log.debug({ method, path: shown, status: answer.status, ms: now() - started, attempt }, 'dataverse call');
      if (answer.status < 300) return answer;
      if (!RETRYABLE.has(answer.status)) throw httpError(answer.status, answer.text, what);
      const asked = retryAfterMs(answer.headers['retry-after'], now());
      const wait = asked ?? Math.min(8_000, 500 * 2 ** (attempt - 1));
      const spent = now() - began;
      if (attempt >= maxAttempts || spent + wait > budgetMs) {
        const error = httpError(answer.status, answer.text, what);
        const waitWords = asked !== undefined ? ` It asked to wait ${Math.ceil(asked / 1000)} s;` : '';
        throw new DataverseError(
          error.kind,
          `${error.message}${waitWords} the bot gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'} (its budget is ${Math.round(budgetMs / 1000)} s).`,
          error.status,
          error.code,
        );
      }
      log.warn({ method, path: shown, status: answer.status, waitMs: wait, attempt }, 'dataverse asked to wait');
      await sleep(wait);
    }
  }

  function parse(answer: Answer, what: string): Row {
    try {
      const json: unknown = JSON.parse(answer.text);
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Row;
    } catch {
      // fall through
    }
    throw new DataverseError('unexpected', `Dataverse answered something that is not JSON while ${what}.`);
  }

  const preferFor = (o?: ReadOptions) =>
    o?.formattedValues ? ['odata.include-annotations="OData.Community.Display.V1.FormattedValue"'] : [];

  async function get(pathAndQuery: string, what: string, o?: ReadOptions): Promise<Row> {
    return parse(await call('GET', base + pathAndQuery, what, undefined, preferFor(o)), what);
  }

  async function list(pathAndQuery: string, what: string, o?: ReadOptions & { maxRows?: number }): Promise<Row[]> {
    const maxRows = o?.maxRows ?? 100_000;
    const prefer = [`odata.maxpagesize=${pageSize}`, ...preferFor(o)];
    const rows: Row[] = [];
    let next: string | undefined = base + pathAndQuery;
    while (next) {
      const page = parse(await call('GET', next, what, undefined, prefer), what);
      const value = page.value;
      if (!Array.isArray(value)) throw new DataverseError('unexpected', `Dataverse answered no rows while ${what}.`);
      rows.push(...(value as Row[]));
      if (rows.length > maxRows)
        throw new DataverseError('unexpected', `More than ${maxRows} rows while ${what}; the bot stopped reading.`);
      const link = page['@odata.nextLink'];
      next = typeof link === 'string' ? sameOrigin(link, what) : undefined;
    }
    return rows;
  }

  /** The token goes only to the environment itself, whatever a next link says. */
  function sameOrigin(link: string, what: string): string {
    let u: URL;
    try {
      u = new URL(link, base);
    } catch {
      throw new DataverseError('unexpected', `Dataverse gave an unreadable next-page link while ${what}.`);
    }
    if (u.origin !== origin)
      throw new DataverseError('unexpected', `Dataverse gave a next-page link to another host while ${what}.`);
    return u.toString();
  }

  async function count(set: string, filter: string | undefined, what: string): Promise<number> {
    const apply = filter ? `filter(${filter})/aggregate($count as n)` : 'aggregate($count as n)';
    const page = await get(odataPath(set, { apply }), what);
    const first = Array.isArray(page.value) ? (page.value[0] as Row | undefined) : undefined;
    const n = first?.n;
    if (first === undefined) return 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw new DataverseError('unexpected', `Dataverse answered a count the bot cannot read while ${what}.`);
    return n;
  }

  async function create(set: string, body: Row, what: string): Promise<Row> {
    const answer = await call('POST', base + set, what, JSON.stringify(body), ['return=representation']);
    return parse(answer, what);
  }

  async function whoAmI() {
    const row = await get('WhoAmI', 'asking who the bot is (WhoAmI)');
    if (typeof row.UserId !== 'string')
      throw new DataverseError('unexpected', 'Dataverse answered WhoAmI without a UserId.');
    return {
      userId: row.UserId.toLowerCase(),
      businessUnitId: typeof row.BusinessUnitId === 'string' ? row.BusinessUnitId : undefined,
      organizationId: typeof row.OrganizationId === 'string' ? row.OrganizationId : undefined,
    };
  }

  return {
    url: options.url,
    get,
    list,
    count,
    create,
    whoAmI,
    close: async () => {
      await ownAgent?.close();
    },
  };
}

/**
 * The Events API client over undici: `start` and `status` with timeouts, bounded retries of transient failures,
 * and errors a user can act on. The token only ever lives in the URL actually sent; everything logged or thrown
 * goes through redaction.
 */
import { Agent, request, type Dispatcher } from 'undici';
import {
  EventsApiError,
  type EventsApi,
  type StartOptions,
  type StartResult,
  type StatusReading,
} from '../migration/types';
import { httpFailure, unavailable, type Operation } from './errors';
import { classifyNetworkError } from './networkError';
import { DEFAULT_RETRY, isTransientStatus, nextDelay, parseRetryAfter, type RetryPolicy } from './retry';
import { parseStatus, shorten } from './statusParser';
import { joinEndpoint, redactUrl, scrubSecret, withToken } from './urls';

type LogFn = (obj: object, msg?: string) => void;
/** The part of a pino logger the client uses. */
export interface ClientLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface EventsApiClientOptions {
  endpoint: string;
  token: string;
  origin?: string;
  logger: ClientLogger;
  connectTimeoutMs?: number;
  /** for the whole call: headers and body */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** an undici dispatcher to use instead of the client's own Agent (its timeouts are then the dispatcher's) */
  dispatcher?: Dispatcher;
  /** injectable for tests: how to wait between attempts, what time it is, and the jitter source */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface EventsApiClient extends EventsApi {
  /** closes the client's own connections (not an injected dispatcher) */
  close(): Promise<void>;
}

interface HttpAnswer {
  status: number;
  retryAfter: string | string[] | undefined;
  text: string;
}

type Attempt = { ok: true; answer: HttpAnswer } | { ok: false; error: unknown };

const PATHS: Record<Operation, string> = { start: 'obmMigration/start', status: 'obmMigration/status' };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createEventsApiClient(options: EventsApiClientOptions): EventsApiClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.logger;
  const scrub = (text: string) => scrubSecret(text, options.token);
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({
        connect: { timeout: connectTimeoutMs },
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
  const dispatcher = options.dispatcher ?? ownAgent!;

  const urls = {} as Record<Operation, { real: string; shown: string }>;
  for (const op of ['start', 'status'] as const) {
    const real = withToken(joinEndpoint(options.endpoint, PATHS[op]), options.token);
    urls[op] = { real, shown: redactUrl(real) };
  }

  async function once(op: Operation, body: string | undefined): Promise<Attempt> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'event-migration-bot' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.origin) headers.origin = options.origin;
    try {
      const res = await request(urls[op].real, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body,
        dispatcher,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.body.text();
      return {
        ok: true,
        answer: { status: res.statusCode, retryAfter: res.headers['retry-after'], text: scrub(text) },
      };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Runs one call with retries; returns the first non-transient HTTP answer, or throws when none came in budget. */
  async function call(
    op: Operation,
    body?: string,
  ): Promise<{ answer: HttpAnswer; attempts: number; mayHaveLanded: boolean }> {
    const began = now();
    const url = urls[op].shown;
    let mayHaveLanded = false;
    for (let attempt = 1; ; attempt++) {
      log.debug({ op, attempt, url }, `Events API ${op}: attempt ${attempt}`);
      const result = await once(op, body);
      let last: number | string;
      let retryAfterMs: number | undefined;
      let raw: string | undefined;
      if (result.ok) {
        const { status } = result.answer;
        log.debug({ op, attempt, url, status }, `Events API ${op}: answered ${status}`);
        if (!isTransientStatus(status)) return { answer: result.answer, attempts: attempt, mayHaveLanded };
        last = status;
        raw = shorten(result.answer.text);
        retryAfterMs = parseRetryAfter(result.answer.retryAfter, now());
        mayHaveLanded ||= status === 504;
      } else {
        const failure = classifyNetworkError(result.error);
        if (!failure.transient) {
          throw new EventsApiError(
            'unexpected',
            `The Events API call could not be made (${failure.reason}).`,
            undefined,
            attempt,
            undefined,
            failure.reason,
          );
        }
        last = failure.reason;
        mayHaveLanded ||= failure.mayHaveLanded;
      }
      const delay = nextDelay(attempt, retryAfterMs, policy, random);
      const elapsed = now() - began;
      if (attempt >= policy.maxAttempts || elapsed + delay > policy.maxTotalMs) {
        log.warn({ op, attempt, url, last }, `Events API ${op}: giving up after ${attempt} attempts`);
        throw unavailable(attempt, elapsed, last, raw);
      }
      log.warn({ op, attempt, url, last, delayMs: delay }, `Events API ${op}: ${last}, retrying in ${delay} ms`);
      await sleep(delay);
    }
  }

  async function start(fromEventId: string, toEventId: string, startOptions: StartOptions): Promise<StartResult> {
    const payload: Record<string, unknown> = { fromEventId, toEventId };
    if (startOptions.stopExistingIfJobRunning) payload.stopExistingIfJobRunning = true;
    const { answer, attempts, mayHaveLanded } = await call('start', JSON.stringify(payload));
    if (answer.status >= 200 && answer.status < 300) {
      log.info({ op: 'start', status: answer.status, attempts }, 'Events API start accepted');
      return { httpStatus: answer.status, rawSummary: shorten(answer.text) };
    }
    throw httpFailure('start', answer.status, answer.text, { attempts, earlierAttemptMayHaveLanded: mayHaveLanded });
  }

  async function status(): Promise<StatusReading> {
    const { answer, attempts } = await call('status');
    const reading = parseStatus(answer.status, answer.text);
    const readable = (answer.status >= 200 && answer.status < 300) || reading.state === 'no_job';
    if (readable) return reading;
    throw httpFailure('status', answer.status, answer.text, { attempts, earlierAttemptMayHaveLanded: false });
  }

  return {
    start,
    status,
    close: async () => {
      await ownAgent?.close();
    },
  };
}

/**
 * Turns a failed Events API answer into an `EventsApiError` whose message tells the user what to do.
 * Callers pass bodies already scrubbed of the token.
 */
import { EventsApiError } from '../migration/types';
import { saysNoJob, shorten } from './statusParser';

export type Operation = 'start' | 'status';

const WEB_APP_PLACE = 'Settings > Event management > Web Applications';

const JOB_RUNNING_TEXT =
  /\b(?:already|still|currently)\s+(?:running|in\s+progress|active)\b|\bjob\s+(?:is\s+)?(?:running|in\s+progress)\b|\bin\s+progress\b/i;

const TOKEN_OR_ORIGIN_TEXT = /\b(?:token|origin)\b/i;

/** The service's own words, when the body carries a message (JSON `message`/`error`, or short plain text). */
export function serviceMessage(bodyText: string): string | undefined {
  const text = bodyText.trim();
  if (!text) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    const found = findMessage(json);
    return found ? shorten(found, 200) : undefined;
  } catch {
    return /^\s*</.test(text) ? undefined : shorten(text, 200);
  }
}

function findMessage(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const obj = json as Record<string, unknown>;
  for (const key of ['message', 'Message', 'error_description', 'detail', 'title']) {
    if (typeof obj[key] === 'string') return obj[key] as string;
  }
  const error = obj.error ?? obj.Error;
  return error === undefined ? undefined : findMessage(error);
}

function withService(sentence: string, said: string | undefined): string {
  return said ? `${sentence} The service said: "${said}"` : sentence;
}

export function saysJobRunning(bodyText: string): boolean {
  return JOB_RUNNING_TEXT.test(bodyText) && !saysNoJob(bodyText);
}

export interface FailureContext {
  attempts: number;
  /** an earlier attempt of this call may have reached the service (timeout or dropped connection after sending) */
  earlierAttemptMayHaveLanded: boolean;
}

/** A non-transient HTTP answer (or the last transient one) as an error. */
export function httpFailure(op: Operation, status: number, bodyText: string, ctx: FailureContext): EventsApiError {
  const said = serviceMessage(bodyText);
  const raw = shorten(bodyText);
  const make = (kind: EventsApiError['kind'], message: string) =>
    new EventsApiError(kind, message, status, ctx.attempts, raw);

  if (status === 409 || (status >= 400 && status < 500 && status !== 429 && saysJobRunning(bodyText))) {
    const base = `A migration is already running in this environment (${status}).`;
    const advice = ctx.earlierAttemptMayHaveLanded
      ? " An earlier try of this same start may have reached the service: check the status before replacing it with 'replace a running migration'."
      : " Tick 'replace a running migration' to stop it and start this one.";
    return make('job_running', base + advice);
  }
  if (status === 401 || status === 403 || (status === 400 && TOKEN_OR_ORIGIN_TEXT.test(bodyText))) {
    const origin = status === 401 ? '' : ' If the web application has an origin, set EVENTS_API_ORIGIN to it.';
    return make(
      'unauthorized',
      withService(
        `The Events API refused the token (${status}). Check EVENTS_API_TOKEN: copy the Token of the web application under ${WEB_APP_PLACE}.${origin}`,
        said,
      ),
    );
  }
  if (status === 400) {
    return make(
      'bad_request',
      withService(
        'The Events API refused the request (400). Check both event ids: the outbound event id and the id of a real-time event in Draft.',
        said,
      ),
    );
  }
  if (status === 404) {
    return make(
      'not_found',
      withService(
        `The Events API endpoint was not found (404). Check EVENTS_API_ENDPOINT: copy the Endpoint of the web application under ${WEB_APP_PLACE} (it ends in /eventmanagement/).`,
        said,
      ),
    );
  }
  if (status >= 500 || status === 429) {
    return make(
      'unavailable',
      withService(
        `The Events API failed on its side (${status}) during ${op}. Try again later; if it keeps failing, contact Microsoft support.`,
        said,
      ),
    );
  }
  return make(
    'unexpected',
    withService(`The Events API answered ${status} to ${op}, which the bot does not expect.`, said),
  );
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** The retry budget ran out on transient failures. `last` is a status code or a short network reason. */
export function unavailable(attempts: number, elapsedMs: number, last: number | string, raw?: string): EventsApiError {
  const tries = attempts === 1 ? '1 try' : `${attempts} tries`;
  const hint = last === 'host not found' ? ' Check EVENTS_API_ENDPOINT.' : '';
  return new EventsApiError(
    'unavailable',
    `The Events API was unavailable after ${tries} over ${formatDuration(elapsedMs)} (last: ${last}).${hint}`,
    typeof last === 'number' ? last : undefined,
    attempts,
    raw,
    typeof last === 'string' ? last : undefined,
  );
}

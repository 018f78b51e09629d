/**
 * The simulated service's rules, without HTTP: token check, id validation, one job at a time,
 * `stopExistingIfJobRunning`, and the status answer in the chosen shape.
 */
import { isActive, newJob, stopJob, viewJob, type SimJob, type SimJobSettings, type SimJobView } from './job';
import { renderStatus, type SimAnswer, type StatusVariant } from './variants';

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

const json = (status: number, value: unknown): SimAnswer => ({ status, body: JSON.stringify(value) });

export interface ServiceState {
  token: string;
  variant: StatusVariant;
  /** every job started since the last reset, oldest first; the last is the current one (a replaced job stays, stopped) */
  jobs: SimJob[];
}

export function currentJob(state: ServiceState): SimJob | undefined {
  return state.jobs[state.jobs.length - 1];
}

/** Replaces the current job (after a speed change, a stop). */
export function replaceCurrent(state: ServiceState, job: SimJob): void {
  if (state.jobs.length > 0) state.jobs[state.jobs.length - 1] = job;
}

/** undefined when the token is right, else the refusal. */
export function checkToken(expected: string, given: string | null): SimAnswer | undefined {
  if (given === null || given === '') {
    return json(400, { message: 'The emApplicationtoken query parameter is required.' });
  }
  if (given !== expected) return json(401, { message: 'The application token is not valid.' });
  return undefined;
}

function normaliseId(id: string): string {
  return id.replace(/^\{|\}$/g, '').toLowerCase();
}

interface StartRequest {
  fromEventId: string;
  toEventId: string;
  stopExisting: boolean;
}

function readStartRequest(bodyText: string): StartRequest | SimAnswer {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return json(400, { message: 'The request body must be JSON: {"fromEventId": "<guid>", "toEventId": "<guid>"}.' });
  }
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const field of ['fromEventId', 'toEventId'] as const) {
    const v = b[field];
    if (typeof v !== 'string' || !GUID.test(v.trim())) {
      return json(400, { message: `${field} must be the GUID of an event; got ${JSON.stringify(v ?? null)}.` });
    }
  }
  const fromEventId = normaliseId((b.fromEventId as string).trim());
  const toEventId = normaliseId((b.toEventId as string).trim());
  if (fromEventId === toEventId) return json(400, { message: 'fromEventId and toEventId must be different events.' });
  return { fromEventId, toEventId, stopExisting: b.stopExistingIfJobRunning === true };
}

/** Applies a start call to the state; returns the answer (and appends to `state.jobs` when a job starts). */
export function handleStart(state: ServiceState, bodyText: string, settings: SimJobSettings, now: number): SimAnswer {
  const request = readStartRequest(bodyText);
  if ('status' in request) return request;
  const current = currentJob(state);
  const running = current && isActive(current, now) ? current : undefined;
  if (running && !request.stopExisting) {
    return json(409, {
      message: `A migration job is already running (from ${running.fromEventId} to ${running.toEventId}). Set stopExistingIfJobRunning to stop it.`,
    });
  }
  if (running) replaceCurrent(state, stopJob(running, now));
  state.jobs.push(newJob(request.fromEventId, request.toEventId, settings, now));
  return json(202, {
    message: 'Migration job started.',
    fromEventId: request.fromEventId,
    toEventId: request.toEventId,
    stoppedExisting: Boolean(running),
  });
}

export function currentView(state: ServiceState, now: number): SimJobView | undefined {
  const job = currentJob(state);
  return job ? viewJob(job, now) : undefined;
}

export function handleStatus(state: ServiceState, now: number): SimAnswer {
  return renderStatus(state.variant, currentView(state, now));
}

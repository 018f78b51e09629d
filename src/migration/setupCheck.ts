/**
 * `check`: is the bot set up to migrate here? One status call to the Events API and, with Dataverse, one sign-in
 * and privilege read, judged into findings an admin can act on. The judging is pure; `SetupCheck` only gathers the
 * two answers. Nothing here holds a token or secret: the findings carry setting names and the services' words.
 */
import {
  DATAVERSE_TABLES,
  type AccessFacts,
  type DataverseFactsPort,
  type DataverseTable,
  type Reading,
} from './dataverseFacts';
import { EventsApiError, type EventsApi, type ServiceState, type StatusReading } from './types';

/** What the one status call gave: an answer read, or the error the client raised. */
export type StatusProbe = { ok: true; reading: StatusReading } | { ok: false; error: unknown };

/** The service's job as the status call showed it. */
export interface ProbedJob {
  state: ServiceState;
  rawState?: string;
  processed?: number;
  total?: number;
  fromEventId?: string;
  toEventId?: string;
}

export type EventsApiVerdict =
  /** endpoint answers, token accepted, migration offered, and a job is there */
  | { kind: 'job'; job: ProbedJob; said: string }
  /** endpoint answers, token accepted, migration offered, no job yet */
  | { kind: 'no_job' }
  /** 401/403 (or a 400 about the token or origin): the token or origin setting is wrong */
  | { kind: 'token_refused'; httpStatus?: number; settings: string[]; said?: string }
  /** a 404 that is not "no job": this endpoint does not offer the migration */
  | { kind: 'no_migration'; said?: string }
  | { kind: 'unreachable'; timedOut: boolean; reason: string }
  /** answered, but with a failure of its own (5xx, 429) or something the bot does not expect */
  | { kind: 'service_failed'; httpStatus?: number; said: string };

/** One aspect of the setup: proven, refused, or not known because an earlier step failed. */
export type Aspect = 'yes' | 'no' | 'unknown';

export interface EventsApiFindings {
  endpointAnswers: Aspect;
  tokenAccepted: Aspect;
  migrationOffered: Aspect;
  verdict: EventsApiVerdict;
}

export type DataverseVerdict =
  | {
      kind: 'ready';
      userId: string;
      readable: DataverseTable[];
      missing: DataverseTable[];
      /** Create and Write on msevtmgt_event, for `migrate <id> new` (absent when the answer did not say) */
      createEvents?: { create: boolean; write: boolean };
    }
  /** the token could not be had (unknown app, wrong secret, authority unreachable) */
  | { kind: 'sign_in_failed'; why: string }
  /** signed in, but Dataverse refused the app (no application user, no role) */
  | { kind: 'refused'; why: string }
  | { kind: 'unreachable'; why: string };

export interface SetupReport {
  eventsApi: EventsApiFindings;
  /** undefined when DATAVERSE_URL is empty */
  dataverse?: DataverseVerdict;
  /** true when nothing found stands in the way of a migration */
  ready: boolean;
}

function looksTimedOut(reason: string): boolean {
  return /timeout|timed out/i.test(reason);
}

export function judgeStatusProbe(probe: StatusProbe): EventsApiFindings {
  const verdict = verdictOf(probe);
  switch (verdict.kind) {
    case 'job':
    case 'no_job':
      return { endpointAnswers: 'yes', tokenAccepted: 'yes', migrationOffered: 'yes', verdict };
    case 'token_refused':
      return { endpointAnswers: 'yes', tokenAccepted: 'no', migrationOffered: 'unknown', verdict };
    case 'no_migration':
      return { endpointAnswers: 'yes', tokenAccepted: 'unknown', migrationOffered: 'no', verdict };
    case 'unreachable':
      return { endpointAnswers: 'no', tokenAccepted: 'unknown', migrationOffered: 'unknown', verdict };
    case 'service_failed':
      return { endpointAnswers: 'yes', tokenAccepted: 'unknown', migrationOffered: 'unknown', verdict };
  }
}

function verdictOf(probe: StatusProbe): EventsApiVerdict {
  if (probe.ok) {
    const r = probe.reading;
    if (r.state === 'no_job') return { kind: 'no_job' };
    const job: ProbedJob = {
      state: r.state,
      rawState: r.rawState,
      processed: r.processed,
      total: r.total,
      fromEventId: r.fromEventId,
      toEventId: r.toEventId,
    };
    return { kind: 'job', job, said: r.rawSummary };
  }
  const err = probe.error;
  if (!(err instanceof EventsApiError)) return { kind: 'service_failed', said: 'the call failed on the bot side' };
  const said = err.rawSummary || undefined;
  switch (err.kind) {
    case 'unauthorized':
      return {
        kind: 'token_refused',
        httpStatus: err.httpStatus,
        // A 401 is the token; a 403 or a 400 may also be an origin the web application does not accept.
        settings: err.httpStatus === 401 ? ['EVENTS_API_TOKEN'] : ['EVENTS_API_TOKEN', 'EVENTS_API_ORIGIN'],
        said,
      };
    case 'not_found':
      return { kind: 'no_migration', said };
    default:
      if (err.httpStatus === undefined && err.networkReason !== undefined)
        return { kind: 'unreachable', timedOut: looksTimedOut(err.networkReason), reason: err.networkReason };
      return { kind: 'service_failed', httpStatus: err.httpStatus, said: said ?? err.message };
  }
}

export function judgeDataverseAccess(access: Reading<AccessFacts>): DataverseVerdict {
  if (access.ok) {
    const readable = DATAVERSE_TABLES.filter((t) => access.value.globalRead[t]);
    const missing = DATAVERSE_TABLES.filter((t) => !access.value.globalRead[t]);
    const { userId, createEvents } = access.value;
    return { kind: 'ready', userId, readable, missing, ...(createEvents ? { createEvents } : {}) };
  }
  switch (access.kind) {
    case 'sign_in':
      return { kind: 'sign_in_failed', why: access.why };
    case 'refused':
      return { kind: 'refused', why: access.why };
    default:
      return { kind: 'unreachable', why: access.why };
  }
}

export function judgeSetup(probe: StatusProbe, access?: Reading<AccessFacts>): SetupReport {
  const eventsApi = judgeStatusProbe(probe);
  const dataverse = access ? judgeDataverseAccess(access) : undefined;
  const eventsReady = eventsApi.verdict.kind === 'job' || eventsApi.verdict.kind === 'no_job';
  // Dataverse never blocks a migration by itself; a missing privilege only turns checks into "could not check".
  return { eventsApi, dataverse, ready: eventsReady };
}

/** Gathers the two answers in parallel and judges them; never throws. */
export class SetupCheck {
  constructor(
    private readonly deps: {
      /** an Events API client that makes exactly one attempt, so the answer comes in seconds */
      api: Pick<EventsApi, 'status'>;
      dataverse?: Pick<DataverseFactsPort, 'access'>;
    },
  ) {}

  async run(): Promise<SetupReport> {
    const probe = this.deps.api.status().then(
      (reading): StatusProbe => ({ ok: true, reading }),
      (error: unknown): StatusProbe => ({ ok: false, error }),
    );
    const access = this.deps.dataverse?.access();
    const [p, a] = await Promise.all([probe, access]);
    return judgeSetup(p, a);
  }
}

/**
 * The Events API simulator: a node:http server that behaves like `obmMigration/start` and `/status` as far as
 * they are known, with status shapes, outcomes, speed and faults under the caller's control.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cancellablePauses, guarded, listen, readBody, urlHost } from './httpServer';
import { FaultQueue, type Fault, type SimRoute } from './faults';
import { changeSpeed, viewJob, type SimJob, type SimJobSettings, type SimJobView, type SimOutcome } from './job';
import {
  checkToken,
  currentJob,
  currentView,
  handleStart,
  handleStatus,
  replaceCurrent,
  type ServiceState,
} from './service';
import type { SimAnswer, StatusVariant } from './variants';

export const DEFAULT_ORG_ID = '00000000-0000-4000-8000-000000000001';
export const DEFAULT_SIM_TOKEN = 'dev-token';
const TOKEN_PARAM = 'emApplicationtoken';
const MAX_BODY_BYTES = 64 * 1024;

export interface SimClock {
  /** milliseconds since the epoch */
  now(): number;
}

export interface SimulatorOptions {
  host?: string;
  /** 0 = any free port */
  port?: number;
  token?: string;
  orgId?: string;
  /** the path the two calls hang off, with leading and trailing slash */
  basePath?: string;
  /** registrations in each new job */
  registrations?: number;
  /** registrations a second */
  speed?: number;
  outcome?: SimOutcome;
  /** with completed_with_errors: how many fail (default: every 50th) */
  failedCount?: number;
  /** every n-th registration fails (turns a `completed` outcome into `completed_with_errors`) */
  failEvery?: number;
  /** time a new job stays queued before it runs */
  queueMs?: number;
  variant?: StatusVariant;
  clock?: SimClock;
  /** one line per request, for the stand-alone simulator */
  log?: (line: string) => void;
  /** the jobs to start with (a saved state, see simState.ts); none by default */
  jobs?: SimJob[];
  /** called after every change of the jobs (a start, a speed change, a reset), for saving them */
  onJobsChanged?: (jobs: SimJob[]) => void;
}

/** A request the simulator received; the token's value is never kept. */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** parsed JSON when it was JSON, else the raw text; undefined when empty */
  body: unknown;
  origin?: string;
  /** the status answered; 0 when the connection was dropped on purpose */
  status: number;
}

export interface Simulator {
  /** the base endpoint URL, with trailing slash: paste it as EVENTS_API_ENDPOINT */
  readonly url: string;
  readonly port: number;
  readonly calls: readonly RecordedCall[];
  startCalls(): RecordedCall[];
  statusCalls(): RecordedCall[];
  readonly faults: readonly Fault[];
  setVariant(variant: StatusVariant): void;
  /** for jobs started from now on */
  setOutcome(outcome: SimOutcome, failedCount?: number): void;
  /** for new jobs and the running one, which continues from where it is */
  setSpeed(registrationsPerSecond: number): void;
  /** for jobs started from now on */
  setRegistrations(count: number): void;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  currentJob(): SimJobView | undefined;
  /** every job since the last reset, oldest first */
  jobs(): SimJobView[];
  /** the same jobs as stored, for saving (simState.ts) */
  savedJobs(): SimJob[];
  /** back to the options given at start: no job, no calls, no faults */
  reset(): void;
  close(): Promise<void>;
}

interface Settings {
  registrations: number;
  speed: number;
  outcome: SimOutcome;
  failedCount?: number;
  failEvery?: number;
  queueMs: number;
  variant: StatusVariant;
}

function initialSettings(o: SimulatorOptions): Settings {
  return {
    registrations: o.registrations ?? 300,
    speed: o.speed ?? 50,
    outcome: o.outcome ?? 'completed',
    failedCount: o.failedCount,
    failEvery: o.failEvery,
    queueMs: o.queueMs ?? 0,
    variant: o.variant ?? 'flat',
  };
}

/** The settings a new job is created with. */
function jobSettings(s: Settings): SimJobSettings {
  const failing = s.failEvery !== undefined && s.failEvery > 0;
  const outcome = s.outcome === 'completed' && failing ? 'completed_with_errors' : s.outcome;
  const defaultFailed = failing
    ? Math.floor(s.registrations / s.failEvery!)
    : Math.max(1, Math.floor(s.registrations / 50));
  return {
    total: s.registrations,
    speed: s.speed,
    outcome,
    failedCount: Math.min(s.registrations, s.failedCount ?? defaultFailed),
    queueMs: s.queueMs,
  };
}

function normaliseBasePath(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
}

function parseMaybeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function queryWithoutToken(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = k.toLowerCase() === TOKEN_PARAM.toLowerCase() ? '***' : v;
  return out;
}

const jsonAnswer = (status: number, value: unknown): SimAnswer => ({ status, body: JSON.stringify(value) });

/** What a fault does to the answer; undefined when the request goes on normally. */
function faultAnswer(fault: Fault | undefined): SimAnswer | 'hangup' | undefined {
  switch (fault?.kind) {
    case undefined:
    case 'slow':
      return undefined;
    case 'hangup':
      return 'hangup';
    case 'status5xx':
    case 'start5xx':
      return jsonAnswer(fault.code ?? 503, { message: 'The service is temporarily unavailable.' });
    case '429':
      return jsonAnswer(429, { message: 'Too many requests.', retryAfterSec: fault.retryAfterSec ?? 1 });
    case 'malformed':
      return { status: 200, body: '{"status": "Runn' };
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? DEFAULT_SIM_TOKEN;
  const basePath = normaliseBasePath(
    options.basePath ?? `/api/v1.0/orgs/${options.orgId ?? DEFAULT_ORG_ID}/eventmanagement/`,
  );
  const routes: Record<string, { route: SimRoute; method: string }> = {
    [`${basePath}obmMigration/start`]: { route: 'start', method: 'POST' },
    [`${basePath}obmMigration/status`]: { route: 'status', method: 'GET' },
  };
  const now = () => (options.clock ?? Date).now();
  let settings = initialSettings(options);
  const state: ServiceState = { token, variant: settings.variant, jobs: [...(options.jobs ?? [])] };
  const changed = () => options.onJobsChanged?.([...state.jobs]);
  const calls: RecordedCall[] = [];
  const faults = new FaultQueue();
  const pauses = cancellablePauses();

  function send(res: ServerResponse, call: RecordedCall, answer: SimAnswer, retryAfter?: number | string): void {
    call.status = answer.status;
    const headers: Record<string, string> = {};
    if (answer.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    options.log?.(`${call.method} ${call.path} -> ${answer.status}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const bodyText = await readBody(req, MAX_BODY_BYTES);
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryWithoutToken(url.searchParams),
      body: parseMaybeJson(bodyText),
      origin: req.headers.origin,
      status: 0,
    };
    calls.push(call);
    const target = routes[url.pathname];
    if (!target) return send(res, call, jsonAnswer(404, { message: 'Resource not found.' }));
    if (req.method !== target.method) return send(res, call, jsonAnswer(405, { message: 'Method not allowed.' }));

    const { slow, other } = faults.take(target.route);
    if (slow) await pauses.pause(slow.ms);
    const faulted = faultAnswer(other);
    if (faulted === 'hangup') {
      options.log?.(`${call.method} ${call.path} -> connection dropped (fault)`);
      req.socket.destroy();
      return;
    }
    if (faulted) return send(res, call, faulted, other?.kind === '429' ? (other.retryAfterSec ?? 1) : undefined);

    const refused = checkToken(token, url.searchParams.get(TOKEN_PARAM));
    if (refused) return send(res, call, refused);
    const before = state.jobs.length;
    const answer =
      target.route === 'start'
        ? handleStart(state, bodyText, jobSettings(settings), now())
        : handleStatus(state, now());
    // A start that replaced a running job changes that job too (stopped); either way the list grew.
    if (state.jobs.length !== before) changed();
    send(res, call, answer);
  }

  const server: Server = createServer(guarded(handle));
  const port = await listen(server, options.port, host);

  return {
    url: `http://${urlHost(host)}:${port}${basePath}`,
    port,
    calls,
    startCalls: () => calls.filter((c) => c.path.endsWith('/obmMigration/start')),
    statusCalls: () => calls.filter((c) => c.path.endsWith('/obmMigration/status')),
    get faults() {
      return faults.active;
    },
    setVariant: (variant) => {
      settings.variant = variant;
      state.variant = variant;
    },
    setOutcome: (outcome, failedCount) => {
      settings.outcome = outcome;
      settings.failedCount = failedCount;
    },
    setSpeed: (speed) => {
      settings.speed = speed;
      const job = currentJob(state);
      if (job) {
        replaceCurrent(state, changeSpeed(job, speed, now()));
        changed();
      }
    },
    setRegistrations: (count) => {
      settings.registrations = count;
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    currentJob: () => currentView(state, now()),
    jobs: () => state.jobs.map((job) => viewJob(job, now())),
    savedJobs: () => [...state.jobs],
    reset: () => {
      settings = initialSettings(options);
      state.variant = settings.variant;
      state.jobs = [];
      calls.length = 0;
      faults.clear();
      changed();
    },
    close: async () => {
      pauses.cancel();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

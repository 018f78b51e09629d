/**
 * The Events API client against the simulator over real HTTP on loopback. Both sides run on fake clocks:
 * the simulator's decides how far a job has got, the client's is moved by its injected sleep.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createEventsApiClient, type EventsApiClient, type EventsApiClientOptions } from '../../../src/events-api';
import { EventsApiError } from '../../../src/migration/types';
import { startSimulator, STATUS_VARIANTS, type Simulator } from '../../../src/sim';
import { captureLogger, type CaptureLogger } from '../../helpers/captureLogger';

const TOKEN = 'S3cret+Tok/en=42';
const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';

let sim: Simulator;
let simNow = Date.parse('2026-03-01T08:00:00Z');
const simClock = { now: () => simNow };
const clients: EventsApiClient[] = [];

interface Harness {
  api: EventsApiClient;
  log: CaptureLogger;
  sleeps: number[];
}

function client(overrides: Partial<EventsApiClientOptions> = {}): Harness {
  const log = captureLogger();
  const sleeps: number[] = [];
  let now = Date.parse('2026-03-01T08:00:00Z');
  const api = createEventsApiClient({
    endpoint: sim.url,
    token: TOKEN,
    logger: log,
    random: () => 0.5,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    ...overrides,
  });
  clients.push(api);
  return { api, log, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<EventsApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EventsApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startSimulator({ token: TOKEN, clock: simClock, registrations: 100, speed: 10 });
});
afterEach(async () => {
  sim.reset();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await sim.close();
});

describe('status in every shape the simulator speaks', () => {
  const understood = STATUS_VARIANTS.filter((v) => v !== 'odd');
  const carriesErrors = (v: string) => v !== 'percent' && v !== 'summary';

  it.each(understood)('%s: no job, then queued/running with counts, then each ending', async (variant) => {
    const { api } = client();
    for (const outcome of ['completed', 'completed_with_errors', 'failed'] as const) {
      sim.reset();
      sim.setVariant(variant);
      sim.setOutcome(outcome, 4);
      expect((await api.status()).state).toBe('no_job');

      await api.start(FROM, TO, { stopExistingIfJobRunning: false });
      simNow += 3_000;
      const running = await api.status();
      expect(running.state).toBe('running');
      if (variant === 'percent') {
        expect(running.percent).toBe(30);
      } else {
        // processed counts migrated registrations; failed ones are counted apart
        expect(running).toMatchObject({ total: 100 });
        expect(running.processed! + (running.failed ?? 0)).toBe(30);
        expect(running.fromEventId ?? FROM).toBe(FROM);
        expect(running.toEventId ?? TO).toBe(TO);
      }

      simNow += 60_000;
      const end = await api.status();
      expect(end.state).toBe(outcome);
      if (variant !== 'percent') {
        const failed = outcome === 'completed_with_errors' ? 4 : 0;
        expect(end).toMatchObject({ processed: (outcome === 'failed' ? 50 : 100) - failed, total: 100, failed });
      }
      if (outcome !== 'completed' && carriesErrors(variant)) expect(end.errors.length).toBeGreaterThan(0);
    }
  });

  it('reads a shape it does not understand as unknown, with the body kept for the audit trail', async () => {
    const { api } = client();
    sim.setVariant('odd');
    await api.start(FROM, TO, { stopExistingIfJobRunning: false });
    simNow += 1_000_000;
    const reading = await api.status();
    expect(reading.state).toBe('unknown');
    expect(reading.rawSummary).toContain('"phase"');
  });

  it('reads malformed JSON as unknown rather than an error', async () => {
    const { api } = client();
    sim.injectFault({ kind: 'malformed', times: 1 });
    const reading = await api.status();
    expect(reading).toMatchObject({ state: 'unknown', httpStatus: 200 });
    expect(sim.statusCalls()).toHaveLength(1);
  });
});

describe('requests', () => {
  it('sends the same requests whether the endpoint has a trailing slash or not', async () => {
    const withSlash = client({ endpoint: sim.url });
    const without = client({ endpoint: sim.url.replace(/\/$/, '') });
    await withSlash.api.status();
    await without.api.status();
    const [a, b] = sim.calls;
    expect(a.path).toMatch(/\/eventmanagement\/obmMigration\/status$/);
    expect(b).toEqual(a);
  });

  it('sends the ids as JSON and the replace flag only when asked', async () => {
    const { api } = client();
    await api.start(FROM, TO, { stopExistingIfJobRunning: false });
    await api.start(OTHER, TO, { stopExistingIfJobRunning: true });
    expect(sim.startCalls().map((c) => c.body)).toEqual([
      { fromEventId: FROM, toEventId: TO },
      { fromEventId: OTHER, toEventId: TO, stopExistingIfJobRunning: true },
    ]);
    expect(sim.jobs().map((j) => j.state)).toEqual(['stopped', 'running']);
  });

  it('passes the token as emApplicationtoken and sends Origin only when configured', async () => {
    await client().api.status();
    await client({ origin: 'https://events.contoso.com' }).api.status();
    expect(sim.calls.map((c) => c.origin)).toEqual([undefined, 'https://events.contoso.com']);
    expect(sim.calls[0].query).toEqual({ emApplicationtoken: '***' });
  });
});

describe('errors a user can act on', () => {
  it('a wrong token: 401, not retried, names the setting to fix', async () => {
    const { api } = client({ token: 'wrong' });
    const error = await failure(api.status());
    expect(error).toMatchObject({ kind: 'unauthorized', httpStatus: 401, attempts: 1 });
    expect(error.message).toContain('EVENTS_API_TOKEN');
    expect(error.message).toContain('Settings > Event management > Web Applications');
    expect(sim.calls).toHaveLength(1);
  });

  it('a job already running: 409, not retried, says how to replace it', async () => {
    const { api } = client();
    await api.start(FROM, TO, { stopExistingIfJobRunning: false });
    const error = await failure(api.start(OTHER, TO, { stopExistingIfJobRunning: false }));
    expect(error).toMatchObject({ kind: 'job_running', httpStatus: 409, attempts: 1 });
    expect(error.message).toContain("Tick 'replace a running migration'");
    expect(sim.startCalls()).toHaveLength(2);
  });

  it('bad ids: 400, not retried, with the service message', async () => {
    const { api } = client();
    const error = await failure(api.start(FROM, FROM, { stopExistingIfJobRunning: false }));
    expect(error).toMatchObject({ kind: 'bad_request', httpStatus: 400, attempts: 1 });
    expect(error.message).toContain('must be different');
  });

  it('a wrong endpoint: 404, names EVENTS_API_ENDPOINT', async () => {
    const { api } = client({ endpoint: sim.url.replace('/eventmanagement/', '/events/') });
    const error = await failure(api.status());
    expect(error).toMatchObject({ kind: 'not_found', httpStatus: 404, attempts: 1 });
    expect(error.message).toContain('EVENTS_API_ENDPOINT');
  });

  it('a start retried after a timeout that meets its own job says so instead of blaming another run', async () => {
    sim.injectFault({ kind: 'slow', ms: 300, on: 'start', times: 1 });
    const { api } = client({
      requestTimeoutMs: 100,
      // a real wait, so the first (slow) attempt lands before the retry arrives
      sleep: () => new Promise((resolve) => setTimeout(resolve, 400)),
    });
    const error = await failure(api.start(FROM, TO, { stopExistingIfJobRunning: false }));
    expect(error.kind).toBe('job_running');
    expect(error.message).toContain('An earlier try of this same start may have reached the service');
    expect(sim.jobs()).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries 503 and 502 on status and then reads the answer', async () => {
    const { api, log, sleeps } = client();
    sim.injectFault({ kind: 'status5xx', code: 503, times: 1 });
    sim.injectFault({ kind: 'status5xx', code: 502, times: 1 });
    expect((await api.status()).state).toBe('no_job');
    expect(sim.statusCalls().map((c) => c.status)).toEqual([503, 502, 200]);
    expect(sleeps).toEqual([250, 500]);
    expect(log.at('warn')).toHaveLength(2);
    expect(log.at('debug').filter((l) => (l.msg ?? '').includes('attempt'))).toHaveLength(3);
  });

  it('retries a start that met a 504 and a dropped connection', async () => {
    const { api } = client();
    sim.injectFault({ kind: 'start5xx', code: 504, times: 1 });
    sim.injectFault({ kind: 'hangup', on: 'start', times: 1 });
    await expect(api.start(FROM, TO, { stopExistingIfJobRunning: false })).resolves.toMatchObject({ httpStatus: 202 });
    expect(sim.startCalls().map((c) => c.status)).toEqual([504, 0, 202]);
  });

  it('does not retry a 500', async () => {
    const { api } = client();
    sim.injectFault({ kind: 'status5xx', code: 500 });
    const error = await failure(api.status());
    expect(error).toMatchObject({ kind: 'unavailable', httpStatus: 500, attempts: 1 });
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { api, sleeps } = client();
    sim.injectFault({ kind: '429', retryAfterSec: 7, on: 'status', times: 1 });
    sim.injectFault({ kind: '429', retryAfterSec: 'Sun, 01 Mar 2026 08:00:19 GMT', on: 'status', times: 1 });
    await api.status();
    expect(sleeps).toEqual([7000, 12_000]);
  });

  it('stops after maxAttempts and says how many tries over how long', async () => {
    const { api, sleeps } = client();
    sim.injectFault({ kind: 'status5xx', code: 503 });
    const error = await failure(api.status());
    expect(error).toMatchObject({ kind: 'unavailable', httpStatus: 503, attempts: 5 });
    expect(sim.statusCalls()).toHaveLength(5);
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
    expect(error.message).toBe('The Events API was unavailable after 5 tries over 4 s (last: 503).');
  });

  it('stops when the next wait would overrun the time budget', async () => {
    const { api, sleeps } = client({ retry: { maxTotalMs: 10_000 } });
    sim.injectFault({ kind: '429', retryAfterSec: 4, on: 'both' });
    const error = await failure(api.start(FROM, TO, { stopExistingIfJobRunning: false }));
    expect(sleeps).toEqual([4000, 4000]);
    expect(sim.startCalls()).toHaveLength(3);
    expect(error.message).toBe('The Events API was unavailable after 3 tries over 8 s (last: 429).');
  });

  it('retries a timeout and a refused connection', async () => {
    sim.injectFault({ kind: 'slow', ms: 500, on: 'status', times: 1 });
    const slow = client({ requestTimeoutMs: 100 });
    await expect(slow.api.status()).resolves.toMatchObject({ state: 'no_job' });
    expect(slow.log.at('warn')[0].obj).toMatchObject({ last: 'timeout' });

    const closed = await startSimulator();
    const url = closed.url;
    await closed.close();
    const refused = client({ endpoint: url, retry: { maxAttempts: 2 } });
    const error = await failure(refused.api.status());
    expect(error.message).toBe('The Events API was unavailable after 2 tries over 0 s (last: connection refused).');
  });
});

describe('the token stays secret', () => {
  it('appears in no log line, error message or thrown object, whatever happens', async () => {
    const { api, log } = client({ origin: 'https://x.example' });
    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));

    sim.injectFault({ kind: 'status5xx', code: 503, times: 2 });
    sim.injectFault({ kind: '429', retryAfterSec: 1, on: 'start', times: 1 });
    sim.injectFault({ kind: 'hangup', on: 'status', times: 1 });
    await collect(api.status());
    await collect(api.start(FROM, TO, { stopExistingIfJobRunning: false }));
    await collect(api.start(FROM, TO, { stopExistingIfJobRunning: false }));
    await collect(api.start(FROM, FROM, { stopExistingIfJobRunning: false }));
    sim.injectFault({ kind: 'status5xx', code: 503 });
    await collect(api.status());
    const wrongToken = client({ token: `${TOKEN}x`, logger: log });
    await collect(wrongToken.api.status());

    expect(errors).toHaveLength(4);
    expect(log.lines.length).toBeGreaterThan(10);
    const everything = [
      log.text(),
      ...errors.map((e) => JSON.stringify(e)),
      ...errors.map((e) => `${(e as Error).message} ${(e as Error).stack}`),
    ].join('\n');
    for (const form of [TOKEN, encodeURIComponent(TOKEN), 'S3cret']) expect(everything).not.toContain(form);
    expect(log.text()).toContain('emApplicationtoken=***');
  });

  it('stays out of a real pino logger at debug level', async () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        written += chunk.toString();
        done();
      },
    });
    const { api } = client({ logger: pino({ level: 'debug' }, sink) });
    sim.injectFault({ kind: 'status5xx', code: 503, times: 1 });
    await api.status();
    await api.start(FROM, TO, { stopExistingIfJobRunning: false });
    expect(written.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(5);
    expect(written).not.toContain(encodeURIComponent(TOKEN));
    expect(written).not.toContain(TOKEN);
  });
});

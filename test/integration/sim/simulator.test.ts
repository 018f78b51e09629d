/** The simulator over real HTTP, driven as curl or the client would drive it. */
import { startSimulator, STATUS_VARIANTS, type Simulator } from '../../../src/sim';

const FROM = 'AAAAAAAA-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';

let sim: Simulator;
let now = Date.parse('2026-03-01T08:00:00Z');

async function call(route: 'start' | 'status', body?: unknown, token: string | null = 'dev-token') {
  const q = token === null ? '' : `?emApplicationtoken=${encodeURIComponent(token)}`;
  const res = await fetch(`${sim.url}obmMigration/${route}${q}`, {
    method: route === 'start' ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: readJson(text) };
}

function readJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const start = (from = FROM, to = TO, extra: object = {}) =>
  call('start', { fromEventId: from, toEventId: to, ...extra });

beforeAll(async () => {
  sim = await startSimulator({ clock: { now: () => now }, registrations: 200, speed: 20 });
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

describe('start', () => {
  it('accepts a start with 202 and runs the job', async () => {
    const res = await start();
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ fromEventId: FROM.toLowerCase(), toEventId: TO });
    now += 2_000;
    expect(sim.currentJob()).toMatchObject({ state: 'running', processed: 40, total: 200 });
  });

  it('refuses a second start while one runs with 409, then replaces it when asked', async () => {
    await start();
    const refused = await start(OTHER, TO);
    expect(refused.status).toBe(409);
    expect(String(refused.json?.message)).toMatch(/^A migration job is already running/);

    const replaced = await start(OTHER, TO, { stopExistingIfJobRunning: true });
    expect(replaced.status).toBe(202);
    expect(sim.jobs().map((j) => [j.fromEventId, j.state])).toEqual([
      [FROM.toLowerCase(), 'stopped'],
      [OTHER, 'running'],
    ]);
  });

  it('accepts a new start once the previous job has ended', async () => {
    await start();
    now += 60_000;
    expect((await start(OTHER, TO)).status).toBe(202);
  });

  it.each([
    ['equal ids', { fromEventId: TO, toEventId: TO.toUpperCase() }, /must be different/],
    ['a missing id', { fromEventId: FROM }, /toEventId must be the GUID/],
    ['a non-GUID id', { fromEventId: 'event-1', toEventId: TO }, /fromEventId must be the GUID/],
    ['a body that is not JSON', 'fromEventId=1', /must be JSON/],
  ])('answers 400 with a message for %s', async (_name, body, message) => {
    const res = await call('start', body);
    expect(res.status).toBe(400);
    expect(String(res.json?.message)).toMatch(message);
    expect(sim.currentJob()).toBeUndefined();
  });

  it('answers 400 without a token and 401 with a wrong one, and never records the value', async () => {
    expect((await call('status', undefined, null)).status).toBe(400);
    const res = await call('status', undefined, 'not-the-token');
    expect(res.status).toBe(401);
    expect(res.json?.message).toBe('The application token is not valid.');
    expect(JSON.stringify(sim.calls)).not.toContain('not-the-token');
  });

  it('answers 404 off the base path and 405 for the wrong method', async () => {
    expect((await fetch(`${sim.url}obmMigration/stop?emApplicationtoken=dev-token`)).status).toBe(404);
    expect((await fetch(`${sim.url}obmMigration/start?emApplicationtoken=dev-token`)).status).toBe(405);
  });
});

describe('status', () => {
  it('answers each outcome at the end of the job', async () => {
    for (const outcome of ['completed', 'completed_with_errors', 'failed'] as const) {
      sim.reset();
      sim.setOutcome(outcome, 5);
      await start();
      now += 2_500;
      const running = (await call('status')).json!;
      expect(running).toMatchObject({ status: 'Running', total: 200 });
      expect(Number(running.processed) + Number(running.failed)).toBe(50);
      now += 10_000;
      const end = (await call('status')).json!;
      expect(end.status).toBe(
        { completed: 'Completed', completed_with_errors: 'CompletedWithErrors', failed: 'Failed' }[outcome],
      );
      expect(end.failed).toBe(outcome === 'completed_with_errors' ? 5 : 0);
      expect(Number(end.processed) + Number(end.failed)).toBe(outcome === 'failed' ? 100 : 200);
      expect(typeof end.completedOn).toBe('string');
    }
  });

  it('counts failEvery failures into a completed-with-errors job', async () => {
    const failing = await startSimulator({ clock: { now: () => now }, registrations: 100, speed: 100, failEvery: 10 });
    const res = await fetch(`${failing.url}obmMigration/start?emApplicationtoken=dev-token`, {
      method: 'POST',
      body: JSON.stringify({ fromEventId: FROM, toEventId: TO }),
    });
    expect(res.status).toBe(202);
    now += 2_000;
    expect(failing.currentJob()).toMatchObject({ state: 'completed_with_errors', failed: 10 });
    await failing.close();
  });

  it('answers "no job" in the manner of each variant', async () => {
    const answers: Record<string, number> = {};
    for (const v of STATUS_VARIANTS) {
      sim.setVariant(v);
      answers[v] = (await call('status')).status;
    }
    expect(answers).toEqual({
      flat: 200,
      nested: 204,
      percent: 404,
      strings: 200,
      registrations: 200,
      result: 404,
      summary: 200,
      odd: 200,
    });
  });

  it('speeds up a running job on setSpeed', async () => {
    sim.setSpeed(1);
    await start();
    now += 10_000;
    sim.setSpeed(1000);
    now += 180;
    expect(sim.currentJob()).toMatchObject({ state: 'running', processed: 200 - 10 });
    now += 10;
    expect(sim.currentJob()?.state).toBe('completed');
  });
});

describe('faults', () => {
  it('answers 5xx the given number of times, then normally', async () => {
    sim.injectFault({ kind: 'status5xx', code: 502, times: 2 });
    expect((await call('status')).status).toBe(502);
    expect(sim.faults).toEqual([{ kind: 'status5xx', code: 502, times: 1 }]);
    expect((await call('status')).status).toBe(502);
    expect((await call('status')).status).toBe(200);
    expect(sim.faults).toEqual([]);
  });

  it('answers 429 with Retry-After only on the route asked', async () => {
    sim.injectFault({ kind: '429', retryAfterSec: 3, on: 'start', times: 1 });
    expect((await call('status')).status).toBe(200);
    const res = await start();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('answers malformed JSON, drops connections, and answers slowly', async () => {
    sim.injectFault({ kind: 'malformed', times: 1 });
    const bad = await call('status');
    expect(() => JSON.parse(bad.text)).toThrow();

    sim.injectFault({ kind: 'hangup', times: 1 });
    await expect(call('status')).rejects.toThrow();

    sim.injectFault({ kind: 'slow', ms: 150, on: 'status', times: 1 });
    const began = Date.now();
    expect((await call('status')).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
  });

  it('forgets faults, calls and jobs on reset', async () => {
    sim.injectFault({ kind: 'status5xx' });
    await start();
    sim.reset();
    expect([sim.faults, sim.calls, sim.currentJob()]).toEqual([[], [], undefined]);
    expect((await call('status')).json).toEqual({ status: 'None' });
  });
});

describe('paths', () => {
  it('serves under a custom base path and org id', async () => {
    const other = await startSimulator({ orgId: 'org-42', token: 't' });
    expect(other.url).toBe(`http://127.0.0.1:${other.port}/api/v1.0/orgs/org-42/eventmanagement/`);
    const custom = await startSimulator({ basePath: 'custom/em' });
    expect(custom.url).toMatch(/\/custom\/em\/$/);
    const res = await fetch(`${custom.url}obmMigration/status?emApplicationtoken=dev-token`);
    expect(res.status).toBe(200);
    await Promise.all([other.close(), custom.close()]);
  });
});

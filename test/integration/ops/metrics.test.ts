import { startHarness, type Harness } from '../../helpers/botHarness';
import { approve, request, requestAndApprove, untilDelivered, untilState } from '../../helpers/flow';

/** What an operator scrapes: a listener of its own, counters that move as a job runs, gauges read from the store. */

const APP_PASSWORD = 'canary-app-password-0123';
const TOKEN = 'dev-token';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { METRICS_PORT: '0', MicrosoftAppPassword: APP_PASSWORD },
    sim: { registrations: 1500, speed: 1000 },
  });
});
afterAll(async () => {
  await h.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(h.app.metrics!.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample, 0 when absent. */
function value(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`event_migration_bot_${name}${labels} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

it('listens on its own port, on loopback, and answers only /metrics', async () => {
  const metrics = new URL(h.app.metrics!.url);
  expect(metrics.hostname).toBe('127.0.0.1');
  expect(Number(metrics.port)).not.toBe(h.app.server.port);
  expect((await fetch(`${h.app.server.url}/metrics`)).status).toBe(404);
  expect((await fetch(`${metrics.origin}/api/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
  expect((await fetch(metrics.href, { method: 'POST' })).status).toBe(405);
});

it('counters move as a job runs: a start, status calls, sends and a 429 from the connector; gauges from the store', async () => {
  const before = await scrape();
  expect(value(before, 'jobs', '{state="running"}')).toBe(0);
  expect(before).toContain('event_migration_bot_process_cpu_user_seconds_total');
  expect(before).toContain('# TYPE event_migration_bot_status_call_duration_seconds histogram');

  const r = await request(h);
  // the next send to the connector, the card redrawn after the approval, is throttled once
  h.connector.inject({ status: 429, times: 1, code: 'Throttled' });
  await approve(h, r);
  await untilState(h, r.jobId, ['running']);
  const during = await scrape();
  expect(value(during, 'jobs', '{state="running"}')).toBe(1);
  const age = value(during, 'last_status_read_age_seconds', `{job_id="${r.jobId}"}`);
  expect(during).toContain(`event_migration_bot_last_status_read_age_seconds{job_id="${r.jobId}"}`);
  expect(age).toBeGreaterThanOrEqual(0);
  expect(age).toBeLessThan(10);

  await untilState(h, r.jobId, ['completed']);
  await untilDelivered(h, r.jobId);
  const after = await scrape();
  expect(value(after, 'start_calls_total', '{outcome="accepted"}')).toBe(1);
  expect(value(after, 'status_calls_total', '{outcome="answered"}')).toBeGreaterThan(
    value(before, 'status_calls_total', '{outcome="answered"}'),
  );
  expect(value(after, 'status_call_duration_seconds_count')).toBeGreaterThan(0);
  expect(value(after, 'connector_sends_total', '{outcome="ok"}')).toBeGreaterThan(0);
  expect(value(after, 'connector_sends_total', '{outcome="throttled"}')).toBe(1);
  expect(value(after, 'jobs', '{state="completed"}')).toBe(1);
  expect(value(after, 'jobs', '{state="running"}')).toBe(0);
  expect(value(after, 'outbox_notices')).toBe(0);
  expect(value(after, 'outbox_oldest_notice_age_seconds')).toBe(0);
  // no job runs: no age to report, so an alert on it cannot fire on an idle bot
  expect(after).not.toMatch(/^event_migration_bot_last_status_read_age_seconds[{ ]/m);
}, 30_000);

it('a notice that cannot be delivered shows in the outbox gauges', async () => {
  const r = await requestAndApprove(h, { from: '33333333-3333-4333-8333-333333333333' });
  await untilState(h, r.jobId, ['completed']);
  await untilDelivered(h, r.jobId);
  // a notice left behind by a delivery that keeps failing
  const job = (await h.app.store.getJob(r.jobId))!;
  const queuedAt = new Date(Date.now() - 120_000).toISOString();
  await h.app.store.update(r.jobId, {
    outbox: [{ id: 'stuck', kind: 'start_result', inThread: true, queuedAt }],
    version: job.version,
  });
  const text = await scrape();
  expect(value(text, 'outbox_notices')).toBe(1);
  expect(value(text, 'outbox_oldest_notice_age_seconds')).toBeGreaterThanOrEqual(119);
});

it('shows no secret: neither the Events API token nor the app password', async () => {
  const text = await scrape();
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(APP_PASSWORD);
  expect(text).not.toContain('emApplicationtoken');
});

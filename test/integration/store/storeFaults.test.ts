import path from 'node:path';
import Database from 'better-sqlite3';
import { environmentKey } from '../../../src/events-api';
import { eventually, FROM_EVENT, startHarness, TO_EVENT, type Harness } from '../../helpers/botHarness';

/**
 * The store on a bad day, seen through the bot's HTTP: another process holding the write lock, writes the
 * database refuses, and a row the bot cannot read.
 */

const timed = async (url: string) => {
  const began = Date.now();
  const res = await fetch(url);
  await res.text();
  return { status: res.status, ms: Date.now() - began };
};

/** A second connection to the bot's database file, as another process (a backup tool, an operator) would have. */
function intruder(h: Harness): Database.Database {
  return new Database(path.join(h.dir, 'bot.db'));
}

describe('another writer holding the SQLite write lock', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ overrides: { storeBusyTimeoutMs: 1500 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('does not block the process: /healthz answers at once while a turn waits, and the turn then completes', async () => {
    const other = intruder(h);
    other.exec('BEGIN IMMEDIATE');
    const turn = h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`);
    await new Promise((r) => setTimeout(r, 100)); // the turn is now waiting for the lock
    const probes = [];
    for (let i = 0; i < 5; i++) {
      probes.push(await timed(`${h.url}/healthz`));
      await new Promise((r) => setTimeout(r, 100));
    }
    other.exec('COMMIT');
    other.close();
    expect(await turn).toBe(200);
    expect(probes.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    // Typically a few ms (the 100 ms); the bound is generous for a loaded CI machine, and still far below
    // what a thread blocked on the lock costs (the whole busy wait, 1.5 s and more).
    expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(500);
    expect(h.connector.cards()).toHaveLength(1);
  });

  it('a turn that waits too long is told the bot is busy and to try again; nothing was created', async () => {
    const other = intruder(h);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`)).toBe(200);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    const texts = h.connector.texts();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/database is busy.*try again/i);
    expect(h.connector.cards()).toHaveLength(0);
    expect(await h.app.store.listJobs(environmentKey(h.sim.url), 10)).toEqual([]);
  });
});

describe('writes the database refuses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('/readyz says 503 while writes fail and 200 once one succeeds again; the user is told nothing was started', async () => {
    expect((await timed(`${h.url}/readyz`)).status).toBe(200);
    const other = intruder(h);
    // From outside, the way a full disk or an unwritable file would: every new job is refused by the database.
    other.exec(`CREATE TRIGGER refuse_jobs BEFORE INSERT ON jobs BEGIN SELECT * FROM no_such_table; END;`);
    expect(await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`)).toBe(200);
    expect(h.connector.texts().at(-1)).toMatch(/cannot save anything right now.*nothing was started/i);
    await eventually(async () => (await timed(`${h.url}/readyz`)).status === 503, 'readyz 503', 5000);
    const body = await (await fetch(`${h.url}/readyz`)).json();
    expect(JSON.stringify(body)).toMatch(/last write failed/);
    expect((await timed(`${h.url}/healthz`)).status).toBe(200);

    other.exec('DROP TRIGGER refuse_jobs');
    other.close();
    h.connector.clear();
    expect(await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`)).toBe(200);
    expect(h.connector.cards()).toHaveLength(1);
    await eventually(async () => (await timed(`${h.url}/readyz`)).status === 200, 'readyz 200', 10_000);
    expect(h.sim.calls).toEqual([]);
  });
});

describe('a stored job the bot cannot read', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('is skipped with a log line; status, history and migrate keep working for everyone', async () => {
    const other = intruder(h);
    const at = new Date().toISOString();
    other
      .prepare(
        `INSERT INTO jobs (id, environment, state, from_event_id, to_event_id, requested_at, updated_at, version,
                           pending_notify, data)
         VALUES ('broken-job', ?, 'running', ?, ?, ?, ?, 1, 0, 'this is not JSON')`,
      )
      .run(environmentKey(h.sim.url), FROM_EVENT, TO_EVENT, at, at);
    other.close();

    await h.say('status');
    await h.say('history');
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`);
    const texts = h.connector.texts();
    expect(texts.join('\n')).not.toMatch(/something went wrong|cannot save/i);
    expect(h.connector.cards()).toHaveLength(1);
    expect(h.logs()).toMatch(/skipped a stored job that cannot be read.*|broken-job/);
    expect(h.logs()).toContain('"jobId":"broken-job"');
  });
});

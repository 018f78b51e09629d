import { StoreUnavailableError } from '../../../src/migration/storeUnavailable';
import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { WriteHealth } from '../../../src/store/writeHealth';
import { nextJob } from '../../helpers/jobs';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgresServer';
import { describePostgres, onServer, POSTGRES, type TestDatabase } from '../../helpers/testDatabases';
import { audit, useTempDatabase } from './tempStore';

/** What only the PostgreSQL store has: a server apart from the bot, TLS, a schema shared by replicas. */

const eventually = async (check: () => boolean, withinMs: number): Promise<void> => {
  const began = Date.now();
  while (!check()) {
    if (Date.now() - began > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describePostgres('the store on a shared server', () => {
  const current = useTempDatabase(POSTGRES);
  let db: TestDatabase;
  beforeEach(() => {
    db = current();
  });

  it('four replicas starting at once on an empty database all open it, and the schema is made once', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(db.url)));
    try {
      const job = nextJob();
      await stores[0].createJob(job, audit());
      for (const store of stores) expect((await store.getJob(job.id))?.id).toBe(job.id);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    const again = await openStore(db.url); // a later start finds nothing to do
    await again.close();
  });

  it('refuses a database written by a newer bot', async () => {
    await (await openStore(db.url)).close();
    await onServer(db.url, 'UPDATE schema_version SET version = 999');
    await expect(openStore(db.url)).rejects.toThrow(/schema version 999, newer than this bot knows/);
  });

  it('says which stored job is unreadable instead of handing on a broken one', async () => {
    const store = await openStore(db.url);
    try {
      const job = nextJob();
      await store.createJob(job, audit());
      await onServer(db.url, `UPDATE jobs SET data = '{"id":1}' WHERE id = '${job.id}'`);
      await expect(store.getJob(job.id)).rejects.toThrow(`stored job ${job.id} cannot be read`);
      expect(await store.jobsInStates(['pending_approval'])).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('with sslmode=require, refuses a server without TLS instead of talking in plain text', async () => {
    const url = new URL(db.url);
    url.searchParams.set('sslmode', 'require');
    await expect(openStore(url.toString())).rejects.toThrow(/cannot open the PostgreSQL database: .*SSL/i);
    url.searchParams.set('sslmode', 'disable');
    const plain = await openStore(url.toString());
    await plain.close();
  });
});

describePostgres('a database that goes away and comes back', () => {
  let server: TestPostgres;
  let store: JobStore;
  let health: WriteHealth;

  beforeAll(async () => {
    server = await startTestPostgres();
  }, 30_000);
  afterAll(() => server?.stop());
  beforeEach(async () => {
    health = new WriteHealth();
    store = await openStore(server.url, { writeHealth: health });
  });
  afterEach(async () => {
    await store.close();
  });

  it('is not ready within 2 s of the database stopping, refuses work as unavailable, and is ready again once it is back with nothing lost', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    expect(health.problems()).toEqual([]);

    server.halt();
    await eventually(() => health.problems().length > 0, 2000);
    await expect(store.transition(job.id, ['pending_approval'], 'cancelled', {}, audit())).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect((await store.getJob(job.id).catch((e: unknown) => e)) instanceof StoreUnavailableError).toBe(true);

    server.resume();
    await eventually(() => health.problems().length === 0, 5000);
    expect((await store.getJob(job.id))?.state).toBe('pending_approval');
    const moved = await store.transition(job.id, ['pending_approval'], 'cancelled', {}, audit());
    expect(moved.ok).toBe(true);
  }, 30_000);
});

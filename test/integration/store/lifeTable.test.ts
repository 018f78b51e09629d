import Database from 'better-sqlite3';
import { Client } from 'pg';
import { ACTIVE_STATES, ALL_STATES, type JobState } from '../../../src/migration/lifecycle';
import { openStore } from '../../../src/store/openStore';
import { ALICE, nextJob } from '../../helpers/jobs';
import { describeEachStore, type StoreKind, type TestDatabase } from '../../helpers/testDatabases';
import { audit, useTempStore } from './tempStore';

/** The store follows the job's life table: its one-active index names the table's slot-holding states. */

/** the definition of the one-active index, as the database holds it */
async function activeIndexSql(kind: StoreKind, db: TestDatabase): Promise<string> {
  if (kind.name === 'SQLite') {
    const raw = new Database(db.file!, { readonly: true });
    try {
      const row = raw
        .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'jobs_one_active_per_environment'`)
        .get() as { sql: string };
      return row.sql;
    } finally {
      raw.close();
    }
  }
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const result = await client.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'jobs_one_active_per_environment'`,
    );
    return result.rows[0].indexdef;
  } finally {
    await client.end();
  }
}

describeEachStore('the life table', (kind) => {
  it("the one-active-per-environment index covers exactly the table's active states", async () => {
    const db = await kind.create();
    try {
      const store = await openStore(db.url);
      await store.close();
      const sql = await activeIndexSql(kind, db);
      const listed = [...sql.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
      expect(listed).toEqual([...ACTIVE_STATES].sort());
    } finally {
      await db.drop();
    }
  });

  describe('transitions', () => {
    const current = useTempStore(kind);

    it('refuses a move the table does not allow, naming both states, and changes nothing', async () => {
      const store = current();
      const job = await store.createJob(nextJob(), audit('requested'));
      await expect(store.transition(job.id, ['pending_approval'], 'running', {}, audit())).rejects.toThrow(
        'a job cannot move from pending_approval to running',
      );
      expect((await store.getJob(job.id))?.state).toBe('pending_approval');
      expect(await store.auditTrail(job.id)).toHaveLength(1);
    });

    it('accepts every move the table allows', async () => {
      const store = current();
      const pending = await store.createJob(nextJob(), { at: 't', by: ALICE });
      // pending_approval -> approved -> starting -> running -> completed, one allowed step at a time
      let state: JobState = 'pending_approval';
      for (const to of ['approved', 'starting', 'running', 'completed'] as const) {
        const result = await store.transition(pending.id, [state], to, {}, audit());
        expect(result.ok).toBe(true);
        state = to;
      }
      expect(ALL_STATES).toContain(state);
    });
  });
});

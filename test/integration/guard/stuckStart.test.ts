import path from 'node:path';
import Database from 'better-sqlite3';
import { eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, untilState } from '../../helpers/flow';

/**
 * A store write failing while the start call is in flight (the database files unwritable for a moment): the
 * service runs the job, so the bot must not leave it `starting` until a restart. Writes are refused from a
 * second connection with a trigger, as a full disk would refuse them.
 */

function refuseUpdates(h: Harness): () => void {
  const other = new Database(path.join(h.dir, 'bot.db'));
  other.exec(`CREATE TRIGGER refuse_updates BEFORE UPDATE ON jobs BEGIN SELECT * FROM no_such_table; END;`);
  return () => {
    other.exec('DROP TRIGGER refuse_updates');
    other.close();
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a store failure while the start call is in flight', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('the write of the answer is retried: the job reaches running without a restart, started once', async () => {
    h = await startHarness({ sim: { speed: 1, registrations: 4000 } });
    h.sim.injectFault({ kind: 'slow', ms: 600, times: 1, on: 'start' });
    const r = await requestAndApprove(h);
    await untilState(h, r.jobId, ['starting']);
    const restore = refuseUpdates(h); // while the service is answering the start call
    await eventually(() => h.logs().includes('store write failed; trying again'), 'a failed write retried');
    await pause(1500);
    restore();
    await untilState(h, r.jobId, ['running'], 15_000);
    expect(h.sim.startCalls()).toHaveLength(1);
  });

  it('when the failure outlasts the retries, the periodic reconciliation finds the job on the service', async () => {
    h = await startHarness({
      sim: { speed: 1, registrations: 4000 },
      overrides: { startWriteRetry: { totalMs: 200 }, startSweep: { everyMs: 200, olderThanMs: 1000 } },
    });
    h.sim.injectFault({ kind: 'slow', ms: 600, times: 1, on: 'start' });
    const r = await requestAndApprove(h);
    await untilState(h, r.jobId, ['starting']);
    const restore = refuseUpdates(h);
    await eventually(() => h.logs().includes('background work failed'), 'the start write given up');
    await pause(300);
    restore();
    expect((await h.app.store.getJob(r.jobId))?.state).toBe('starting');
    const running = await untilState(h, r.jobId, ['running'], 15_000);
    expect(h.logs()).toContain('job stuck before running; reconciling');
    expect(h.sim.startCalls()).toHaveLength(1);
    // and it is followed: the status is read again and the card says so
    await eventually(async () => {
      const j = await h.app.store.getJob(r.jobId);
      return j?.progress.lastCheckedAt !== undefined && j.progress.lastCheckedAt > (running.startedAt ?? '');
    }, 'the job followed after reconciliation');
  });
});

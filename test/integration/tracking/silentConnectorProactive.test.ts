import http from 'node:http';
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { eventually, startHarness, THREAD, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, untilDelivered, untilState } from '../../helpers/flow';

/**
 * The connector goes silent (accepts, never answers) while a job is followed: each proactive send times out
 * and is retried by the notifier's rules, undelivered notices stay in the outbox, shutdown does not wait for
 * them past its deadline, and the next start delivers them.
 */
describe('a silent connector during proactive sends', () => {
  let h: Harness;
  let silent: http.Server;
  let silentUrl: string;
  beforeAll(async () => {
    silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    h = await startHarness({
      sim: { registrations: 100, speed: 200 },
      overrides: { adapter: { connectorTimeoutMs: 300 }, shutdownDeadlineMs: 1500 },
    });
  });
  afterAll(async () => {
    await h.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('sends time out and are retried; stop() ends within its deadline; the next start delivers what was left', async () => {
    const { jobId } = await requestAndApprove(h);
    await untilState(h, jobId, ['running']);
    const reference = (await h.app.store.getConversationReference(THREAD)) as Record<string, unknown>;
    await h.app.store.saveConversationReference(THREAD, { ...reference, serviceUrl: silentUrl });

    await eventually(() => /did not answer an? (send|update) within 300 ms/.test(h.logs()), 'a timed-out send', 15_000);
    await eventually(() => /connector refused a send; retrying/.test(h.logs()), 'a retry', 15_000);
    await untilState(h, jobId, ['completed', 'completed_with_errors', 'failed']);

    const began = Date.now();
    await h.app.stop();
    expect(Date.now() - began).toBeLessThan(5000);
    const db = new Database(`${h.dir}/bot.db`);
    const left = db.prepare(`SELECT pending_notify FROM jobs WHERE id = ?`).get(jobId) as { pending_notify: number };
    expect(left.pending_notify).toBe(1); // what could not be delivered is still in the outbox

    // the silent connector was only a bad day: the reference points at the real one again
    db.prepare(`UPDATE conversation_refs SET reference_json = ? WHERE conversation_id = ?`).run(
      JSON.stringify({ ...reference, serviceUrl: h.connector.url }),
      THREAD,
    );
    db.close();
    h.connector.clear();
    await h.restart();
    const delivered = await untilDelivered(h, jobId);
    expect(delivered.outbox).toEqual([]);
    expect(h.connector.texts().some((t) => /complete/i.test(t))).toBe(true);
  }, 60_000);
});

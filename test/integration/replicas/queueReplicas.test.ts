import { startSimulator, type Simulator } from '../../../src/sim/simulator';
import { ADA, ALL_TICKED, eventually } from '../../helpers/botHarness';
import { startFakeConnector, type FakeConnector } from '../../helpers/fakeConnector';
import { describePostgres, POSTGRES, type TestDatabase } from '../../helpers/testDatabases';
import { auditStates } from './auditStates';
import { click, killAll, say, startBotProcess, type BotProcess } from '../restart/botProcess';

/**
 * The queue on two replicas of one PostgreSQL database: when a run ends, the next in line is started once,
 * whichever replica sees the end first and whichever swept the line; approvals are clicked on either replica.
 */

jest.setTimeout(90_000);

const pair = (n: number) => ({
  from: `${String(n).repeat(8)}-1111-4111-8111-111111111111`,
  to: `${String(n).repeat(8)}-2222-4222-8222-222222222222`,
});

describePostgres('the queue on two replicas', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let connector: FakeConnector;

  beforeEach(async () => {
    db = await POSTGRES.create();
    connector = await startFakeConnector();
    sim = await startSimulator({ registrations: 100, speed: 100 });
  });
  afterEach(async () => {
    await killAll();
    await sim.close();
    await connector.close();
    await db.drop();
  });

  async function request(bot: BotProcess, n: number): Promise<{ cardId: string; jobId: string }> {
    const fresh = () => connector.cards().filter((c) => c.kind !== 'update');
    const before = fresh().length;
    expect((await say(bot, connector.url, `migrate ${pair(n).from} ${pair(n).to}`, ADA)).status).toBe(200);
    const card = fresh()[before];
    const jobId = /"jobId":"([^"]+)"/.exec(JSON.stringify(card.activity.attachments![0].content))![1];
    return { cardId: card.id, jobId };
  }

  const auditTrail = (jobId: string) => auditStates(db.url, jobId);

  it('three approvals on alternating replicas run one after another, each started exactly once', async () => {
    const env = { EVENTS_API_ENDPOINT: sim.url, DATABASE_URL: db.url, LEASE_MS: '2000' };
    const bots = [
      await startBotProcess({ ...env, REPLICA_ID: 'a' }),
      await startBotProcess({ ...env, REPLICA_ID: 'b' }),
    ];
    await Promise.all(bots.map((b) => b.resumed));
    const jobs = [];
    for (let n = 1; n <= 3; n++) {
      const r = await request(bots[n % 2], n);
      const approvedOn = bots[(n + 1) % 2];
      expect(
        (await click(approvedOn, connector.url, 'approve', { jobId: r.jobId, ...ALL_TICKED }, r.cardId)).status,
      ).toBe(200);
      jobs.push(r.jobId);
    }
    await eventually(() => sim.jobs().filter((j) => j.state === 'completed').length === 3, 'three runs ended', 60_000);
    await new Promise((r) => setTimeout(r, 1000)); // a second start would have reached the service by now
    expect(sim.startCalls().map((c) => (c.body as { fromEventId: string }).fromEventId)).toEqual([
      pair(1).from,
      pair(2).from,
      pair(3).from,
    ]);
    for (const jobId of jobs) {
      const states = await eventually(async () => {
        const s = await auditTrail(jobId);
        return s.at(-1) === 'completed' ? s : undefined;
      }, 'the job recorded as completed');
      expect(states.filter((s) => s === 'starting')).toHaveLength(1);
    }
    const queued = (await auditTrail(jobs[1])).filter((s) => s === 'queued');
    expect(queued).toHaveLength(1);
  });
});

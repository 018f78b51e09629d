import { Client } from 'pg';
import { startSimulator, type Simulator } from '../../../src/sim/simulator';
import { ADA, ALL_TICKED, cardText, eventually, FROM_EVENT, TO_EVENT } from '../../helpers/botHarness';
import { startFakeConnector, type FakeConnector } from '../../helpers/fakeConnector';
import { startTestPostgres } from '../../helpers/postgresServer';
import { describePostgres, POSTGRES, type TestDatabase } from '../../helpers/testDatabases';
import { auditStates } from './auditStates';
import { click, killAll, say, startBotProcess, type BotProcess } from '../restart/botProcess';

/**
 * Two bot processes on one PostgreSQL database, as two replicas behind one bot: Teams-shaped posts go to
 * either. The simulator and the fake connector live in this test process.
 */

jest.setTimeout(90_000);

const LEASE_MS = 2000;

describePostgres('bot processes on one database', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let connector: FakeConnector;
  let env: Record<string, string>;

  beforeEach(async () => {
    db = await POSTGRES.create();
    connector = await startFakeConnector();
    sim = await startSimulator({ registrations: 200, speed: 40 });
    env = { EVENTS_API_ENDPOINT: sim.url, DATABASE_URL: db.url, LEASE_MS: String(LEASE_MS) };
  });
  afterEach(async () => {
    await killAll();
    await sim.close();
    await connector.close();
    await db.drop();
  });

  const replica = (id: string) => startBotProcess({ ...env, REPLICA_ID: id });
  const alerts = () => connector.texts().filter((t) => /is complete/.test(t));

  async function request(bot: BotProcess): Promise<{ cardId: string; jobId: string }> {
    expect((await say(bot, connector.url, `migrate ${FROM_EVENT} ${TO_EVENT}`, ADA)).status).toBe(200);
    const card = connector.cards()[0];
    const jobId = /"jobId":"([^"]+)"/.exec(JSON.stringify(card.activity.attachments![0].content))![1];
    return { cardId: card.id, jobId };
  }

  async function leaseHolder(jobId: string): Promise<string | undefined> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ holder: string }>(
        `SELECT holder FROM leases WHERE name = $1 AND expires_at > now()`,
        [`job:${jobId}`],
      );
      return rows.rows[0]?.holder;
    } finally {
      await client.end();
    }
  }

  const auditTrail = (jobId: string) => auditStates(db.url, jobId);

  it('both start at once on an empty database, and an approval clicked on both at once starts one migration', async () => {
    sim.setSpeed(200);
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    await Promise.all([a.resumed, b.resumed]);
    const { cardId, jobId } = await request(a);
    const answers = await Promise.all([
      click(a, connector.url, 'approve', { jobId, ...ALL_TICKED }, cardId),
      click(b, connector.url, 'approve', { jobId, ...ALL_TICKED }, cardId),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await eventually(() => alerts().length > 0, 'the completion alert', 30_000);
    await new Promise((r) => setTimeout(r, 1000)); // anything sent twice would arrive by now
    expect(sim.startCalls()).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    const states = await auditTrail(jobId);
    expect(states.filter((s) => s === 'approved')).toHaveLength(1);
    expect(states.filter((s) => s === 'starting')).toHaveLength(1);
    expect(states[states.length - 1]).toBe('completed');
  });

  it('the lease holder killed mid-run: the other replica takes over within twice LEASE_MS; one completion alert in total', async () => {
    const bots: Record<string, BotProcess> = { a: await replica('a'), b: await replica('b') };
    await Promise.all([bots.a.resumed, bots.b.resumed]);
    const { cardId, jobId } = await request(bots.a);
    expect((await click(bots.b, connector.url, 'approve', { jobId, ...ALL_TICKED }, cardId)).status).toBe(200);
    await eventually(() => (sim.currentJob()?.percent ?? 0) >= 10, 'the job under way', 15_000);
    const holder = await eventually(() => leaseHolder(jobId), 'a replica holding the job');
    const survivor = holder === 'a' ? 'b' : 'a';
    sim.setSpeed(0); // held still, so that it is surely mid-run however slow the machine is
    await bots[holder].kill();
    const killedAt = Date.now();
    const readsBefore = sim.statusCalls().length;

    await eventually(async () => (await leaseHolder(jobId)) === survivor, 'the survivor taking over', 4 * LEASE_MS);
    const tookMs = Date.now() - killedAt;
    await eventually(() => sim.statusCalls().length > readsBefore, 'a status read by the survivor', LEASE_MS);
    expect(tookMs).toBeLessThan(2 * LEASE_MS);

    sim.setSpeed(100);
    await eventually(() => alerts().length > 0, 'the completion alert', 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(alerts()).toHaveLength(1);
    expect(sim.startCalls()).toHaveLength(1);
    expect(connector.cards().filter((c) => c.kind !== 'update')).toHaveLength(1);
    expect(
      connector.sent.some(
        (s) => s.kind === 'update' && /publish/i.test(cardText(s.activity.attachments?.[0]?.content)),
      ),
    ).toBe(true);
  });

  it('the database restarted mid-run: /readyz says 503 while it is down and 200 once it is back; the job goes on to one alert', async () => {
    const server = await startTestPostgres();
    try {
      const bot = await startBotProcess({ ...env, DATABASE_URL: server.url, REPLICA_ID: 'solo' });
      await bot.resumed;
      const { cardId, jobId } = await request(bot);
      expect((await click(bot, connector.url, 'approve', { jobId, ...ALL_TICKED }, cardId)).status).toBe(200);
      await eventually(() => (sim.currentJob()?.percent ?? 0) >= 10, 'the job under way', 15_000);
      const ready = async () => (await fetch(`${bot.url}/readyz`)).status;
      expect(await ready()).toBe(200);
      expect(sim.currentJob()?.state).toBe('running');

      server.halt();
      await eventually(async () => (await ready()) === 503, '/readyz to say 503', 2000, 100);
      await new Promise((r) => setTimeout(r, 1000));
      server.resume();
      await eventually(async () => (await ready()) === 200, '/readyz to say 200 again', 5000, 100);

      await eventually(() => alerts().length > 0, 'the completion alert', 30_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(alerts()).toHaveLength(1);
      expect(sim.startCalls()).toHaveLength(1);
      await bot.kill();
    } finally {
      server.stop();
    }
  });
});

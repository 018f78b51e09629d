import { ALL_TICKED, startHarness, type Harness } from '../../helpers/botHarness';

/** When the bot itself fails mid-turn: the person is told, with a reference the operator can find in the log. */
describe('a failure inside a turn', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('a message gets an apology with a reference id that is in the log; nothing was started', async () => {
    await h.app.store.close(); // the database goes away under the bot
    expect(await h.say('migrate 11111111-1111-4111-8111-111111111111 22222222-2222-4222-8222-222222222222')).toBe(200);
    const texts = h.connector.texts();
    expect(texts).toHaveLength(1);
    const reference = /reference ([0-9a-f]{8})/.exec(texts[0])?.[1];
    expect(texts[0]).toMatch(/something went wrong/i);
    expect(reference).toBeDefined();
    expect(h.logs()).toContain(`"reference":"${reference}"`);
    expect(h.sim.calls).toHaveLength(0);
    // and the operator's probe says the bot is not ready, while the process is up
    expect((await fetch(`${h.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('a card action gets no chat message (an invoke is answered in its HTTP response only)', async () => {
    await h.app.store.close();
    const answer = await h.click('approve', { jobId: 'whatever', ...ALL_TICKED });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(h.connector.sent).toHaveLength(0);
    expect(h.sim.calls).toHaveLength(0);
  });
});

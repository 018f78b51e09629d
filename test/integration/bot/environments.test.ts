import type { Simulator } from '../../../src/sim/simulator';
import { CHANNEL, THREAD, cardText, contentOf, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { approve, request, untilDelivered, untilState } from '../../helpers/flow';
import { startTwoEnvironments, type TwoEnvironments } from '../../helpers/twoEnvironments';

/**
 * One bot, two environments, each its own Events API simulator with its own token: `prod` (production, set by
 * PROD_* variables) and `test` (falling back to the unprefixed EVENTS_API_* the harness sets).
 */

const PROD_TOKEN = 'prod-only-token-7c1d';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';
const OTHER_THREAD = `${CHANNEL};messageid=1700000000999`;
const CHAT = 'a:1-chat-with-ada';

describe('several environments through HTTP', () => {
  let prod: Simulator;
  let h: Harness;
  let both: TwoEnvironments;
  beforeAll(async () => {
    // slow enough that both runs are in flight at once: 300 registrations at 100 a second
    both = await startTwoEnvironments({ prodToken: PROD_TOKEN, speed: 100, registrations: 300 });
    ({ h, prod } = both);
  });
  afterAll(async () => {
    await both.close();
  });

  const lastText = () => h.connector.texts().at(-1) ?? '';

  it('answers a command without an environment with the list of names instead of guessing', async () => {
    expect(await h.say('status')).toBe(200);
    expect(lastText()).toMatch(/several environments: `prod`, `test`/);
    expect(lastText()).toContain('use <name>');
    await h.say(`migrate ${A} ${B}`);
    expect(lastText()).toMatch(/several environments/);
    expect(await h.app.store.listJobs(h.app.environments.named('test')!.key, 5)).toEqual([]);
  });

  it('answers an unknown name with the known ones, and changes nothing', async () => {
    await h.say('status in staging');
    expect(lastText()).toMatch(/no environment "staging".*`prod`, `test`/);
    await h.say('use staging');
    expect(lastText()).toMatch(/no environment "staging"/);
    await h.say('use');
    expect(lastText()).toMatch(/no default environment/);
  });

  it('routes each migration to its own endpoint and token, and runs both side by side', async () => {
    const inTest = await request(h, { from: A, to: B, in: 'test' });
    const testCard = contentOf(h.connector.sent.find((s) => s.id === inTest.cardId)!);
    expect(cardText(testCard)).toMatch(/Environment\ntest/);
    expect(JSON.stringify(testCard)).not.toMatch(/Production/);
    await approve(h, inTest);
    await untilState(h, inTest.jobId, ['running']);

    // test is busy; prod is not
    const inProd = await request(h, { from: C, to: D, in: 'prod' });
    const prodCard = contentOf(h.connector.sent.find((s) => s.id === inProd.cardId)!);
    const first = (prodCard.body as Array<Record<string, unknown>>)[0];
    expect(first).toMatchObject({ type: 'Container', style: 'attention' });
    expect(cardText(first)).toMatch(/^Production/);
    await approve(h, inProd);
    await untilState(h, inProd.jobId, ['running']);
    // both are followed at once, each on its own service
    expect((await h.app.store.getJob(inTest.jobId))?.state).toBe('running');

    expect(h.sim.startCalls().map((c) => c.body)).toEqual([{ fromEventId: A, toEventId: B }]);
    expect(prod.startCalls().map((c) => c.body)).toEqual([{ fromEventId: C, toEventId: D }]);
    await untilState(h, inTest.jobId, ['completed'], 20_000);
    await untilState(h, inProd.jobId, ['completed'], 20_000);
    // each service was only ever called with its own token: a wrong one would have been refused
    for (const call of [...h.sim.calls, ...prod.calls]) expect(call.status).toBeLessThan(400);
    expect(prod.statusCalls().length).toBeGreaterThan(0);
    expect(h.sim.statusCalls().length).toBeGreaterThan(0);
    // the alerts about each job name its environment; production's loudly
    await eventually(
      () => h.connector.texts().some((t) => /^\*\*PRODUCTION\*\* `prod`: .*complete/i.test(t)),
      'the prod completion alert',
    );
    expect(h.connector.texts().some((t) => /^`test`: .*complete/i.test(t))).toBe(true);
  });

  it('keeps one migration at a time per environment', async () => {
    const again = await request(h, { from: B, to: A, in: 'test' });
    await approve(h, again);
    await untilState(h, again.jobId, ['running']);
    await h.say(`migrate ${C} ${A} in test`);
    expect(lastText()).toMatch(/^`test`: .*another migration is running/i);
    await untilState(h, again.jobId, ['completed'], 20_000);
    await untilDelivered(h, again.jobId);
  });

  it('`use` in a thread sets the whole channel; a chat keeps its own', async () => {
    await h.say('use prod', { conversationId: THREAD });
    expect(lastText()).toMatch(/This channel \(every thread in it\) now works in `prod`/);
    await h.say('status', { conversationId: OTHER_THREAD });
    expect(lastText()).toMatch(/^\*\*PRODUCTION\*\* `prod`: /);
    await h.say('use', { conversationId: CHANNEL });
    expect(lastText()).toMatch(/works in `prod`/);
    await h.say('history in test', { conversationId: OTHER_THREAD });
    expect(lastText()).toMatch(/^`test`: /);

    await h.say('status', { conversationId: CHAT });
    expect(lastText()).toMatch(/several environments/);
    await h.say('use test', { conversationId: CHAT });
    await h.say('status', { conversationId: CHAT });
    expect(lastText()).toMatch(/^`test`: /);
    // the channel's default is untouched by the chat's
    await h.say('status', { conversationId: THREAD });
    expect(lastText()).toMatch(/^\*\*PRODUCTION\*\* `prod`: /);
  });

  it('`check in <name>` asks that environment only', async () => {
    const before = { prod: prod.statusCalls().length, test: h.sim.statusCalls().length };
    await h.say('check in test');
    expect(lastText()).toMatch(/^`test`: /);
    expect(h.sim.statusCalls().length).toBe(before.test + 1);
    expect(prod.statusCalls().length).toBe(before.prod);
  });
});

describe('from one environment to several', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps the jobs of the one environment: they belong to the named one on the same endpoint', async () => {
    const r = await request(h, { from: A, to: B });
    await approve(h, r);
    await untilState(h, r.jobId, ['completed'], 20_000);
    // the other environment's endpoint is never called: nothing of it is running
    await h.restart({ ENVIRONMENTS: 'main,other', OTHER_EVENTS_API_ENDPOINT: 'http://127.0.0.1:9/other/' });
    await h.say(`history in main`);
    const text = h.connector.texts().at(-1) ?? '';
    expect(text).toMatch(/^`main`: /);
    expect(text).toMatch(/`11111111…` → `22222222…` \*\*Completed\*\*/);
    await h.say(`history in other`);
    expect(h.connector.texts().at(-1)).not.toMatch(/Completed/);
    const refreshed = await h.click('refresh', { jobId: r.jobId }, { replyToId: r.cardId });
    expect(cardText(refreshed.body.value)).toMatch(/Environment\nmain/);
  });
});

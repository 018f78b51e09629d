import { environmentKey } from '../../../src/events-api';
import {
  ALL_TICKED,
  BEN,
  BOT,
  CHANNEL,
  FROM_EVENT,
  startHarness,
  TENANT,
  THREAD,
  TO_EVENT,
  type Harness,
} from '../../helpers/botHarness';

/** Who the bot answers: only the Bot Framework (when an app id is set) and only the allowed tenants. */

const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const jobs = (h: Harness) => h.app.store.listJobs(environmentKey(h.sim.url), 10);

function message(h: Harness, text: string) {
  return {
    id: 'act-auth-1',
    type: 'message',
    channelId: 'msteams',
    serviceUrl: h.connector.url,
    timestamp: new Date().toISOString(),
    from: BEN,
    recipient: BOT,
    conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, channel: { id: CHANNEL } },
    text: `<at>${BOT.name}</at> ${text}`,
  };
}

describe('with MicrosoftAppId set', () => {
  let h: Harness;
  // botbuilder prints every refused request with console.error; the 401 is what the test is about.
  let consoleError: jest.SpyInstance;
  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
    h = await startHarness({
      env: {
        MicrosoftAppId: '00000000-0000-4000-8000-00000000a9b1',
        MicrosoftAppPassword: 'any-password',
        MicrosoftAppTenantId: TENANT,
      },
    });
  });
  afterAll(async () => {
    await h.close();
    consoleError.mockRestore();
  });

  it.each([
    ['no Authorization header', {}],
    ['a token that is not a Bot Framework token', { authorization: 'Bearer not-a-jwt' }],
  ])('a request with %s gets 401 and changes nothing', async (_what, headers: Record<string, string>) => {
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(message(h, `migrate ${FROM_EVENT} ${TO_EVENT}`)),
    });
    expect(res.status).toBe(401);
    await h.app.afterTurn.drain();
    expect(await jobs(h)).toEqual([]);
    expect(await h.app.store.getConversationReference(THREAD)).toBeUndefined();
    expect(h.sim.calls).toEqual([]);
    expect(h.connector.attempts).toEqual([]);
  });
});

describe('ALLOWED_TENANT_IDS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ALLOWED_TENANT_IDS: `${OTHER_TENANT.slice(0, 4)}x, ${TENANT.toUpperCase()}` } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.connector.clear());

  it('answers its own tenant', async () => {
    await h.say('status');
    expect(h.connector.texts()).toEqual(['No migration yet in this environment.']);
  });

  it('gives a message from another tenant no reply and stores nothing', async () => {
    expect(
      await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, {
        tenantId: OTHER_TENANT,
        conversationId: '19:other@thread.tacv2',
      }),
    ).toBe(200);
    expect(h.connector.attempts).toEqual([]);
    expect(await jobs(h)).toEqual([]);
    expect(await h.app.store.getConversationReference('19:other@thread.tacv2')).toBeUndefined();
    expect(h.logs()).toMatch(/tenant that is not allowed/);
  });

  it('lets a card action from another tenant change nothing', async () => {
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`);
    const card = h.connector.cards().at(-1)!;
    const jobId = (JSON.stringify(card.activity.attachments![0].content).match(/"jobId":"([^"]+)"/) ?? [])[1];
    h.connector.clear();
    const answer = await h.click(
      'approve',
      { jobId, ...ALL_TICKED },
      { tenantId: OTHER_TENANT, from: BEN, replyToId: card.id },
    );
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body)).toMatch(/does not serve your organisation/);
    await h.app.afterTurn.drain();
    expect((await h.app.store.getJob(jobId))?.state).toBe('pending_approval');
    expect(h.sim.calls).toEqual([]);
    expect(h.connector.attempts).toEqual([]);
  });
});

import { BOT, FROM_EVENT, startHarness, TENANT, THREAD, TO_EVENT, type Harness } from '../../helpers/botHarness';

/** Bodies that are not activities get a plain 400, and a GUID with an invisible character is named as such. */
describe('malformed input on /api/messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.connector.clear());

  const post = async (body: unknown) => {
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const message = (extra: Record<string, unknown>) => ({
    id: 'act-bad-1',
    type: 'message',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: '29:ada', name: 'Ada' },
    recipient: BOT,
    conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    text: 'status',
    ...extra,
  });

  it.each([
    ['an empty object', {}],
    ['a numeric type', { type: 42 }],
    ['a serviceUrl that is not a string', message({ serviceUrl: 42 })],
    ['a serviceUrl that is an object', message({ serviceUrl: { href: 'http://127.0.0.1/' } })],
    ['a conversation that is a string', message({ conversation: 'x' })],
  ])('%s gets 400 without internals, and nothing is sent or stored', async (_what, body) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/not a Bot Framework activity/);
    expect(answer.text).not.toMatch(/TypeError|at .*\.js|stack|Cannot read|undefined/);
    await h.app.afterTurn.drain();
    expect(h.connector.attempts).toEqual([]);
    expect(await h.app.store.getConversationReference(THREAD)).toBeUndefined();
  });

  it('a zero-width space inside a GUID is named as an invisible character, and nothing is created', async () => {
    const broken = `${FROM_EVENT.slice(0, 8)}\u200b${FROM_EVENT.slice(8)}`;
    expect(await h.say(`migrate ${broken} ${TO_EVENT}`)).toBe(200);
    const [text] = h.connector.texts();
    expect(text).toMatch(/outbound event id .* holds an invisible character/);
    expect(text).not.toMatch(/Too many words/);
    expect(h.sim.calls).toEqual([]);
  });

  it('zero-width spaces around the ids are still ignored', async () => {
    expect(await h.say(`migrate \u200b${FROM_EVENT}\u200b ${TO_EVENT}\u200b`)).toBe(200);
    expect(h.connector.cards()).toHaveLength(1);
  });
});

import { BOT, CHANNEL, startHarness, TENANT, THREAD, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, textMessages, untilState } from '../../helpers/flow';

/** Where the bot may post later: remembered on install and on every message, forgotten on uninstall. */

const GROUP_CHAT = '19:groupchat-1@thread.v2';

function activity(h: Harness, conversationId: string, patch: Record<string, unknown>) {
  return {
    id: `act-ref-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: h.connector.url,
    timestamp: new Date().toISOString(),
    from: { id: '29:ada', name: 'Ada Admin' },
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...patch,
  };
}

async function send(h: Harness, body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

describe('conversation references', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { registrations: 100, speed: 200 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('are stored when the bot is installed or added, and dropped when it is removed', async () => {
    const store = h.app.store;
    expect(await send(h, activity(h, GROUP_CHAT, { type: 'installationUpdate', action: 'add' }))).toBeLessThan(300);
    expect(await store.getConversationReference(GROUP_CHAT)).toMatchObject({
      conversation: { id: GROUP_CHAT },
      serviceUrl: h.connector.url,
    });

    expect(await send(h, activity(h, GROUP_CHAT, { type: 'installationUpdate', action: 'remove' }))).toBeLessThan(300);
    expect(await store.getConversationReference(GROUP_CHAT)).toBeUndefined();

    expect(await send(h, activity(h, GROUP_CHAT, { type: 'conversationUpdate', membersAdded: [BOT] }))).toBeLessThan(
      300,
    );
    expect(await store.getConversationReference(GROUP_CHAT)).toMatchObject({ conversation: { id: GROUP_CHAT } });
    expect(await send(h, activity(h, GROUP_CHAT, { type: 'conversationUpdate', membersRemoved: [BOT] }))).toBeLessThan(
      300,
    );
    expect(await store.getConversationReference(GROUP_CHAT)).toBeUndefined();
  });

  it('leaving a team forgets every channel and thread of that team, and nothing else', async () => {
    const store = h.app.store;
    const team = { id: '19:team-general@thread.tacv2' };
    const inTeam = (conversationId: string, patch: Record<string, unknown>) =>
      activity(h, conversationId, {
        conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
        channelData: { tenant: { id: TENANT }, team, channel: { id: conversationId.split(';')[0] } },
        ...patch,
      });
    const threads = ['19:ops@thread.tacv2;messageid=1', '19:events@thread.tacv2;messageid=2'];
    await send(h, inTeam(team.id, { type: 'installationUpdate', action: 'add' }));
    for (const t of threads) await send(h, inTeam(t, { type: 'message', text: 'help' }));
    await send(h, activity(h, GROUP_CHAT, { type: 'installationUpdate', action: 'add' }));
    for (const id of [team.id, ...threads, GROUP_CHAT]) expect(await store.getConversationReference(id)).toBeDefined();

    expect(await send(h, inTeam(team.id, { type: 'installationUpdate', action: 'remove' }))).toBeLessThan(300);
    for (const id of [team.id, ...threads]) expect(await store.getConversationReference(id)).toBeUndefined();
    expect(await store.getConversationReference(GROUP_CHAT)).toBeDefined();
  });

  it('of the thread a migration was asked in carry its notices; without one the job is still followed to its end', async () => {
    const { jobId } = await requestAndApprove(h);
    expect(await h.app.store.getConversationReference(THREAD)).toMatchObject({ conversation: { id: THREAD } });
    await untilState(h, jobId, ['running']);
    // The bot is removed from the thread's conversation while the job runs.
    await h.app.store.deleteConversationReference(THREAD);
    await h.app.dispatcher.idle(); // a delivery already under way may finish
    const sent = h.connector.sent.length;
    const done = await untilState(h, jobId, ['completed']);
    expect(done.state).toBe('completed');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.connector.sent.slice(sent).filter((s) => s.conversationId.startsWith(CHANNEL))).toEqual([]);
    expect(textMessages(h).filter((t) => /is complete/.test(t.activity.text!))).toHaveLength(0);
    expect(h.logs()).toMatch(/no conversation reference; notices dropped/);
  });
});

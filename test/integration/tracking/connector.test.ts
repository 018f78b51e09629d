import { CHANNEL, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, textMessages, untilDelivered, untilState, updatesOf } from '../../helpers/flow';

/** The Bot Connector (Microsoft's cloud, faked) throttles, fails or refuses while a job is tracked. */

const idsFor = (n: number) => ({
  from: `${String(n).repeat(8)}-1234-4abc-8abc-${String(n).repeat(12)}`,
  to: `${String(n).repeat(8)}-5678-4def-8def-${String(n).repeat(12)}`,
});

const isFinal = ['completed', 'completed_with_errors', 'failed', 'stopped', 'superseded'] as const;

describe('connector trouble while a job is tracked', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { registrations: 200, speed: 100 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('429 with Retry-After and 503: the sends are retried (429 after the time asked) and every message arrives', async () => {
    const { jobId, cardId } = await requestAndApprove(h, idsFor(1));
    await untilState(h, jobId, ['running']);
    h.connector.inject({ status: 429, times: 1, retryAfterSec: 1, code: 'Throttled' });
    h.connector.inject({ status: 503, times: 1, code: 'ServiceUnavailable' });
    await eventually(() => h.connector.attempts.some((a) => a.status === 503), 'the injected 503', 15_000);

    const done = await untilState(h, jobId, isFinal);
    expect(done.state).toBe('completed');
    await untilDelivered(h, jobId);
    expect(h.connector.attempts.filter((a) => a.status === 429)).toHaveLength(1);
    expect(h.connector.attempts.filter((a) => a.status === 503)).toHaveLength(1);
    const alerts = textMessages(h).filter((t) => /is complete/.test(t.activity.text!));
    expect(alerts).toHaveLength(1);
    const updates = updatesOf(h, cardId);
    expect(JSON.stringify(updates[updates.length - 1].activity)).toMatch(/publish/i);
    // The retry after the 429 came no sooner than its Retry-After (1 s) asked.
    const i429 = h.connector.attempts.findIndex((a) => a.status === 429);
    const retried = h.connector.attempts[i429 + 1];
    expect(retried).toBeDefined();
    expect(retried.at! - h.connector.attempts[i429].at!).toBeGreaterThanOrEqual(950);
  });

  it('403: no more posts to that conversation, tracking goes on to the end, nothing crashes', async () => {
    const { jobId } = await requestAndApprove(h, idsFor(2));
    await untilState(h, jobId, ['running']);
    h.connector.inject({ status: 403, times: 1, code: 'BotNotInConversationRoster' });
    await eventually(() => h.connector.attempts.some((a) => a.status === 403), 'the 403');
    const refusedAt = h.connector.attempts.findIndex((a) => a.status === 403);
    const readsAt403 = h.sim.statusCalls().length;

    const done = await untilState(h, jobId, isFinal);
    expect(done.state).toBe('completed');
    expect(h.sim.statusCalls().length).toBeGreaterThan(readsAt403);
    await untilDelivered(h, jobId);
    expect(await h.app.store.isConversationBlocked(done.conversationId)).toBe(true);
    const after = h.connector.attempts.slice(refusedAt + 1).filter((a) => a.path.includes(CHANNEL));
    expect(after).toEqual([]);
    expect(h.logs()).toMatch(/conversation refuses the bot/);

    // The bot still answers requests (its HTTP server is up) after the refusal.
    const res = await fetch(`${h.url.replace(/\/$/, '')}/healthz`);
    expect(res.status).toBe(200);
  });

  it('404 on the card update (the message was deleted): the card is posted anew and updated there from then on', async () => {
    const { jobId, cardId } = await requestAndApprove(h, idsFor(3));
    await untilState(h, jobId, ['running']);
    h.connector.inject({ status: 404, times: 1, on: 'PUT', code: 'ActivityNotFoundInConversation' });
    const done = await untilState(h, jobId, isFinal);
    expect(done.state).toBe('completed');
    await untilDelivered(h, jobId);
    const stored = (await h.app.store.getJob(jobId))!;
    expect(stored.cardActivityId).not.toBe(cardId);
    const reposted = h.connector.sent.filter((s) => s.kind !== 'update' && s.id === stored.cardActivityId);
    expect(reposted).toHaveLength(1);
    expect(reposted[0].activity.attachments?.length).toBe(1);
    const last = updatesOf(h, stored.cardActivityId!);
    const finalCard = last.length > 0 ? last[last.length - 1] : reposted[0];
    expect(JSON.stringify(finalCard.activity)).toMatch(/publish/i);
    expect(await h.app.store.isConversationBlocked(stored.conversationId)).toBe(false);
  });
});

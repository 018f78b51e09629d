import path from 'node:path';
import Database from 'better-sqlite3';
import {
  ALL_TICKED,
  BEN,
  CHANNEL,
  cardText,
  startHarness,
  type Harness,
  type InvokeBody,
} from '../../helpers/botHarness';
import { request, type Requested } from '../../helpers/flow';

/**
 * Card actions count only from their job's own conversation and tenant; anything else is refused in the invoke's
 * answer, changes nothing and sends nothing. And an invoke gets an answer Teams can show even when the store fails.
 */

const OTHER_CHAT = '19:other-chat@thread.v2';
const OTHER_TENANT = '0e0e0e0e-0000-4000-8000-00000000000e';

async function settle(h: Harness): Promise<void> {
  await h.app.afterTurn.drain();
  await h.app.dispatcher.idle();
}

function answerWords(body: InvokeBody): string {
  const v = body.value as { message?: unknown };
  return typeof v.message === 'string' ? v.message : typeof body.value === 'string' ? body.value : cardText(body.value);
}

describe('card actions bound to their conversation (ALLOWED_TENANT_IDS empty)', () => {
  let h: Harness;
  let a: Requested;
  beforeEach(async () => {
    h = await startHarness();
    a = await request(h);
    await settle(h);
    h.connector.clear();
  });
  afterEach(async () => {
    await h.close();
  });

  const elsewhere = [
    ['another conversation of the same tenant', { conversationId: OTHER_CHAT }],
    ['the same conversation id from another tenant', { tenantId: OTHER_TENANT }],
  ] as const;

  for (const [where, options] of elsewhere) {
    it(`refuses approve, cancel, retry and refresh from ${where}: nothing changes, nothing is sent`, async () => {
      const before = await h.app.store.getJob(a.jobId);
      for (const verb of ['approve', 'cancel', 'retry', 'refresh']) {
        const answer = await h.click(verb, { jobId: a.jobId, ...ALL_TICKED }, { from: BEN, ...options });
        expect(answer.status).toBe(403);
        expect(answer.body.type).toBe('application/vnd.microsoft.error');
        expect(answer.body.statusCode).toBe(403);
        expect(answerWords(answer.body)).toMatch(/another conversation.*Nothing was changed/);
      }
      await settle(h);
      const after = await h.app.store.getJob(a.jobId);
      expect(after?.state).toBe('pending_approval');
      expect(after?.version).toBe(before?.version);
      expect(after?.approvedBy).toBeUndefined();
      expect(await h.app.store.auditTrail(a.jobId)).toHaveLength(1);
      expect(h.connector.sent).toEqual([]);
      expect(h.sim.startCalls()).toHaveLength(0);
    });
  }

  it('counts from the channel itself and from another thread of the same channel', async () => {
    const fromChannel = await h.click('refresh', { jobId: a.jobId }, { conversationId: CHANNEL });
    expect(fromChannel.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const answer = await h.click(
      'approve',
      { jobId: a.jobId, ...ALL_TICKED },
      { from: BEN, conversationId: `${CHANNEL};messageid=1799999999999` },
    );
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    await settle(h);
    expect((await h.app.store.getJob(a.jobId))?.approvedBy?.name).toBe(BEN.name);
  });
});

describe('an invoke while the store refuses writes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('Approve gets an error answer with a body saying nothing was started; the job stays pending', async () => {
    const a = await request(h);
    await settle(h);
    const other = new Database(path.join(h.dir, 'bot.db'));
    other.exec(`CREATE TRIGGER refuse_updates BEFORE UPDATE ON jobs BEGIN SELECT * FROM no_such_table; END;`);
    try {
      const answer = await h.click('approve', { jobId: a.jobId, ...ALL_TICKED }, { replyToId: a.cardId });
      expect(answer.status).toBe(503);
      expect(answer.body.type).toBe('application/vnd.microsoft.error');
      expect(answer.body.statusCode).toBe(503);
      expect(answerWords(answer.body)).toMatch(/cannot save anything right now.*nothing was started/i);
    } finally {
      other.exec('DROP TRIGGER refuse_updates');
      other.close();
    }
    await settle(h);
    expect((await h.app.store.getJob(a.jobId))?.state).toBe('pending_approval');
    expect(h.sim.startCalls()).toHaveLength(0);
  });
});

import type { JobStore } from '../../../src/migration/types';
import { MAX_DETAIL_CHARS } from '../../../src/store/auditRecord';
import { ALICE, BOB, nextJob } from '../../helpers/jobs';
import { describeEachStore } from '../../helpers/testDatabases';
import { useTempStore } from './tempStore';

describeEachStore('audit trail and conversation references', (kind) => {
  const current = useTempStore(kind);
  let store: JobStore;
  beforeEach(() => {
    store = current();
  });

  it('records every transition, oldest first, with who, when, note and what the service said', async () => {
    const job = nextJob();
    await store.createJob(job, { at: 't1', by: ALICE, note: 'migrate asked' });
    await store.transition(job.id, ['pending_approval'], 'approved', {}, { at: 't2', by: BOB });
    await store.transition(job.id, ['approved'], 'starting', {}, { at: 't3', note: 'calling start' });
    await store.transition(job.id, ['pending_approval'], 'cancelled', {}, { at: 't9', by: ALICE }); // refused
    await store.transition(
      job.id,
      ['starting'],
      'start_failed',
      {},
      {
        at: 't4',
        note: 'start refused',
        detail: { httpStatus: 409, body: 'a job is running' },
      },
    );

    expect(await store.auditTrail(job.id)).toEqual([
      { jobId: job.id, at: 't1', from: null, to: 'pending_approval', by: ALICE, note: 'migrate asked' },
      { jobId: job.id, at: 't2', from: 'pending_approval', to: 'approved', by: BOB },
      { jobId: job.id, at: 't3', from: 'approved', to: 'starting', note: 'calling start' },
      {
        jobId: job.id,
        at: 't4',
        from: 'starting',
        to: 'start_failed',
        note: 'start refused',
        detail: { httpStatus: 409, body: 'a job is running' },
      },
    ]);
    expect(await store.auditTrail('other-job')).toEqual([]);
  });

  it('shortens a huge detail to a few KB instead of storing it whole', async () => {
    const job = nextJob();
    await store.createJob(job, { at: 't1', detail: { body: 'x'.repeat(1_000_000) } });
    const [entry] = await store.auditTrail(job.id);
    expect(entry.detail).toMatchObject({ truncated: true });
    expect(JSON.stringify(entry.detail).length).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
    expect(JSON.stringify(entry.detail)).toContain('xxxx');
  });

  it('saves, reads, replaces and deletes conversation references', async () => {
    const reference = { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.example/emea/', bot: { id: 'b' } };
    expect(await store.getConversationReference('conv-1')).toBeUndefined();
    await store.saveConversationReference('conv-1', reference);
    const read = await store.getConversationReference('conv-1');
    expect(read).toEqual(reference);
    (read as { serviceUrl: string }).serviceUrl = 'mutated';
    expect(await store.getConversationReference('conv-1')).toEqual(reference);

    await store.saveConversationReference('conv-1', { ...reference, serviceUrl: 'https://smba.example/amer/' });
    expect(await store.getConversationReference('conv-1')).toMatchObject({ serviceUrl: 'https://smba.example/amer/' });

    await store.deleteConversationReference('conv-1');
    expect(await store.getConversationReference('conv-1')).toBeUndefined();
    await expect(store.deleteConversationReference('conv-1')).resolves.toBeUndefined();
  });

  it('marks a conversation blocked until the bot is added again', async () => {
    await store.saveConversationReference('conv-1', { conversation: { id: 'conv-1' } });
    expect(await store.isConversationBlocked('conv-1')).toBe(false);

    await store.markConversationBlocked('conv-1', '403 BotNotInConversationRoster');
    expect(await store.isConversationBlocked('conv-1')).toBe(true);
    expect(await store.isConversationBlocked('conv-2')).toBe(false);
    // the reference stays, so the block is the only thing that stops posting
    expect(await store.getConversationReference('conv-1')).toEqual({ conversation: { id: 'conv-1' } });

    await store.saveConversationReference('conv-1', { conversation: { id: 'conv-1' }, fresh: true });
    expect(await store.isConversationBlocked('conv-1')).toBe(false);
  });

  it('can block a conversation it holds no reference for', async () => {
    await store.markConversationBlocked('conv-unknown', '404 ConversationNotFound');
    expect(await store.isConversationBlocked('conv-unknown')).toBe(true);
    expect(await store.getConversationReference('conv-unknown')).toBeUndefined();
  });
});

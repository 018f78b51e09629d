import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JobStarter } from '../../../src/migration/jobStarter';
import type { Refusal, Unchanged } from '../../../src/migration/outcomes';
import { TurnDecisions } from '../../../src/migration/turnDecisions';
import { missingItems, refusalText, unchangedText } from '../../../src/words/catalogue';
import { ALL_TICKED } from '../../../src/migration/checklist';
import type { ApprovalRules } from '../../../src/migration/approvalPolicy';
import {
  EventsApiError,
  type EventsApi,
  type Job,
  type JobStore,
  type Person,
  type StartOptions,
  type StatusReading,
} from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { jobCard } from '../../../src/cards/views/jobCard';
import { captureLogger } from '../../helpers/captureLogger';

/** The domain on a real SQLite file, with a stub Events API and a hand-moved clock: no HTTP. */

/** An outcome with the words the user reads for it (the catalogue's), as the Teams layer shows them. */
function worded<O extends { kind: string }>(o: O): O & { message?: string; missing?: string[] } {
  const refusal = (o as { refusal?: Refusal }).refusal;
  if (refusal) {
    const missing = refusal.kind === 'checklist' ? refusal.missing : undefined;
    return { ...o, message: [refusalText(refusal), ...missingItems(refusal)].join('\n'), missing };
  }
  if (o.kind === 'unchanged') return { ...o, message: unchangedText(o as unknown as Unchanged) };
  return o;
}

/** Both halves of the domain's job work, as one object for these tests. */
function serviceOf(decisions: TurnDecisions, starter: JobStarter) {
  return {
    requestMigration: (input: Parameters<TurnDecisions['requestMigration']>[0]) => decisions.requestMigration(input),
    approve: async (...a: Parameters<TurnDecisions['approve']>) => worded(await decisions.approve(...a)),
    cancel: async (...a: Parameters<TurnDecisions['cancel']>) => worded(await decisions.cancel(...a)),
    retry: async (...a: Parameters<TurnDecisions['retry']>) => worded(await decisions.retry(...a)),
    startApproved: (jobId: string) => starter.startApproved(jobId),
    reconcileAfterRestart: () => starter.reconcileAfterRestart(),
  };
}
type MigrationService = ReturnType<typeof serviceOf>;

const ENV = 'contoso.example/org1';
const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';
const OTHER_FROM = '33333333-3333-4333-8333-333333333333';
const OTHER_TO = '44444444-4444-4444-8444-444444444444';
const ADA: Person = { id: '29:ada', name: 'Ada', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
const BEN: Person = { id: '29:ben', name: 'Ben', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };
const CAT: Person = { id: '29:cat', name: 'Cat', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

class StubApi implements EventsApi {
  starts: Array<{ from: string; to: string; options: StartOptions }> = [];
  startAnswer: () => Promise<{ httpStatus: number; rawSummary: string }> = async () => ({
    httpStatus: 202,
    rawSummary: '{}',
  });
  reading: Partial<StatusReading> = { state: 'no_job' };
  async start(from: string, to: string, options: StartOptions) {
    this.starts.push({ from, to, options });
    return this.startAnswer();
  }
  async status(): Promise<StatusReading> {
    return { state: 'unknown', errors: [], httpStatus: 200, rawSummary: '{}', ...this.reading };
  }
}

interface World {
  store: JobStore;
  api: StubApi;
  clock: { t: number; now(): Date };
  service: (rules?: Partial<ApprovalRules>) => MigrationService;
  dir: string;
}

let w: World;
let ids = 0;

beforeEach(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-'));
  const clock = { t: Date.parse('2026-11-30T09:00:00.000Z'), now: () => new Date(clock.t) };
  const store = await openStore(`sqlite:${path.join(dir, 'bot.db')}`, { clock });
  const api = new StubApi();
  w = {
    store,
    api,
    clock,
    dir,
    service: (rules = {}) =>
      serviceOf(
        new TurnDecisions({
          store,
          clock,
          rules: { approverIds: [], requireSecondApprover: false, ...rules },
          environment: ENV,
          approvalTtlMinutes: 60,
          newId: () => `job-${++ids}`,
        }),
        new JobStarter({ store, api, clock, logger: silent }),
      ),
  };
});

afterEach(async () => {
  await w.store.close();
  fs.rmSync(w.dir, { recursive: true, force: true });
});

async function request(service: MigrationService, by: Person = ADA, from = FROM, to = TO): Promise<Job> {
  const outcome = await service.requestMigration({
    fromEventId: from,
    toEventId: to,
    requester: by,
    conversationId: 'conv-1',
  });
  if (outcome.kind !== 'created') throw new Error(`expected created, got ${outcome.kind}`);
  return outcome.job;
}

async function stateOf(id: string) {
  return (await w.store.getJob(id))?.state;
}

describe('request', () => {
  it('stores a pending job that expires after the TTL', async () => {
    const job = await request(w.service());
    expect(await w.store.getJob(job.id)).toMatchObject({
      state: 'pending_approval',
      fromEventId: FROM,
      toEventId: TO,
      requestedBy: ADA,
      expiresAt: '2026-11-30T10:00:00.000Z',
    });
    expect((await w.store.auditTrail(job.id)).map((a) => a.to)).toEqual(['pending_approval']);
  });

  // Issue 14 changed this: a busy environment no longer blocks a request, it says how many are in line.
  it('is stored with its place in line while another migration is active', async () => {
    const s = w.service();
    const first = await request(s);
    await s.approve(first.id, BEN, ALL_TICKED);
    const outcome = await s.requestMigration({
      fromEventId: OTHER_FROM,
      toEventId: OTHER_TO,
      requester: CAT,
      conversationId: 'conv-1',
    });
    expect(outcome).toMatchObject({ kind: 'created', job: { state: 'pending_approval', aheadInQueue: 1 } });
    expect(await w.store.listJobs(ENV, 10)).toHaveLength(2);
  });

  it('is blocked when the outbound event was already migrated successfully', async () => {
    const s = w.service();
    const done = await request(s);
    await s.approve(done.id, BEN, ALL_TICKED);
    await s.startApproved(done.id);
    await w.store.transition(done.id, ['running'], 'completed', {}, { at: w.clock.now().toISOString() });
    const outcome = await s.requestMigration({
      fromEventId: FROM,
      toEventId: OTHER_TO,
      requester: CAT,
      conversationId: 'conv-1',
    });
    expect(outcome).toMatchObject({ kind: 'blocked', blockedBy: { kind: 'already_migrated', job: { id: done.id } } });
    expect(await w.store.listJobs(ENV, 10)).toHaveLength(1);
  });
});

describe('approve', () => {
  it('records the approver, the time and the replace toggle, and calls nothing', async () => {
    const s = w.service();
    const job = await request(s);
    w.clock.t += 5 * 60_000;
    const outcome = await s.approve(job.id, BEN, { ...ALL_TICKED, replaceRunning: 'true' });
    expect(outcome).toMatchObject({
      kind: 'approved',
      job: {
        state: 'approved',
        approvedBy: BEN,
        approvedAt: '2026-11-30T09:05:00.000Z',
        stopExistingIfJobRunning: true,
      },
    });
    expect(w.api.starts).toHaveLength(0);
    expect((await w.store.auditTrail(job.id)).at(-1)).toMatchObject({ to: 'approved', by: BEN });
  });

  it('refuses with any checklist item unticked, naming the missing ones; the job stays pending', async () => {
    const s = w.service();
    const job = await request(s);
    const outcome = await s.approve(job.id, BEN, {
      ...ALL_TICKED,
      journeysDisabled: 'false',
      manualFollowUpAccepted: undefined,
    });
    expect(outcome).toMatchObject({ kind: 'refused', missing: ['journeysDisabled', 'manualFollowUpAccepted'] });
    expect(outcome.kind === 'refused' && outcome.message).toMatch(/Trigger-based journeys/);
    expect(await stateOf(job.id)).toBe('pending_approval');
  });

  it('refuses a non-approver and the requester under the four-eyes rule', async () => {
    const listed = w.service({ approverIds: [BEN.aadObjectId!] });
    const job = await request(listed);
    expect(await listed.approve(job.id, CAT, ALL_TICKED)).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/APPROVER_IDS/),
    });
    const fourEyes = w.service({ requireSecondApprover: true });
    expect(await fourEyes.approve(job.id, ADA, ALL_TICKED)).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/second person/),
    });
    expect(await stateOf(job.id)).toBe('pending_approval');
    expect(await fourEyes.approve(job.id, BEN, ALL_TICKED)).toMatchObject({ kind: 'approved' });
  });

  it('expires a request approved after its TTL, and says so', async () => {
    const s = w.service();
    const job = await request(s);
    w.clock.t += 61 * 60_000;
    const outcome = await s.approve(job.id, BEN, ALL_TICKED);
    expect(outcome).toMatchObject({
      kind: 'unchanged',
      job: { state: 'expired' },
      message: expect.stringMatching(/expired/),
    });
    expect(await stateOf(job.id)).toBe('expired');
  });

  it('a second approval finds the job no longer pending and changes nothing', async () => {
    const s = w.service();
    const job = await request(s);
    await s.approve(job.id, BEN, ALL_TICKED);
    const again = await s.approve(job.id, CAT, ALL_TICKED);
    expect(again).toMatchObject({
      kind: 'unchanged',
      job: { state: 'approved', approvedBy: BEN },
      message: expect.stringMatching(/approved and about to start/),
    });
  });

  it('of two concurrent approvals exactly one wins', async () => {
    const s = w.service();
    const job = await request(s);
    const outcomes = await Promise.all([s.approve(job.id, BEN, ALL_TICKED), s.approve(job.id, CAT, ALL_TICKED)]);
    expect(outcomes.filter((o) => o.kind === 'approved')).toHaveLength(1);
    expect((await w.store.auditTrail(job.id)).filter((a) => a.to === 'approved')).toHaveLength(1);
  });

  // Issue 14 changed this: the second approval queues the job behind the active one instead of refusing it.
  it('one at a time: a second request approved while the first is active waits in the queue', async () => {
    const s = w.service();
    const first = await request(s);
    const second = await request(s, CAT, OTHER_FROM, OTHER_TO);
    await s.approve(first.id, BEN, ALL_TICKED);
    const outcome = await s.approve(second.id, BEN, ALL_TICKED);
    expect(outcome).toMatchObject({ kind: 'queued', job: { state: 'queued', aheadInQueue: 1, approvedBy: BEN } });
    expect(await stateOf(second.id)).toBe('queued');
    expect(await stateOf(first.id)).toBe('approved');
  });

  it('with "replace a running migration" ticked, does not queue: refused while the bot runs one, as before', async () => {
    const s = w.service();
    const first = await request(s);
    const second = await request(s, CAT, OTHER_FROM, OTHER_TO);
    await s.approve(first.id, BEN, ALL_TICKED);
    const outcome = await s.approve(second.id, BEN, { ...ALL_TICKED, replaceRunning: 'true' });
    expect(outcome).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(new RegExp(`Another migration is already active.*${FROM}`)),
    });
    expect(await stateOf(second.id)).toBe('pending_approval');
  });

  it('answers not found for an unknown job', async () => {
    expect(await w.service().approve('no-such-job', BEN, ALL_TICKED)).toMatchObject({ kind: 'not_found' });
  });
});

describe('cancel', () => {
  it('by the requester or an approver cancels without calling the service', async () => {
    const s = w.service({ approverIds: [BEN.aadObjectId!] });
    const mine = await request(s, CAT);
    expect(await s.cancel(mine.id, CAT)).toMatchObject({ kind: 'cancelled', job: { state: 'cancelled' } });
    const theirs = await request(s, CAT, OTHER_FROM, OTHER_TO);
    expect(await s.cancel(theirs.id, BEN)).toMatchObject({ kind: 'cancelled' });
    expect(w.api.starts).toHaveLength(0);
  });

  it('by someone else, with an approver list, is refused', async () => {
    const s = w.service({ approverIds: [BEN.aadObjectId!] });
    const job = await request(s);
    expect(await s.cancel(job.id, CAT)).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/only the requester or an approver/),
    });
    expect(await stateOf(job.id)).toBe('pending_approval');
  });

  it('after approval changes nothing', async () => {
    const s = w.service();
    const job = await request(s);
    await s.approve(job.id, BEN, ALL_TICKED);
    expect(await s.cancel(job.id, ADA)).toMatchObject({ kind: 'unchanged', job: { state: 'approved' } });
  });
});

describe('startApproved', () => {
  async function approved(s: MigrationService, inputs: Record<string, unknown> = ALL_TICKED): Promise<Job> {
    const job = await request(s);
    await s.approve(job.id, BEN, inputs);
    return job;
  }

  it('calls start once with the ids and the toggle, and marks the job running', async () => {
    const s = w.service();
    const job = await approved(s, { ...ALL_TICKED, replaceRunning: 'true' });
    const started = await s.startApproved(job.id);
    expect(started).toMatchObject({ state: 'running', startedAt: expect.any(String) });
    expect(w.api.starts).toEqual([{ from: FROM, to: TO, options: { stopExistingIfJobRunning: true } }]);
  });

  it('called twice at once (a re-sent invoke, a restart) calls the service once', async () => {
    const s = w.service();
    const job = await approved(s);
    await Promise.all([s.startApproved(job.id), s.startApproved(job.id), s.startApproved(job.id)]);
    expect(w.api.starts).toHaveLength(1);
    expect(await stateOf(job.id)).toBe('running');
  });

  it('never starts a job that is not approved', async () => {
    const s = w.service();
    const job = await request(s);
    await s.startApproved(job.id);
    expect(w.api.starts).toHaveLength(0);
    expect(await stateOf(job.id)).toBe('pending_approval');
  });

  it("a refused start ends in start_failed with the client's words, and frees the environment", async () => {
    const s = w.service();
    const job = await approved(s);
    w.api.startAnswer = async () => {
      throw new EventsApiError(
        'unauthorized',
        'The Events API refused the token (401). Check EVENTS_API_TOKEN.',
        401,
        1,
      );
    };
    expect(await s.startApproved(job.id)).toMatchObject({
      state: 'start_failed',
      lastError: expect.stringMatching(/EVENTS_API_TOKEN/),
    });
    expect(await w.store.activeJob(ENV)).toBeUndefined();
  });

  it("a 409 for someone else's job fails; a 409 for our own job (lost answer) counts as started", async () => {
    const s = w.service();
    const job = await approved(s);
    w.api.startAnswer = async () => {
      throw new EventsApiError('job_running', 'A migration is already running in this environment (409).', 409, 1);
    };
    w.api.reading = { state: 'running', fromEventId: OTHER_FROM, toEventId: OTHER_TO };
    expect(await s.startApproved(job.id)).toMatchObject({
      state: 'start_failed',
      lastError: expect.stringMatching(/already running/),
    });

    const retry = await s.retry(job.id, ADA, 'conv-1');
    expect(retry.kind).toBe('retry_created');
    const next = (retry as { job: Job }).job;
    await s.approve(next.id, BEN, ALL_TICKED);
    w.api.reading = { state: 'running', fromEventId: FROM, toEventId: TO };
    expect(await s.startApproved(next.id)).toMatchObject({ state: 'running' });
  });

  it('a non-EventsApiError still ends in start_failed, not a stuck job', async () => {
    const s = w.service();
    const job = await approved(s);
    w.api.startAnswer = async () => {
      throw new TypeError('boom');
    };
    expect(await s.startApproved(job.id)).toMatchObject({ state: 'start_failed' });
  });

  it("an unknown error's text stays in the log: the card says what failed and the log line's reference", async () => {
    const s = w.service();
    const job = await approved(s);
    const logger = captureLogger();
    const starter = new JobStarter({ store: w.store, api: w.api, clock: w.clock, logger });
    w.api.startAnswer = async () => {
      throw new TypeError('secret internals: cannot read x of undefined');
    };
    const failed = await starter.startApproved(job.id);
    const reference = /reference ([0-9a-f]{8})/.exec(failed?.lastError ?? '')?.[1];
    expect(failed?.lastError).toMatch(/The start call failed on the bot's side/);
    expect(reference).toBeDefined();
    const card = JSON.stringify(jobCard(failed!, { now: w.clock.now() }));
    expect(card).toContain(reference);
    expect(card).not.toContain('secret internals');
    const line = logger.at('error').find((l) => (l.obj as { reference?: string }).reference === reference);
    expect(logger.text()).toContain('secret internals');
    expect(line?.obj).toMatchObject({ err: expect.any(TypeError) });
  });
});

describe('retry', () => {
  it('opens a new pending request for the same ids, pointing at the original', async () => {
    const s = w.service();
    const job = await request(s);
    await s.approve(job.id, BEN, ALL_TICKED);
    w.api.startAnswer = async () => {
      throw new EventsApiError('unavailable', 'The Events API was unavailable after 5 tries.', 503, 5);
    };
    await s.startApproved(job.id);
    const outcome = await s.retry(job.id, CAT, 'conv-2');
    expect(outcome).toMatchObject({
      kind: 'retry_created',
      original: { id: job.id },
      job: {
        state: 'pending_approval',
        fromEventId: FROM,
        toEventId: TO,
        requestedBy: CAT,
        retryOf: job.id,
        conversationId: 'conv-2',
      },
    });
    expect(w.api.starts).toHaveLength(1);
  });

  it('of a job that has not failed changes nothing', async () => {
    const s = w.service();
    const job = await request(s);
    expect(await s.retry(job.id, ADA, 'conv-1')).toMatchObject({ kind: 'unchanged' });
    expect(await w.store.listJobs(ENV, 10)).toHaveLength(1);
  });
});

describe('reconcileAfterRestart', () => {
  it('starts an approved job that was never sent, exactly once', async () => {
    const s = w.service();
    const job = await request(s);
    await s.approve(job.id, BEN, ALL_TICKED);
    const resumed = await w.service().reconcileAfterRestart();
    expect(resumed.map((j) => [j.id, j.state])).toEqual([[job.id, 'running']]);
    expect(w.api.starts).toHaveLength(1);
  });

  it('does not send again a job caught mid-start that the service does not show', async () => {
    const s = w.service();
    const job = await request(s);
    await s.approve(job.id, BEN, ALL_TICKED);
    await w.store.transition(job.id, ['approved'], 'starting', {}, { at: w.clock.now().toISOString() });
    const [after] = await w.service().reconcileAfterRestart();
    expect(after).toMatchObject({ state: 'start_failed', lastError: expect.stringMatching(/restarted/) });
    expect(w.api.starts).toHaveLength(0);
  });
});

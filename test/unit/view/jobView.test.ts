import { CHECKLIST, REPLACE_TOGGLE_ID } from '../../../src/migration/checklist';
import { jobCard, MAX_ERRORS_SHOWN } from '../../../src/cards/views/jobCard';
import { ALICE, BOB, FROM, NOW, TO, endedJob, makeJob, runningJob } from '../../helpers/jobs';

const ctx = { now: NOW };
const text = (data: unknown): string => JSON.stringify(data);

describe('jobCard chooses the template for the state', () => {
  it.each([
    ['pending_approval', 'confirmation'],
    ['approved', 'progress'],
    ['starting', 'progress'],
    ['running', 'progress'],
    ['completed', 'review'],
    ['completed_with_errors', 'failure'],
    ['failed', 'failure'],
    ['start_failed', 'failure'],
    ['cancelled', 'closed'],
    ['expired', 'closed'],
    ['superseded', 'closed'],
    ['stopped', 'closed'],
  ] as const)('%s -> %s, with both ids and the requester', (state, template) => {
    const card = jobCard(endedJob(state), ctx);
    expect(card.template).toBe(template);
    expect(card.data.jobId).toBe(endedJob(state).id);
    const shown = text(card.data.facts);
    expect(shown).toContain(FROM);
    expect(shown).toContain(TO);
    expect(shown).toContain(ALICE.name);
  });

  it('shows a pending card past its expiry as expired, with no way to approve', () => {
    const card = jobCard(makeJob({ expiresAt: '2026-11-30T11:00:00.000Z' }), ctx);
    expect(card.template).toBe('closed');
    expect(card.data.stateLabel).toBe('Expired');
  });
});

describe('confirmation', () => {
  it('shows when it expires, every checklist item unticked, and can be approved', () => {
    const { data } = jobCard(makeJob(), ctx);
    expect(text(data.facts)).toContain('Expires');
    expect(text(data.facts)).toContain('2026-12-01 10:12 UTC');
    expect(data.actionable).toBe(true);
    expect(data.checklist).toEqual(CHECKLIST.map((i) => ({ id: i.id, title: i.title, value: 'false' })));
    expect(data.replaceToggleValue).toBe('false');
  });

  it('keeps what was ticked when it is drawn again', () => {
    const inputs = { [CHECKLIST[0].id]: 'true', [CHECKLIST[2].id]: true, [REPLACE_TOGGLE_ID]: 'true' };
    const { data } = jobCard(makeJob(), { now: NOW, inputs });
    expect((data.checklist as Array<{ value: string }>).map((i) => i.value)).toEqual([
      'true',
      'false',
      'true',
      'false',
    ]);
    expect(data.replaceToggleValue).toBe('true');
  });

  it('names the missing items of a refusal', () => {
    const refusal = { message: 'Tick every item before approving.', missing: [CHECKLIST[1].id, CHECKLIST[3].id] };
    const { data } = jobCard(makeJob(), { now: NOW, refusal });
    expect(data.showRefusal).toBe(true);
    expect(data.refusalText).toContain(refusal.message);
    expect(data.refusalText).toContain(CHECKLIST[1].title);
    expect(data.refusalText).toContain(CHECKLIST[3].title);
    expect(data.refusalText).not.toContain(CHECKLIST[0].title);
  });

  it('when blocked by a running job: a warning with its ids, state and requester, and no Approve', () => {
    const other = runningJob({
      id: 'job-other',
      fromEventId: 'aaaaaaaa-0000-0000-0000-000000000001',
      requestedBy: BOB,
    });
    const { data } = jobCard(makeJob(), { now: NOW, blockedBy: { kind: 'active', job: other } });
    expect(data.actionable).toBe(false);
    expect(data.blocked).toBe(true);
    const facts = text(data.blockedFacts);
    for (const expected of [other.fromEventId, other.toEventId, 'Running', BOB.name]) expect(facts).toContain(expected);
  });

  it('when the source was already migrated: says so', () => {
    const done = endedJob('completed', { id: 'job-done' });
    const { data } = jobCard(makeJob(), { now: NOW, blockedBy: { kind: 'already_migrated', job: done } });
    expect(data.actionable).toBe(false);
    expect(data.blockedText).toMatch(/already been migrated/);
    expect(text(data.blockedFacts)).toContain('Completed');
  });
});

describe('progress', () => {
  it('shows counts, percent, speed, time left, last check and the approver', () => {
    const { data } = jobCard(runningJob(), ctx);
    const facts = text(data.progressFacts);
    expect(facts).toContain('1,000 of 4,000 (25');
    expect(facts).toContain('about 1 every 7 seconds'); // 504 an hour, said as what is counted
    expect(facts).toContain('about 6 h'); // 12:00 -> 18:00
    expect(facts).toContain('2026-11-30 11:59 UTC');
    expect(text(data.facts)).toContain(BOB.name);
    expect(data.showBar).toBe(true);
  });

  it('shows a shortened raw body when the service answer was not understood', () => {
    const job = runningJob({ progress: { serviceState: 'unknown', rawState: 'Weird', rawSummary: '{"odd":"shape"}' } });
    const { data } = jobCard(job, ctx);
    expect(data.showRaw).toBe(true);
    expect(data.rawText).toBe('{"odd":"shape"}');
    expect(data.showBar).toBe(false);
  });

  it('says so when the bot has lost contact', () => {
    const job = runningJob({
      tracking: { ...runningJob().tracking, lostContactWarned: true, firstErrorAt: '2026-11-30T11:30:00.000Z' },
    });
    expect(jobCard(job, ctx).data.warningText).toMatch(/cannot reach/);
  });
});

describe('the end', () => {
  it('completed: counts and the after-migration checklist', () => {
    const { data } = jobCard(endedJob('completed'), ctx);
    expect(text(data.countFacts)).toContain('3,990 of 4,000');
    expect(data.stepsText).toMatch(/Publish/);
    expect(data.stepsText).toMatch(/waitlist/);
    expect(data.headerStyle).toBe('good');
  });

  it('failure: the error, the capped error list and the documented advice', () => {
    const errors = Array.from({ length: 1000 }, (_, i) => `Registration ${i} could not be copied`);
    const job = endedJob('failed', {
      lastError: 'The service reported "Failed".',
      progress: { serviceState: 'failed', errors },
    });
    const { data } = jobCard(job, ctx);
    expect(data.reasonText).toBe('The service reported "Failed".');
    expect(data.errors).toHaveLength(MAX_ERRORS_SHOWN);
    expect(data.errorsNote).toBe(`Showing ${MAX_ERRORS_SHOWN} of 1,000 errors.`);
    expect(data.adviceText).toMatch(/few.*by hand/);
    expect(data.adviceText).toMatch(/new draft real-time event/);
    expect(data.headerStyle).toBe('attention');
  });

  it('never shows the token, even if an error carries it', () => {
    const job = endedJob('start_failed', {
      lastError: 'GET https://x/obmMigration/status?emApplicationtoken=s3cr3t failed',
    });
    expect(text(jobCard(job, ctx).data)).not.toContain('s3cr3t');
  });

  it('cancelled: who and when', () => {
    const job = makeJob({ state: 'cancelled', endedAt: '2026-11-30T10:30:00.000Z' });
    const { data } = jobCard(job, { now: NOW, actor: BOB });
    expect(data.sentence).toContain(`Cancelled by ${BOB.name}`);
    expect(data.sentence).toContain('2026-11-30 10:30 UTC');
  });

  it('superseded: said plainly, with what replaced it', () => {
    const job = endedJob('superseded', { lastError: 'Replaced: the service now reports a migration of x -> y.' });
    const { data } = jobCard(job, ctx);
    expect(data.sentence).toMatch(/Another migration replaced this one/);
    expect(data.detailText).toContain('x -> y');
  });
});

import {
  ALL_TICKED,
  BEN,
  CAT,
  cardText,
  cardVerbs,
  contentOf,
  eventually,
  jobIdIn,
  startHarness,
  type Harness,
} from '../../helpers/botHarness';
import { job, lastCardContent, untilState } from '../../helpers/flow';
import { draftEventId } from '../../../src/migration/draftTarget';
import { SEED } from '../../../src/sim/dataverse/seed';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';

/**
 * `migrate <outbound id> new` over real HTTP against the simulated organisation: the bot makes the real-time draft
 * once per approval (a re-sent invoke, two approvers at once, a bot that dies between the create call and recording
 * it), a failed create ends as could-not-start with nothing started, and the app user's privileges decide.
 */

jest.setTimeout(60_000);

let org: SimOrganisation;
let h: Harness;

beforeEach(async () => {
  org = await startOrganisation({ events: { speed: 1000 } });
  // the seed's live journey would fail a check: stopped, every check passes and Approve goes through
  for (const j of org.dataverse.rows('msdynmkt_journeys')) j.statecode = 2;
});
afterEach(async () => {
  await h?.close();
  await org.close();
});

const EVENTS = 'msevtmgt_events';
const rowOf = (id: string) => org.dataverse.rows(EVENTS).find((r) => r.msevtmgt_eventid === id);
const creates = () => org.dataverse.created(EVENTS);
/** every create call that reached Dataverse, answered or not */
const createCalls = () => org.dataverse.calls.filter((c) => c.method === 'POST' && c.path === EVENTS).length;

/** `migrate <outbound> new`: the card it answered with (undefined when it answered in words only). */
async function requestNew(): Promise<{ jobId: string; cardId: string } | undefined> {
  const newCards = () => h.connector.cards().filter((c) => c.kind !== 'update');
  const before = newCards().length;
  expect(await h.say(`migrate ${SEED.outboundLive} new`)).toBe(200);
  const card = newCards()[before];
  return card ? { jobId: jobIdIn(contentOf(card)), cardId: card.id } : undefined;
}

async function checkedCard(cardId: string): Promise<string> {
  return eventually(() => {
    const text = cardText(lastCardContent(h, cardId) ?? {});
    return text.includes('Checked in Dataverse') ? text : undefined;
  }, 'the card filled in with the evidence');
}

const approveClick = (r: { jobId: string; cardId: string }, from = BEN) =>
  h.click('approve', { jobId: r.jobId, ...ALL_TICKED }, { from, replyToId: r.cardId });

describe('with Dataverse', () => {
  beforeEach(async () => {
    h = await startHarness({ organisation: org });
  });

  it('shows what will be created, creates it once under a re-sent approval, migrates into it and links it for review', async () => {
    const r = (await requestNew())!;
    const text = await checkedCard(r.cardId);
    const outbound = rowOf(SEED.outboundLive)!;
    expect(text).toContain('The bot will create this real-time event after approval');
    expect(text).toContain(String(outbound.msevtmgt_name));
    expect(text).toContain('2027-03-10 09:00 UTC');
    expect(text).toContain('2027-03-10 17:00 UTC');
    expect(text).toContain('Dataverse time zone code 110');
    expect(text).toContain('Real-time event');
    expect(text).toContain('Draft');
    expect(text).toContain('nothing else: no sessions, passes or other settings');
    // the target's checks do not apply to an event that is not there yet; the source's checks are read
    expect(text).toMatch(/passed\. the real-time event will be created by the bot after approval/);
    expect(text).toMatch(/passed\. ".*" is an outbound event \(Live\)/);
    expect(text).not.toContain('was not found in Dataverse');

    const stored = await job(h, r.jobId);
    expect(stored.toEventId).toBe(draftEventId(r.jobId));
    expect(stored.draftTarget?.createdAt).toBeUndefined();
    expect(rowOf(stored.toEventId)).toBeUndefined();

    // Teams sending the same Approve invoke again
    const [first, again] = [await approveClick(r), await approveClick(r)];
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    const done = await untilState(h, r.jobId, ['completed']);
    expect(createCalls()).toBe(1);
    expect(creates()).toBe(1);
    const made = rowOf(done.toEventId)!;
    expect(made).toMatchObject({
      msevtmgt_name: outbound.msevtmgt_name,
      msevtmgt_eventstartdate: outbound.msevtmgt_eventstartdate,
      msevtmgt_eventenddate: outbound.msevtmgt_eventenddate,
      msevtmgt_eventtimezone: outbound.msevtmgt_eventtimezone,
      msevtmgt_sourcesystem: 100000002,
      msevtmgt_publishstatus: 100000000,
    });
    const post = org.dataverse.calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe(EVENTS);
    expect(h.sim.startCalls()).toHaveLength(1);
    expect(h.sim.startCalls()[0].body).toMatchObject({ fromEventId: SEED.outboundLive, toEventId: done.toEventId });
    expect(done.draftTarget).toMatchObject({ foundExisting: false });
    const audit = (await h.app.store.auditTrail(r.jobId)).map((a) => a.note ?? '').join('\n');
    expect(audit).toContain(`the bot created the real-time event ${done.toEventId} in Dataverse`);

    const review = await eventually(() => {
      const t = cardText(lastCardContent(h, r.cardId) ?? {});
      return t.includes('Review it before you publish it') ? JSON.stringify(lastCardContent(h, r.cardId)) : undefined;
    }, 'the review card naming the made event');
    expect(review).toContain(`etn=msevtmgt_event&id=${done.toEventId}`);
  });

  it('takes a create answered "already exists" (a row it cannot read back) as the event made earlier', async () => {
    const r = (await requestNew())!;
    await checkedCard(r.cardId);
    const target = (await job(h, r.jobId)).toEventId;
    // made before (a lost answer), and not readable now: only the create's duplicate-key answer tells
    org.dataverse.rows(EVENTS).push({ msevtmgt_eventid: target, msevtmgt_name: 'made earlier', statecode: 0 });
    org.dataverse.hideRows(EVENTS, `msevtmgt_eventid eq ${target}`);
    await approveClick(r);
    const running = await untilState(h, r.jobId, ['running', 'completed']);
    expect(createCalls()).toBe(1);
    expect(creates()).toBe(0);
    expect(running.draftTarget).toMatchObject({ foundExisting: true });
    expect(h.sim.startCalls()).toHaveLength(1);
  });

  it('a create whose answer is lost after the row was stored: no second event, the id read again, the migration started into it', async () => {
    const r = (await requestNew())!;
    await checkedCard(r.cardId);
    org.dataverse.loseCreateAnswers();
    await approveClick(r);
    const running = await untilState(h, r.jobId, ['running', 'completed']);
    await h.app.afterTurn.drain();
    expect(createCalls()).toBe(1);
    expect(org.dataverse.calls.find((c) => c.method === 'POST')?.status).toBe(0);
    expect(creates()).toBe(1);
    expect(org.dataverse.rows(EVENTS).filter((e) => e.msevtmgt_eventid === running.toEventId)).toHaveLength(1);
    // read again after the lost answer: the GET of that id came after the create call
    const calls = org.dataverse.calls.map((c) => `${c.method} ${c.path}`);
    expect(calls.lastIndexOf(`GET ${EVENTS}(${running.toEventId})`)).toBeGreaterThan(calls.indexOf(`POST ${EVENTS}`));
    expect(running.draftTarget?.createdAt).toBeDefined();
    expect(h.sim.startCalls()).toHaveLength(1);
    expect(h.sim.startCalls()[0].body).toMatchObject({ fromEventId: SEED.outboundLive, toEventId: running.toEventId });
  });

  it('two approvers pressing Approve at once make one event and one start', async () => {
    const r = (await requestNew())!;
    await checkedCard(r.cardId);
    const answers = await Promise.all([approveClick(r, BEN), approveClick(r, CAT)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await untilState(h, r.jobId, ['running', 'completed']);
    await h.app.afterTurn.drain();
    expect(createCalls()).toBe(1);
    expect(creates()).toBe(1);
    expect(h.sim.startCalls()).toHaveLength(1);
  });

  it('a failed create ends the job as could-not-start with the reason and Retry; nothing is started', async () => {
    const r = (await requestNew())!;
    await checkedCard(r.cardId);
    org.dataverse.failCreates();
    await approveClick(r);
    const failed = await untilState(h, r.jobId, ['start_failed']);
    expect(failed.lastError).toMatch(
      /The real-time event could not be created in Dataverse: Dataverse failed on its side \(500\)/,
    );
    expect(creates()).toBe(0);
    expect(h.sim.startCalls()).toHaveLength(0);
    const card = await eventually(() => {
      const c = lastCardContent(h, r.cardId);
      return c && cardText(c).includes('could not be created') ? c : undefined;
    }, 'the failure card');
    expect(cardVerbs(card)).toContain('retry');

    // Retry: a new approval, and this time the create goes through, at the same id
    org.dataverse.clearFaults();
    const retried = await h.click('retry', { jobId: r.jobId }, { from: BEN, replyToId: r.cardId });
    expect(retried.status).toBe(200);
    const second = await eventually(async () => {
      const jobs = await h.app.store.listJobs(failed.environment, 5);
      return jobs.find((j) => j.retryOf === r.jobId);
    }, 'the retry job');
    expect(second.toEventId).toBe(failed.toEventId);
    expect(second.draftTarget?.spec).toEqual(failed.draftTarget?.spec);
  });

  it('refuses `new` before anyone approves when the app user may not create events, and `check` says so', async () => {
    expect(await h.say('check')).toBe(200);
    expect(h.connector.texts().pop()).toContain('May create events: Create and Write on `msevtmgt_event`');

    org.dataverse.setPrivilege('msevtmgt_event', 'Create', 'None');
    expect(await h.say('check')).toBe(200);
    expect(h.connector.texts().pop()).toContain('May not create events: no Create on `msevtmgt_event`');

    expect(await requestNew()).toBeUndefined();
    expect(h.connector.texts().pop()).toContain('The app user lacks the Create privilege on `msevtmgt_event`');
    expect(await h.app.store.jobsInStates(['pending_approval'])).toEqual([]);
    expect(creates()).toBe(0);
  });
});

it('a bot that dies after the create call and before recording it: the next one finds the event and makes no other', async () => {
  // a short shutdown deadline: stop() gives up on the start in flight, as a killed process would
  h = await startHarness({
    organisation: org,
    overrides: { shutdownDeadlineMs: 100, startWriteRetry: { totalMs: 0 } },
  });
  const r = (await requestNew())!;
  await checkedCard(r.cardId);
  // the row is stored at once; its answer comes too late for the bot that asked
  org.dataverse.holdCreates(1_500);
  await approveClick(r);
  await eventually(() => creates() === 1, 'the create call stored the row');
  expect((await job(h, r.jobId)).draftTarget?.createdAt).toBeUndefined();
  org.dataverse.holdCreates(0);
  await h.restart();
  const running = await untilState(h, r.jobId, ['running', 'completed']);
  // the new bot read the id and found the event: no second create call at all
  expect(createCalls()).toBe(1);
  expect(creates()).toBe(1);
  expect(org.dataverse.rows(EVENTS).filter((e) => e.msevtmgt_eventid === running.toEventId)).toHaveLength(1);
  expect(running.draftTarget).toMatchObject({ foundExisting: true });
  expect(h.sim.startCalls()).toHaveLength(1);
  const audit = (await h.app.store.auditTrail(r.jobId)).map((a) => a.note ?? '').join('\n');
  expect(audit).toContain('made for this job was found in Dataverse (not created again)');
});

it('without Dataverse, `new` answers that it needs Dataverse and stores nothing', async () => {
  h = await startHarness();
  expect(await h.say(`migrate ${SEED.outboundLive} new`)).toBe(200);
  expect(h.connector.cards()).toHaveLength(0);
  expect(h.connector.texts().pop()).toContain('Making the draft real-time event needs Dataverse');
  expect(await h.app.store.jobsInStates(['pending_approval'])).toEqual([]);
});

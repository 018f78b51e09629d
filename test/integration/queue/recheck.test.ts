import {
  ADA,
  ALL_TICKED,
  BEN,
  cardText,
  cardVerbs,
  eventually,
  startHarness,
  type Harness,
} from '../../helpers/botHarness';
import { job, lastCardContent, request, untilDelivered, untilState, type Requested } from '../../helpers/flow';
import { SEED } from '../../../src/sim/dataverse/seed';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';

/**
 * Before a queued job starts, the checks Dataverse can make are read again (the Approve gate, on the evidence
 * the approval saw): a job whose checks now fail is held, its people are told, and the queue moves on.
 */

let org: SimOrganisation;
let h: Harness;

beforeEach(async () => {
  // 294 live registrations at 150 a second: about two seconds for the first run, time to queue behind it
  org = await startOrganisation({ events: { speed: 150 } });
  h = await startHarness({ organisation: org });
  for (const j of org.dataverse.rows('msdynmkt_journeys')) j.statecode = 2;
});
afterEach(async () => {
  await h.close();
  await org.close();
});

async function checked(r: Requested): Promise<void> {
  await eventually(() => {
    const text = cardText(lastCardContent(h, r.cardId) ?? {});
    return text.includes('Checked in Dataverse') || text.includes('could not be made');
  }, 'the card filled in with the evidence');
}

async function approveWith(r: Requested, inputs: Record<string, unknown> = {}): Promise<string> {
  const answer = await h.click(
    'approve',
    { jobId: r.jobId, ...ALL_TICKED, ...inputs },
    { from: BEN, replyToId: r.cardId },
  );
  return cardText(answer.body.value);
}

it('holds a queued job whose target changed since its approval, tells its people, and starts the next', async () => {
  const first = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank, by: ADA });
  await checked(first);
  await approveWith(first);
  await untilState(h, first.jobId, ['running']);

  const second = await request(h, { from: SEED.outboundDraft, to: SEED.realTimeBlank2, by: ADA });
  await checked(second);
  expect(await approveWith(second)).toMatch(/In the queue, 1 ahead of it/);
  // a failing check overridden with a reason at Approve stays overridden at the start (nothing new was found)
  const third = await request(h, { from: SEED.outboundDraft, to: SEED.realTimeLive, by: ADA });
  await checked(third);
  const reason = 'Rehearsal into a live test event';
  expect(await approveWith(third, { overrideFailedChecks: 'true', overrideReason: reason })).toMatch(
    /In the queue, 2 ahead of it/,
  );

  // meanwhile someone adds a session to the second one's target
  org.dataverse.rows('msevtmgt_sessions').push({
    msevtmgt_sessionid: '5e000000-0000-4000-8000-0000000000fe',
    msevtmgt_name: 'Added while it waited',
    _msevtmgt_event_value: SEED.realTimeBlank2,
  });

  const held = await untilState(h, second.jobId, ['held'], 20_000);
  expect(held.heldFor).toMatchObject({ why: 'drift' });
  await untilState(h, third.jobId, ['running', 'completed'], 20_000);
  const starts = org.events.startCalls().map((c) => (c.body as { toEventId: string }).toEventId);
  expect(starts).toEqual([SEED.realTimeBlank, SEED.realTimeLive]);

  await untilDelivered(h, second.jobId);
  const told = h.connector.texts().find((t) => t.includes('was not started: the checks read again'));
  expect(told).toMatch(/Ada Admin.*Ben Approver/);
  expect(told).toMatch(/Dataverse changed since the approval: .*1 session/);
  const card = lastCardContent(h, second.cardId);
  expect(cardText(card)).toMatch(/Held: checks failed/);
  expect(cardText(card)).toMatch(/Dataverse changed since the approval/);
  expect(cardVerbs(card)).toContain('retry');
  expect((await job(h, third.jobId)).preflight?.override?.reason).toBe(reason);
});

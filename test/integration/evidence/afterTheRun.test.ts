import { ALL_TICKED, BEN, cardText, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { lastCardContent, request, textMessages, untilDelivered, untilState, type Requested } from '../../helpers/flow';
import { SEED } from '../../../src/sim/dataverse/seed';
import type { SimOrganisation } from '../../../src/sim/organisation';
import { startOrganisation } from '../../../src/sim/organisation';
import type { SimulatorOptions } from '../../../src/sim/simulator';

/** After the run: source against target on the review card, `missing`, and progress counted in Dataverse. */

let org: SimOrganisation;
let h: Harness;

async function start(events: SimulatorOptions = {}): Promise<void> {
  org = await startOrganisation({ events: { speed: 1000, ...events } });
  // the seed's live journeys would make every approval need an override; these tests are about the end
  for (const j of org.dataverse.rows('msdynmkt_journeys')) j.statecode = 2;
  h = await startHarness({ organisation: org });
}
afterEach(async () => {
  await h.close();
  await org.close();
});

async function migrate(): Promise<Requested> {
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank });
  await eventually(() => cardText(lastCardContent(h, r.cardId) ?? {}).includes('Checked in Dataverse'), 'evidence');
  const answer = await h.click('approve', { jobId: r.jobId, ...ALL_TICKED }, { from: BEN, replyToId: r.cardId });
  expect(answer.status).toBe(200);
  return r;
}

const reviewText = (r: Requested) =>
  eventually(() => {
    const text = cardText(lastCardContent(h, r.cardId) ?? {});
    return text.includes('Compared in Dataverse:') ? text : undefined;
  }, 'the reconciliation on the review card');

it('names the few registrations that did not arrive on the review card, with the advice to add them by hand', async () => {
  await start();
  org.leaveOut(3);
  const r = await migrate();
  await untilState(h, r.jobId, ['completed']);
  const text = await reviewText(r);
  expect(text).toContain('294 in the outbound event, 291 in the real-time event');
  expect(text).toMatch(/Compared in Dataverse: 3 registrations did not arrive\. [^.]+, [^.]+, [^.]+\./);
  expect(text).toContain('That is only a few: add them to the real-time event by hand.');
  expect(text).toContain('The service reports the migration complete, but 3 registrations did not arrive');
  expect(text).not.toContain('All done');
  expect(text).toMatch(/Session registrations\s+150 in the outbound event, \d+ in the real-time event/);

  const before = textMessages(h).length;
  expect(await h.say('missing')).toBe(200);
  const answer = textMessages(h).slice(before);
  expect(answer).toHaveLength(1);
  expect(answer[0].activity.text).toContain('Missing registrations 1-3 of 3');
  expect(answer[0].activity.text).toContain('Only a few: add them to the real-time event by hand.');
  const names = (answer[0].activity.text as string).split('\n').filter((l) => l.startsWith('- '));
  expect(names).toHaveLength(3);
  for (const n of names) expect(text).toContain(n.slice(2));
});

it('with many missing: ten named on the card, all of them by `missing <job id>` in pages, and the advice to rerun', async () => {
  await start();
  org.leaveOut(150);
  const r = await migrate();
  await untilState(h, r.jobId, ['completed']);
  const text = await reviewText(r);
  expect(text).toContain('150 registrations did not arrive');
  expect(text).toContain('and 140 more (type `missing` for all)');
  expect(text).toContain('create a new draft real-time event and run the migration again into it');

  const before = textMessages(h).length;
  await h.say(`missing ${r.jobId}`);
  const pages = textMessages(h).slice(before);
  expect(pages).toHaveLength(2);
  expect(pages[0].activity.text).toContain('Missing registrations 1-100 of 150');
  expect(pages[1].activity.text).toContain('Missing registrations 101-150 of 150');
  const listed = pages.flatMap((p) => (p.activity.text as string).split('\n').filter((l) => l.startsWith('- ')));
  expect(new Set(listed).size).toBe(150);
});

it('says the comparison could not be verified when the role hides registrations, never "everything arrived"', async () => {
  await start();
  const r = await migrate();
  await untilState(h, r.jobId, ['completed']);
  await untilDelivered(h, r.jobId);
  org.dataverse.narrowRole('msevtmgt_eventregistration');
  const before = textMessages(h).length;
  await h.say('missing');
  const answer = textMessages(h).slice(before)[0].activity.text as string;
  expect(answer).toContain('could not be verified');
  expect(answer).not.toContain('arrived in the real-time event');
});

it('`missing` while the job runs, and with a bad argument, says so and changes nothing', async () => {
  await start({ speed: 5 });
  const r = await migrate();
  await untilState(h, r.jobId, ['running']);
  const before = textMessages(h).length;
  await h.say('missing');
  await h.say('missing a b');
  const answers = textMessages(h)
    .slice(before)
    .map((m) => m.activity.text as string);
  expect(answers[0]).toContain('the missing registrations are listed once it ends');
  expect(answers[1]).toContain('`missing` takes at most one job id');
});

it('shows the target count "counted in Dataverse" when the service gives only a percent, read once every few polls', async () => {
  await start({ speed: 40, variant: 'percent' });
  const r = await migrate();
  const callsBefore = org.dataverse.calls.length;
  const pollsBefore = org.events.statusCalls().length;
  await untilState(h, r.jobId, ['running']);
  const text = await eventually(() => {
    const t = cardText(lastCardContent(h, r.cardId) ?? {});
    return /\d+ registrations \(counted in Dataverse/.test(t) ? t : undefined;
  }, 'a count from Dataverse on the progress card');
  expect(text).toContain('counted in Dataverse');
  await untilState(h, r.jobId, ['completed'], 30_000);
  // the counter's calls only: aggregate counts of the target, made while the job ran (not the checks', not the list)
  const counts = org.dataverse.calls
    .slice(callsBefore)
    .filter(
      (c) =>
        c.path.startsWith('msevtmgt_eventregistrations') &&
        (c.query.$apply ?? '').includes(SEED.realTimeBlank) &&
        !(c.query.$apply ?? '').includes('iscanceled'),
    ).length;
  const polls = org.events.statusCalls().length - pollsBefore;
  expect(counts).toBeGreaterThan(0);
  expect(counts).toBeLessThanOrEqual(Math.ceil(polls / 3) + 1);
});

it('compares after a restart a job that ended before its comparison was stored', async () => {
  await start();
  org.leaveOut(2);
  const r = await migrate();
  await untilState(h, r.jobId, ['completed']);
  await eventually(async () => (await h.app.store.getJob(r.jobId))?.reconciliation, 'the first comparison');
  await untilDelivered(h, r.jobId);
  // as if the bot had stopped between the end and the comparison
  await h.app.store.update(r.jobId, { reconciliation: undefined });
  expect((await h.app.store.getJob(r.jobId))?.reconciliation).toBeUndefined();
  await h.restart();
  const again = await eventually(async () => (await h.app.store.getJob(r.jobId))?.reconciliation, 'the comparison');
  expect(again.missingCount).toBe(2);
});

it('compares a failed run on its failure card, and a Retry gets its checks on the new card', async () => {
  await start({ outcome: 'failed' });
  const r = await migrate();
  await untilState(h, r.jobId, ['failed']);
  const text = await reviewText(r);
  expect(text).toMatch(/Registrations\s+294 in the outbound event, \d+ in the real-time event/);
  const cardsBefore = h.connector.cards().filter((c) => c.kind !== 'update').length;
  const answer = await h.click('retry', { jobId: r.jobId }, { from: BEN, replyToId: r.cardId });
  expect(answer.status).toBe(200);
  await h.app.afterTurn.drain();
  const retryCard = await eventually(
    () => h.connector.cards().filter((c) => c.kind !== 'update')[cardsBefore],
    'the retry card',
  );
  await eventually(
    () => cardText(lastCardContent(h, retryCard.id) ?? {}).includes('Checked in Dataverse'),
    'the retry card filled in',
  );
});

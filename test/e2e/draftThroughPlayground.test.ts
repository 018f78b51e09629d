import { ALL_TICKED, cardText, cardVerbs } from '../helpers/botHarness';
import { draftEventId } from '../../src/migration/draftTarget';
import { SEED } from '../../src/sim/dataverse/seed';
import { cardOf, type PlaygroundAccount } from './playgroundClient';
import { pickAndNext } from './pickerWalk';
import { startE2e, type E2e } from './playgroundHarness';

/**
 * The draft made by the bot, through the Agents Playground with the simulated Dataverse on: `migrate` alone, the
 * outbound event and "a new draft real-time event" picked from the card's initial lists (the Playground has no
 * type-ahead; see pickersThroughPlayground.test.ts), Next, the confirmation card showing what will be created,
 * approval by a second person, and the migration running into the created event to its review card.
 */

const EVENTS = 'msevtmgt_events';

describe('the draft real-time event made by the bot, through the Agents Playground', () => {
  let e: E2e;
  let approver: PlaygroundAccount;

  beforeAll(async () => {
    e = await startE2e({ dataverse: true, env: { REQUIRE_SECOND_APPROVER: 'true' }, sim: { speed: 100 } });
    approver = e.teams.users[0];
    // The seed's live journey would (rightly) fail a pre-flight check; this walk is about the made draft.
    for (const j of e.dataverse!.rows('msdynmkt_journeys')) j.statecode = 2;
  }, 40_000);

  afterAll(async () => {
    await e?.close();
  });

  it('migrate alone, pick the outbound event and "new", Next, see what will be created, approve, and it runs into the created event', async () => {
    const dv = e.dataverse!;
    const outbound = dv.rows(EVENTS).find((r) => r.msevtmgt_eventid === SEED.outboundLive)!;
    const eventsBefore = dv.rows(EVENTS).length;

    let made: { title: string; value: string } | undefined;
    const { thread, answer, confirmation, jobId } = await pickAndNext(e, (from, to) => {
      made = to.choices.find((c) => c.value === 'new');
      return { fromEventId: from.choices.find((c) => c.value === SEED.outboundLive)!.value, toEventId: 'new' };
    });
    expect(made?.title).toBe('A new draft real-time event, made from the outbound event');
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toContain('A new draft real-time event, made from the outbound event');
    expect(cardVerbs(answer.value)).toEqual([]);

    const eventId = draftEventId(jobId);
    const checked = await e.client.waitFor(() => {
      const text = cardText(cardOf(e.client.latest(confirmation.messageId)!));
      return /Checked in Dataverse/.test(text) ? text : undefined;
    }, "Dataverse's evidence on the confirmation card");
    // what will be created: the outbound event's name, start, end and time zone; real-time; Draft; nothing else
    expect(checked).toContain('The bot will create this real-time event after approval');
    expect(checked).toContain(String(outbound.msevtmgt_name));
    expect(checked).toContain('2027-03-10 09:00 UTC');
    expect(checked).toContain('2027-03-10 17:00 UTC');
    expect(checked).toContain('Dataverse time zone code 110');
    expect(checked).toContain('Real-time event');
    expect(checked).toContain('Draft');
    expect(checked).toContain('nothing else: no sessions, passes or other settings');
    expect(checked).toMatch(/passed\. the real-time event will be created by the bot after approval/);
    expect(dv.rows(EVENTS)).toHaveLength(eventsBefore);

    const click = (who: PlaygroundAccount) =>
      e.client.execute({
        conversationId: thread,
        from: who.id,
        replyToId: confirmation.messageId,
        verb: 'approve',
        data: { jobId, ...ALL_TICKED, replaceRunning: 'false' },
      });
    const byRequester = await click(e.me);
    expect(cardText(byRequester.value)).toMatch(/a second person must approve/);
    expect(dv.created(EVENTS)).toBe(0);

    const approved = await click(approver);
    expect(cardText(approved.value)).toMatch(new RegExp(`Approved by ${approver.name}`));
    await e.client.waitFor(() => e.sim.startCalls().length === 1, 'the start call');
    expect(e.sim.startCalls()[0].body).toEqual({ fromEventId: SEED.outboundLive, toEventId: eventId });

    const review = await e.client.waitFor(
      () => {
        const card = cardOf(e.client.latest(confirmation.messageId)!);
        return /Completed/.test(cardText(card)) ? card : undefined;
      },
      'the review card in place of the confirmation card',
      20_000,
    );
    expect(cardText(review)).toContain('Review it before you publish it');
    expect(JSON.stringify(review)).toContain(`etn=msevtmgt_event&id=${eventId}`);

    // At Dataverse: exactly one event created, at the id derived from the job, as a real-time event.
    expect(dv.created(EVENTS)).toBe(1);
    expect(dv.calls.filter((c) => c.method === 'POST' && c.path === EVENTS)).toHaveLength(1);
    expect(dv.rows(EVENTS)).toHaveLength(eventsBefore + 1);
    const rows = dv.rows(EVENTS).filter((r) => r.msevtmgt_eventid === eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      msevtmgt_name: outbound.msevtmgt_name,
      msevtmgt_sourcesystem: 100000002,
      msevtmgt_publishstatus: 100000000,
    });
    expect(e.sim.startCalls()).toHaveLength(1);

    // The walk ends when the bot has nothing left to do for the job: every notice delivered.
    let settled = false;
    await e.client.waitFor(() => {
      void e.app.store.getJob(jobId).then((j) => {
        settled = !!j?.reconciliation && j.outbox.length === 0 && !j.cardDirty;
      });
      return settled;
    }, 'the reconciliation recorded and every notice delivered');
  });
});

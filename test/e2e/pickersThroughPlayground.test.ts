import { ALL_TICKED, cardText, cardVerbs } from '../helpers/botHarness';
import { SEED } from '../../src/sim/dataverse/seed';
import { cardOf, type PlaygroundAccount } from './playgroundClient';
import { pickAndNext } from './pickerWalk';
import { startE2e, type E2e } from './playgroundHarness';

/**
 * `migrate` alone through the Agents Playground with the simulated Dataverse on: the picker card, both events
 * picked from its initial lists, Next, the confirmation card with Dataverse's evidence, approval by a second
 * person, and the migration running to its review card.
 *
 * The Playground (0.2.28) has no dynamic type-ahead: its web client never sends `application/search` (the string
 * is nowhere in its bundle), and its invoke API refuses that name (400 BadArgument: only adaptiveCard/action,
 * message/submitAction and composeExtension/* are accepted). So a person there picks from the card's static
 * choices, the most recent events; the search invoke is tested over HTTP, in the shape Teams sends it, in
 * test/integration/bot/eventPickers.test.ts.
 */

describe('picking the events through the Agents Playground', () => {
  let e: E2e;
  let approver: PlaygroundAccount;

  beforeAll(async () => {
    e = await startE2e({ dataverse: true, sim: { speed: 100 } });
    approver = e.teams.users[0];
    // The seed's live journey would (rightly) fail a pre-flight check; this walk is about picking.
    for (const j of e.dataverse!.rows('msdynmkt_journeys')) j.statecode = 2;
  }, 40_000);

  afterAll(async () => {
    await e?.close();
  });

  it('migrate alone, pick both from the initial lists, Next, approve, and the migration runs', async () => {
    const { thread, answer, confirmation, jobId } = await pickAndNext(e, (from, to) => {
      expect(from['choices.data'].dataset).toBe('outbound');
      expect(to['choices.data'].dataset).toBe('blank_draft');
      const source = from.choices.find((c) => c.title.startsWith('Contoso Summit 2026 (outbound) ·'))!;
      const target = to.choices.find((c) => c.title.startsWith('Contoso Summit 2026 ·'))!;
      expect(source.value).toBe(SEED.outboundLive);
      expect(target.value).toBe(SEED.realTimeBlank);
      return { fromEventId: source.value, toEventId: target.value };
    });
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardVerbs(answer.value)).toEqual([]);
    expect(cardText(cardOf(confirmation))).toContain(SEED.outboundLive);
    expect(cardText(cardOf(confirmation))).toContain(SEED.realTimeBlank);
    await e.client.waitFor(
      () => /Checked in Dataverse: passed/.test(cardText(cardOf(e.client.latest(confirmation.messageId)!))),
      "Dataverse's evidence on the confirmation card",
    );

    const approved = await e.client.execute({
      conversationId: thread,
      from: approver.id,
      replyToId: confirmation.messageId,
      verb: 'approve',
      data: { jobId, ...ALL_TICKED, replaceRunning: 'false' },
    });
    expect(cardText(approved.value)).toMatch(new RegExp(`Approved by ${approver.name}`));
    await e.client.waitFor(() => e.sim.startCalls().length === 1, 'the start call');
    expect(e.sim.startCalls()[0].body).toEqual({ fromEventId: SEED.outboundLive, toEventId: SEED.realTimeBlank });
    await e.client.waitFor(
      () => /Completed/.test(cardText(cardOf(e.client.latest(confirmation.messageId)!))),
      'the review card in place of the confirmation card',
      20_000,
    );
    // The walk ends when the bot has nothing left to do for the job: compared in Dataverse, every notice delivered.
    await e.client.waitFor(
      () => e.client.fromBot().some((ev) => ev.action === 'createMessage' && /is complete/.test(ev.message.text ?? '')),
      'the completion alert',
    );
    let settled = false;
    await e.client.waitFor(() => {
      void e.app.store.getJob(jobId).then((j) => {
        settled = !!j?.reconciliation && j.outbox.length === 0 && !j.cardDirty;
      });
      return settled;
    }, 'the reconciliation recorded and every notice delivered');
  });
});

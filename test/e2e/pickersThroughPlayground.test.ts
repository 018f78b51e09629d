import { ALL_TICKED, cardText, cardVerbs, jobIdIn } from '../helpers/botHarness';
import { SEED } from '../../src/sim/dataverse/seed';
import { cardOf, type PlaygroundAccount, type StreamEvent, type StreamMessage } from './playgroundClient';
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

interface ChoiceSet {
  id: string;
  choices: { title: string; value: string }[];
  'choices.data': { dataset: string };
}

const choiceSets = (card: unknown) =>
  ((card as { body: Record<string, unknown>[] }).body ?? []).filter(
    (b) => b.type === 'Input.ChoiceSet',
  ) as unknown as ChoiceSet[];

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
    const posted = await e.say('migrate');
    const thread = posted.postConversationId;
    const pickerMessage = await e.answerTo(posted);
    const picker = cardOf(pickerMessage);
    const [from, to] = choiceSets(picker);
    expect(from['choices.data'].dataset).toBe('outbound');
    expect(to['choices.data'].dataset).toBe('blank_draft');
    const source = from.choices.find((c) => c.title.startsWith('Contoso Summit 2026 (outbound) ·'))!;
    const target = to.choices.find((c) => c.title.startsWith('Contoso Summit 2026 ·'))!;
    expect(source.value).toBe(SEED.outboundLive);
    expect(target.value).toBe(SEED.realTimeBlank);

    const next = (picker as { actions: { verb: string; data: Record<string, unknown> }[] }).actions.find(
      (a) => a.verb === 'pick_events',
    )!;
    const answer = await e.client.execute({
      conversationId: thread,
      from: e.me.id,
      replyToId: pickerMessage.messageId,
      verb: 'pick_events',
      data: { ...next.data, fromEventId: source.value, toEventId: target.value },
    });
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardVerbs(answer.value)).toEqual([]);

    const isConfirmation = (ev: StreamEvent) =>
      ev.action === 'createMessage' && cardVerbs(cardOf(ev.message)).includes('approve');
    const created = await e.client.waitFor(
      () => e.client.fromBot(thread).find(isConfirmation),
      'the confirmation card after Next',
    );
    const confirmation: StreamMessage = created.message;
    expect(cardText(cardOf(confirmation))).toContain(SEED.outboundLive);
    expect(cardText(cardOf(confirmation))).toContain(SEED.realTimeBlank);
    const jobId = jobIdIn(cardOf(confirmation))!;
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

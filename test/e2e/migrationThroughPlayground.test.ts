import { cardText, cardVerbs, jobIdIn } from '../helpers/botHarness';
import { cardOf, type PlaygroundAccount, type StreamEvent } from './playgroundClient';
import { startE2e, type E2e } from './playgroundHarness';

/**
 * What a team sees in (a local) Teams: the Agents Playground in front of the real bot and the Events API
 * simulator. Requester and approver are different people of the Playground's team.
 */

const FROM_EVENT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TO_EVENT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CHECKLIST = ['rtmEventIsMinimalDraft', 'outboundEventIsDraft', 'journeysDisabled', 'manualFollowUpAccepted'];
const toggles = (value: 'true' | 'false') => ({
  ...Object.fromEntries(CHECKLIST.map((id) => [id, value])),
  replaceRunning: 'false',
});

describe('a migration through the Agents Playground', () => {
  let e: E2e;
  let approver: PlaygroundAccount;

  beforeAll(async () => {
    // 300 registrations at 100 a second: about 3 s of progress to watch, polled every 100 ms.
    e = await startE2e({ env: { REQUIRE_SECOND_APPROVER: 'true' }, sim: { registrations: 300, speed: 100 } });
    approver = e.teams.users[0];
  }, 40_000);

  afterAll(async () => {
    await e?.close();
  });

  it('names a bad id in the thread and calls nothing', async () => {
    const posted = await e.say(`migrate not-a-guid ${TO_EVENT}`);
    const answer = await e.answerTo(posted);
    expect(answer.text).toMatch(/"not-a-guid" is not a GUID/);
    expect(answer.text).toMatch(/Usage: `migrate/);
    expect(e.sim.startCalls()).toHaveLength(0);
  });

  it('checklist card, refusals, approval by a second person, progress on the card, review card, completion alert, status', async () => {
    const posted = await e.say(`migrate {${FROM_EVENT.toUpperCase()}} ${TO_EVENT}`);
    const thread = posted.postConversationId;
    const first = await e.answerTo(posted);
    const confirmation = cardOf(first);
    expect(cardText(confirmation)).toContain(FROM_EVENT);
    expect(cardText(confirmation)).toContain(TO_EVENT);
    expect(cardText(confirmation)).toMatch(/Waiting for approval/);
    expect(cardVerbs(confirmation)).toEqual(expect.arrayContaining(['approve', 'cancel']));
    const jobId = jobIdIn(confirmation);
    const click = (from: PlaygroundAccount, data: Record<string, unknown>) =>
      e.client.execute({
        conversationId: thread,
        from: from.id,
        replyToId: first.messageId,
        verb: 'approve',
        data: { jobId, ...data },
      });

    const unticked = await click(approver, toggles('false'));
    expect(unticked.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(unticked.value)).toMatch(/Tick every item of the checklist/);

    const byRequester = await click(e.me, toggles('true'));
    expect(cardText(byRequester.value)).toMatch(/a second person must approve/);
    expect(e.sim.startCalls()).toHaveLength(0);

    const approved = await click(approver, toggles('true'));
    expect(cardText(approved.value)).toMatch(new RegExp(`Approved by ${approver.name}`));
    await e.client.waitFor(() => e.sim.startCalls().length === 1, 'the start call');
    expect(e.sim.startCalls()[0].body).toEqual({ fromEventId: FROM_EVENT, toEventId: TO_EVENT });

    const cardUpdates = () =>
      e.client
        .fromBot(thread)
        .filter((ev) => ev.action === 'updateMessage' && ev.message.messageId === first.messageId);
    const textOf = (ev: StreamEvent) => cardText(cardOf(ev.message));
    await e.client.waitFor(
      () =>
        cardUpdates().some(
          (ev) => /Running/.test(textOf(ev)) && /\d+ of 300/.test(textOf(ev)) && !/300 of 300/.test(textOf(ev)),
        ),
      'a progress update on the card while it runs',
    );
    const review = await e.client.waitFor(
      () => cardUpdates().find((ev) => /Completed/.test(textOf(ev))),
      'the review card in place of the confirmation card',
      15_000,
    );
    expect(textOf(review)).toMatch(/publish/i);
    expect(textOf(review)).toMatch(/waitlist/i);

    const alert = await e.client.waitFor(
      () => e.client.fromBot().find((ev) => ev.action === 'createMessage' && /is complete/.test(ev.message.text ?? '')),
      'the completion alert',
    );
    expect(alert.message.text).toContain(`<at>${e.me.name}</at>`);
    expect(alert.message.text).toContain(`<at>${approver.name}</at>`);

    const status = await e.answerTo(await e.say('status'));
    expect(status.text).toMatch(/Completed/);
    expect(status.text).toMatch(new RegExp(`Requested by ${e.me.name}`));
    expect(status.text).toMatch(new RegExp(`Approved by ${approver.name}`));
    expect(e.sim.startCalls()).toHaveLength(1);
  });
});

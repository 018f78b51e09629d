import { ADA, BEN, cardText, cardVerbs, CHANNEL, startHarness, type Harness } from '../../helpers/botHarness';
import {
  lastCardContent,
  requestAndApprove,
  textMessages,
  untilDelivered,
  untilState,
  updatesOf,
} from '../../helpers/flow';

describe('a migration followed from approval to the review card', () => {
  let h: Harness;
  beforeAll(async () => {
    // ~1.5 s of work, read every 100 ms: enough readings to cross every milestone.
    h = await startHarness({ sim: { registrations: 300, speed: 200 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('updates one card in place, posts few milestones, and alerts both people once at the end', async () => {
    const { jobId, cardId } = await requestAndApprove(h);
    await untilState(h, jobId, ['completed']);
    await untilDelivered(h, jobId);

    // The card: never a second card message, only updates of the first; it ends as the review card.
    const cards = h.connector.cards();
    expect(cards.filter((c) => c.kind !== 'update').map((c) => c.id)).toEqual([cardId]);
    const updates = updatesOf(h, cardId);
    expect(updates.length).toBeGreaterThan(3);
    const progressShown = updates
      .map((u) => cardText(u.activity.attachments![0].content))
      .filter((t) => /Running/.test(t) && /Migrated/.test(t));
    expect(progressShown.length).toBeGreaterThan(0);
    const review = cardText(lastCardContent(h, cardId));
    expect(review).toMatch(/Completed/);
    expect(review).toMatch(/300 of 300/);
    expect(review).toMatch(/publish/i);
    expect(review).toMatch(/waitlist/i);
    expect(cardVerbs(lastCardContent(h, cardId))).not.toContain('approve');

    // Milestones: a few messages in the card's thread, never one per reading.
    const texts = textMessages(h);
    const milestones = texts.filter((t) => /^\d+ % done/.test(t.activity.text!));
    expect(milestones.length).toBeGreaterThan(0);
    expect(milestones.length).toBeLessThanOrEqual(3);

    // The completion alert: once, top-level in the channel, @mentioning the requester and the approver.
    const alerts = texts.filter((t) => /is complete/.test(t.activity.text!));
    expect(alerts).toHaveLength(1);
    const alert = alerts[0];
    expect(alert.conversationId).toBe(CHANNEL);
    const mentioned = (alert.activity.entities ?? []).filter((e) => e.type === 'mention').map((e) => e.mentioned?.id);
    expect(mentioned).toEqual(expect.arrayContaining([ADA.id, BEN.id]));
    expect(alert.activity.text).toContain(`<at>${ADA.name}</at>`);
    expect(alert.activity.text).toContain(`<at>${BEN.name}</at>`);

    // Nothing more is posted once the job has ended.
    const sentAtEnd = h.connector.sent.length;
    const callsAtEnd = h.sim.statusCalls().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.connector.sent.length).toBe(sentAtEnd);
    expect(h.sim.statusCalls().length).toBe(callsAtEnd);
  });
});

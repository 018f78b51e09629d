import { cardText, contentOf, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, textMessages, untilState, updatesOf } from '../../helpers/flow';

/** The shared card says so while the bot cannot read the status, and stops saying so once it can again. */

const WARNING = /cannot reach the Events API/;

describe('the card during a status outage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      sim: { registrations: 400, speed: 100 },
      eventsApiRetry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 200 },
      overrides: {
        trackingRules: { lostContactAfterErrors: 3, lostContactAfterMs: 300 },
        pollRules: { maxBackoff: 2 },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows the warning with the lost-contact message, and drops it once contact is back', async () => {
    const { jobId, cardId } = await requestAndApprove(h);
    await untilState(h, jobId, ['running']);
    await eventually(() => (h.sim.currentJob()?.processed ?? 0) > 20, 'some progress');

    h.sim.injectFault({ kind: 'status5xx', code: 503 });
    const lostAt = () =>
      h.connector.sent.findIndex((s) => textMessages(h).includes(s) && /Lost contact/.test(s.activity.text!));
    await eventually(() => lostAt() >= 0, 'the lost-contact warning');
    // The card is redrawn in the same delivery, just before the message: within one update.
    const cardBefore = h.connector.sent
      .slice(0, lostAt())
      .filter((s) => s.kind === 'update' && s.activityId === cardId)
      .at(-1);
    expect(cardBefore && cardText(contentOf(cardBefore))).toMatch(WARNING);

    h.sim.clearFaults();
    await eventually(
      () => textMessages(h).some((t) => /Back in contact/.test(t.activity.text!)),
      'the back-in-contact message',
    );
    await eventually(() => {
      const last = updatesOf(h, cardId).at(-1);
      return last !== undefined && !WARNING.test(cardText(contentOf(last)));
    }, 'a card without the warning');
  });
});

import { cardText, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { STATUS_VARIANTS } from '../../../src/sim/variants';
import { lastCardContent, requestAndApprove, textMessages, untilDelivered, untilState } from '../../helpers/flow';

/** Each shape of the unpublished status answer, through a whole run of the bot. */

const understood = STATUS_VARIANTS.filter((v) => v !== 'odd');

/** Distinct event ids per run: a completed outbound event cannot be migrated again. */
const idsFor = (i: number) => ({
  from: `${String(i + 1).repeat(8)}-aaaa-4aaa-8aaa-${String(i + 1).repeat(12)}`,
  to: `${String(i + 1).repeat(8)}-bbbb-4bbb-8bbb-${String(i + 1).repeat(12)}`,
});

describe('every status shape the bot understands ends in a completed job', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { registrations: 120, speed: 400 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(understood.map((v, i) => [v, i] as const))('variant %s', async (variant, i) => {
    h.sim.setVariant(variant);
    const { jobId, cardId } = await requestAndApprove(h, idsFor(i));
    const done = await untilState(h, jobId, ['completed', 'completed_with_errors', 'failed', 'superseded', 'stopped']);
    expect(done.state).toBe('completed');
    await untilDelivered(h, jobId);
    const review = cardText(lastCardContent(h, cardId));
    expect(review).toMatch(/Completed/);
    expect(review).toMatch(/100 %/);
    const alerts = textMessages(h).filter(
      (t) => t.activity.text!.includes(idsFor(i).from) && /is complete/.test(t.activity.text!),
    );
    expect(alerts).toHaveLength(1);
  });
});

describe('a status shape nobody understands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { registrations: 50, speed: 500, variant: 'odd' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('never completes or fails the job: it stays running and the card shows the raw answer', async () => {
    const { jobId, cardId } = await requestAndApprove(h);
    await eventually(() => h.sim.currentJob()?.state === 'completed', 'the simulated job to end');
    const callsAtEnd = h.sim.statusCalls().length;
    await eventually(() => h.sim.statusCalls().length >= callsAtEnd + 3, 'more status reads after the end');
    await untilDelivered(h, jobId);
    const stored = await h.app.store.getJob(jobId);
    expect(stored?.state).toBe('running');
    expect(stored?.progress.serviceState).toBe('unknown');
    const shown = cardText(lastCardContent(h, cardId));
    expect(shown).toMatch(/Running/);
    expect(shown).toContain('phase');
    expect(textMessages(h).filter((t) => /complete|failed/i.test(t.activity.text!))).toHaveLength(0);
  });
});

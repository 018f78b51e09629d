import type { Plan, Job } from '../../../src/migration/types';
import { summaryOf } from '../../../src/migration/plans';
import { planSummaryText } from '../../../src/words/planText';

const plan: Plan = {
  id: 'p',
  environment: 'default',
  conversationId: 'c',
  requestedBy: { id: 'ada', name: 'Ada' },
  requestedAt: '2026-12-02T01:00:00.000Z',
  state: 'approved',
  pairs: [
    { jobId: 'j1', fromEventId: 'f1', toEventId: 't1', fromName: 'Gala *2026*', toName: 'Gala' },
    { jobId: 'j2', fromEventId: 'f2', toEventId: 't2' },
    { jobId: 'j3', fromEventId: 'f3', toEventId: 't3' },
  ],
};

const job = (id: string, state: Job['state'], progress: Job['progress'] = {}) => ({ id, state, progress }) as Job;

describe('the summary of a plan', () => {
  const summary = summaryOf(plan, [
    job('j1', 'completed', { processed: 300, failed: 0 }),
    job('j2', 'completed_with_errors', { processed: 1200, failed: 24 }),
    job('j3', 'start_failed'),
  ]);

  it('counts completed and completed-with-errors as migrated, every other ending as failed', () => {
    expect(summary).toMatchObject({ planId: 'p', migrated: 2, failed: 1 });
    expect(summary.pairs.map((p) => p.state)).toEqual(['completed', 'completed_with_errors', 'start_failed']);
  });

  it('lists each pair in order with its ending and counts, names shown as text, not markdown', () => {
    const text = planSummaryText(summary);
    const lines = text.split('\n\n');
    expect(lines[0]).toBe('**Plan finished**: 2 of 3 pairs migrated, 1 failed or not run.');
    expect(lines[1]).toMatch(
      /^1\. Gala \\\*2026\\\* \(`f1`\) → Gala \(`t1`\): \*\*Completed\*\*: 300 registrations migrated, 0 failed$/,
    );
    expect(lines[2]).toMatch(/^2\. `f2` → `t2`: \*\*.+\*\*: 1,200 registrations migrated, 24 failed$/);
    expect(lines[3]).toBe('3. `f3` → `t3`: **Could not start**');
  });
});

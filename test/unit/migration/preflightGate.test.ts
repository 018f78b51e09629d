import { driftBetween, judgeGate } from '../../../src/migration/preflightGate';
import type { CheckEvidence } from '../../../src/migration/preflightEvidence';

const passedTarget: CheckEvidence = { check: 'target_blank_draft', evidence: { outcome: 'passed', summary: 'blank' } };
const failedTarget = (found = ['"X" already has 1 session']): CheckEvidence => ({
  check: 'target_blank_draft',
  evidence: { outcome: 'failed', found, links: [] },
});
const unknownJourneys: CheckEvidence = {
  check: 'no_reacting_journeys',
  evidence: { outcome: 'could_not_check', why: 'timed out' },
};
const override = { overrideFailedChecks: 'true', overrideReason: 'agreed with marketing' };

describe('the pre-flight gate at Approve', () => {
  it('approves when nothing failed, whatever could not be checked', () => {
    expect(judgeGate([passedTarget, unknownJourneys], [passedTarget, unknownJourneys], {})).toEqual({ ok: true });
  });

  it('refuses a failed check the card showed, like an unticked item', () => {
    expect(judgeGate([failedTarget()], [failedTarget()], {})).toEqual({
      ok: false,
      why: 'failed',
      failed: ['target_blank_draft'],
      reasonMissing: false,
    });
  });

  it('lets an approver override a failed check only with a reason', () => {
    expect(judgeGate([failedTarget()], [failedTarget()], override)).toEqual({
      ok: true,
      overridden: { reason: 'agreed with marketing', failed: ['target_blank_draft'] },
    });
    expect(judgeGate([failedTarget()], [failedTarget()], { ...override, overrideReason: ' \n ' })).toMatchObject({
      ok: false,
      why: 'failed',
      reasonMissing: true,
    });
    expect(judgeGate([failedTarget()], [failedTarget()], { overrideReason: 'a reason, no tick' })).toMatchObject({
      ok: false,
      reasonMissing: false,
    });
  });

  it('refuses drift even with an override: a check that fails now but passed, or found less, on the card', () => {
    expect(judgeGate([passedTarget], [failedTarget()], override)).toEqual({
      ok: false,
      why: 'drift',
      drift: [{ check: 'target_blank_draft', found: ['"X" already has 1 session'] }],
    });
    const more = failedTarget(['"X" already has 1 session', '"X" already has 2 passes']);
    expect(driftBetween([failedTarget()], [more])).toHaveLength(1);
  });

  it('treats a failure found while the card was still being checked as drift (nobody saw it)', () => {
    expect(driftBetween(undefined, [failedTarget()])).toHaveLength(1);
  });

  it('is not drift when a check got better or could not be made this time', () => {
    expect(driftBetween([failedTarget()], [passedTarget])).toEqual([]);
    expect(driftBetween([passedTarget], [{ ...unknownJourneys, check: 'target_blank_draft' }])).toEqual([]);
  });
});

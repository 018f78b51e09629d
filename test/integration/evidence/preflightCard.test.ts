import {
  ADA,
  ALL_TICKED,
  BEN,
  cardText,
  contentOf,
  eventually,
  startHarness,
  type Harness,
} from '../../helpers/botHarness';
import { job, lastCardContent, request, untilState } from '../../helpers/flow';
import { SEED } from '../../../src/sim/dataverse/seed';
import { simCredential } from '../../../src/sim/dataverse/simCredential';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';

/** The confirmation card with Dataverse's evidence beside its toggles, and Approve enforcing it, over real HTTP. */

let org: SimOrganisation;
let h: Harness;

// A fresh organisation each test: a migration run by one test leaves registrations in its target.
beforeEach(async () => {
  org = await startOrganisation({ events: { speed: 1000 } });
  h = await startHarness({ organisation: org });
});
afterEach(async () => {
  await h.close();
  await org.close();
});

const journeys = () => org.dataverse.rows('msdynmkt_journeys');
/** Stops the seed's live journeys, so every check passes for the blank drafts. */
function stopJourneys(): void {
  for (const j of journeys()) j.statecode = 2;
}

async function filledCard(cardId: string): Promise<string> {
  return eventually(() => {
    const card = lastCardContent(h, cardId);
    const text = card ? cardText(card) : '';
    return text.includes('Checked in Dataverse') || text.includes('could not be made') ? text : undefined;
  }, 'the card filled in with the evidence');
}

it('answers at once with the checks under way, then fills the card in place: passed, with the counts and the duration', async () => {
  stopJourneys();
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank });
  const first = cardText(contentOf(h.connector.cards().find((c) => c.id === r.cardId)!));
  expect(first).toContain('Checking in Dataverse');
  const text = await filledCard(r.cardId);
  expect(text).toMatch(/passed\. ".*" is a real-time Draft with no sessions, passes or registrations/);
  expect(text).toMatch(/passed\. ".*" is an outbound event \(Live\)/);
  expect(text).toContain('passed. no live trigger-based journey reacts');
  expect(text).toContain('294 registrations, 150 session registrations, 120 attendee passes, 12 waitlist items');
  expect(text).toMatch(/Expected duration: about 35 min for 294 registrations/);
  expect(text).not.toContain('Override the failed checks');
  expect(text).not.toContain(org.app.clientSecret);
});

it('shows a failed check with what was found and a link to the row, and the override only then', async () => {
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeWithSession });
  await filledCard(r.cardId);
  const card = JSON.stringify(lastCardContent(h, r.cardId));
  const text = cardText(lastCardContent(h, r.cardId));
  expect(text).toMatch(/failed\. Found ".*" already has 1 session/);
  expect(card).toContain(`etn=msevtmgt_event&id=${SEED.realTimeWithSession}`);
  expect(text).toMatch(/the live journey ".*" reacts to "Marketing event registration created"/);
  expect(card).toContain(`id=${SEED.liveJourney}`);
  expect(card).toContain('"id":"overrideFailedChecks"');
  expect(card).toContain('"id":"overrideReason"');
});

it('says "could not check" when Dataverse hides rows from a role too narrow, and leaves it to the tick', async () => {
  stopJourneys();
  org.dataverse.narrowRole('msevtmgt_session');
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeWithSession });
  const text = await filledCard(r.cardId);
  expect(text).toMatch(
    /the check could not be made \(sessions read 0, but the app user has no organisation-wide Read on msevtmgt_session/,
  );
  expect(text).not.toContain('Override the failed checks');
  const answer = await h.click('approve', { jobId: r.jobId, ...ALL_TICKED }, { from: BEN, replyToId: r.cardId });
  expect(answer.status).toBe(200);
  await untilState(h, r.jobId, ['running', 'completed']);
});

it('says why every check could not be made when Dataverse refuses the sign-in, and never blocks the migration', async () => {
  await h.close();
  h = await startHarness({
    organisation: org,
    overrides: {
      dataverseCredential: simCredential(
        org.tokens.authorityHost,
        org.app.tenantId,
        org.app.clientId,
        'a-wrong-secret',
      ),
    },
  });
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank });
  const text = await eventually(() => {
    const t = cardText(lastCardContent(h, r.cardId) ?? {});
    return t.includes('could not be made') ? t : undefined;
  }, 'could not check');
  expect(text).not.toContain('passed');
  expect(text).not.toContain('a-wrong-secret');
  expect(h.logs()).not.toContain('a-wrong-secret');
  await h.click('approve', { jobId: r.jobId, ...ALL_TICKED }, { from: BEN, replyToId: r.cardId });
  await untilState(h, r.jobId, ['running', 'completed']);
});

it('refuses Approve on a failed check; an approver overrides it with a reason, recorded in the audit trail and on the card', async () => {
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank });
  await filledCard(r.cardId);
  const refused = await h.click('approve', { jobId: r.jobId, ...ALL_TICKED }, { from: BEN, replyToId: r.cardId });
  expect(cardText(refused.body.value)).toContain(
    'A check in Dataverse failed (no live journey reacts to new registrations)',
  );
  expect((await job(h, r.jobId)).state).toBe('pending_approval');

  const noReason = await h.click(
    'approve',
    { jobId: r.jobId, ...ALL_TICKED, overrideFailedChecks: 'true', overrideReason: '  ' },
    { from: BEN, replyToId: r.cardId },
  );
  expect(cardText(noReason.body.value)).toContain('To override the failed checks');
  expect((await job(h, r.jobId)).state).toBe('pending_approval');

  const reason = 'The journey only sends to VIPs; agreed with marketing';
  await h.click(
    'approve',
    { jobId: r.jobId, ...ALL_TICKED, overrideFailedChecks: 'true', overrideReason: reason },
    { from: BEN, replyToId: r.cardId },
  );
  const approved = await untilState(h, r.jobId, ['running', 'completed']);
  expect(approved.preflight?.override).toMatchObject({
    reason,
    failed: ['no_reacting_journeys'],
    by: { name: BEN.name },
  });
  const audit = await h.app.store.auditTrail(r.jobId);
  const entry = audit.find((a) => a.to === 'approved')!;
  expect(entry.note).toContain(`failed checks overridden (no_reacting_journeys): ${reason}`);
  expect(JSON.stringify(entry.detail)).toContain('reacts to');
  expect(JSON.stringify(audit)).not.toContain(org.app.clientSecret);
  await eventually(
    () => cardText(lastCardContent(h, r.cardId) ?? {}).includes(`Failed checks overridden by ${BEN.name}`),
    'override on the card',
  );
});

it('reads the checks again at Approve: a session added since the card was posted is shown and refuses, even with an override', async () => {
  stopJourneys();
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank2, by: ADA });
  const text = await filledCard(r.cardId);
  expect(text).toContain('is a real-time Draft with no sessions');
  org.dataverse.rows('msevtmgt_sessions').push({
    msevtmgt_sessionid: '5e000000-0000-4000-8000-0000000000ff',
    msevtmgt_name: 'Added later',
    _msevtmgt_event_value: SEED.realTimeBlank2,
  });
  const inputs = { jobId: r.jobId, ...ALL_TICKED, overrideFailedChecks: 'true', overrideReason: 'go' };
  const drift = await h.click('approve', inputs, { from: BEN, replyToId: r.cardId });
  expect(cardText(drift.body.value)).toMatch(
    /Dataverse changed since this card was posted: ".*" already has 1 session/,
  );
  expect((await job(h, r.jobId)).state).toBe('pending_approval');
  await eventually(
    () => cardText(lastCardContent(h, r.cardId) ?? {}).includes('Changed in Dataverse since this card was posted'),
    'drift on the shared card',
  );

  // Seen now: the override with a reason is what approves it.
  await h.click('approve', inputs, { from: BEN, replyToId: r.cardId });
  await untilState(h, r.jobId, ['running', 'completed']);
});

it('waits out a short 429 (Retry-After) and passes; beyond its budget says the check could not be made', async () => {
  stopJourneys();
  org.dataverse.injectFault({ kind: '429', retryAfterSec: 1, times: 1 });
  const r = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank });
  const waited = await filledCard(r.cardId);
  expect(waited).toContain('is a real-time Draft with no sessions');
  expect(org.dataverse.calls.some((c) => c.status === 429)).toBe(true);

  org.dataverse.injectFault({ kind: '429', retryAfterSec: 300, times: 1000 });
  const r2 = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank2 });
  const throttled = await filledCard(r2.cardId);
  expect(throttled).toContain('could not be made');
  expect(throttled).not.toContain('passed');
});

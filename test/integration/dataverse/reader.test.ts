import { request } from 'undici';
import { createDataverseClient, createDataverseReader, type DataverseClient } from '../../../src/dataverse';
import type { DataverseFactsPort } from '../../../src/migration/dataverseFacts';
import { judgePreflight } from '../../../src/migration/preflightEvidence';
import { SEED } from '../../../src/sim/dataverse/seed';
import { DEFAULT_SIM_TOKEN } from '../../../src/sim/simulator';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';
import { captureLogger } from '../../helpers/captureLogger';

/** The reader's facts about the seeded organisation, read over HTTP from the simulated Dataverse. */

let now = Date.parse('2026-12-01T10:00:00Z');
let org: SimOrganisation;
let client: DataverseClient;
let reader: DataverseFactsPort;

beforeAll(async () => {
  org = await startOrganisation({ events: { clock: { now: () => now }, speed: 10 } });
});
afterAll(async () => {
  await org.close();
});
beforeEach(() => {
  org.dataverse.reset();
  org.events.reset();
  org.leaveOut(0);
  client = createDataverseClient({
    url: org.dataverse.url,
    credential: org.credential(),
    logger: captureLogger(),
    pageSize: 100,
  });
  reader = createDataverseReader({ client });
});
afterEach(async () => {
  await client.close();
});

const outcomes = (facts: Awaited<ReturnType<DataverseFactsPort['factsAbout']>>) =>
  Object.fromEntries(judgePreflight(facts).map((e) => [e.check, e.evidence.outcome]));

async function startMigration(from: string, to: string): Promise<void> {
  const res = await request(`${org.events.url}obmMigration/start?emApplicationtoken=${DEFAULT_SIM_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fromEventId: from, toEventId: to }),
  });
  await res.body.text();
  expect(res.statusCode).toBe(202);
}

describe('what the reader knows about the seeded organisation', () => {
  it('the Live outbound event and a blank real-time draft: counts, states and the live journey', async () => {
    const facts = await reader.factsAbout(SEED.outboundLive, SEED.realTimeBlank);
    expect(facts.access).toMatchObject({ ok: true, value: { userId: SEED.appUserId } });
    expect(facts.source.event).toMatchObject({
      ok: true,
      value: { found: true, event: { kind: 'outbound', publishStatus: 'live' } },
    });
    expect(facts.source).toMatchObject({
      registrations: { ok: true, value: 294 },
      sessionRegistrations: { ok: true, value: 150 },
      attendeePasses: { ok: true, value: 120 },
      waitlisted: { ok: true, value: 12 },
    });
    expect(facts.target).toMatchObject({
      event: { ok: true, value: { found: true, event: { kind: 'real_time', publishStatus: 'draft', active: true } } },
      sessions: { ok: true, value: 0 },
      passes: { ok: true, value: 0 },
      registrations: { ok: true, value: 0 },
    });
    expect(facts.journeys).toEqual({
      ok: true,
      value: {
        triggersFound: ['Marketing event registration created', 'Session registration created'],
        journeys: [
          {
            id: SEED.liveJourney,
            name: 'Summit confirmation email',
            link: `${org.dataverse.url}/main.aspx?pagetype=entityrecord&etn=msdynmkt_journey&id=${SEED.liveJourney}`,
            triggers: ['"Marketing event registration created"'],
          },
        ],
      },
    });
    expect(outcomes(facts)).toEqual({
      target_blank_draft: 'passed',
      source_outbound: 'passed',
      no_reacting_journeys: 'failed',
      source_counts: 'passed',
    });
    // counted, not read row by row: a few calls, whatever the number of registrations
    expect(org.dataverse.calls.length).toBeLessThanOrEqual(14);
  });

  it('a real-time draft with a session, and a Live real-time event, fail the target check', async () => {
    const withSession = judgePreflight(await reader.factsAbout(SEED.outboundLive, SEED.realTimeWithSession))[0];
    expect(withSession.evidence).toMatchObject({ outcome: 'failed', found: ['"Roadshow" already has 1 session'] });
    const live = judgePreflight(await reader.factsAbout(SEED.outboundLive, SEED.realTimeLive))[0];
    expect(live.evidence).toMatchObject({ outcome: 'failed', found: ['"Spring webinar" is Live'] });
  });

  it('an empty source system counts as outbound; an unknown event id is not found', async () => {
    const facts = await reader.factsAbout(SEED.outboundDraft, '00000000-0000-4000-8000-0000000000ff');
    expect(judgePreflight(facts)[1].evidence).toEqual({
      outcome: 'passed',
      summary: '"Partner day (outbound)" is an outbound event (Draft)',
    });
    expect(judgePreflight(facts)[0].evidence).toMatchObject({
      outcome: 'failed',
      found: [expect.stringContaining('was not found in Dataverse')],
    });
  });

  it('a role too narrow for registrations: the hidden rows read 0, and the checks say they could not check', async () => {
    org.dataverse.narrowRole('msevtmgt_eventregistration');
    const facts = await reader.factsAbout(SEED.outboundLive, SEED.realTimeBlank);
    expect(facts.source.registrations).toEqual({ ok: true, value: 0 });
    const evidence = judgePreflight(facts);
    expect(evidence[0].evidence).toMatchObject({
      outcome: 'could_not_check',
      why: expect.stringContaining('msevtmgt_eventregistration'),
    });
    expect(evidence[3].evidence.outcome).toBe('could_not_check');
  });

  it('Dataverse throttling beyond the budget: every check could not check, with the reason', async () => {
    const impatientClient = createDataverseClient({
      url: org.dataverse.url,
      credential: org.credential(),
      logger: captureLogger(),
      retryBudgetMs: 1000,
    });
    const impatient = createDataverseReader({ client: impatientClient });
    org.dataverse.injectFault({ kind: '429', retryAfterSec: 30 });
    const evidence = judgePreflight(await impatient.factsAbout(SEED.outboundLive, SEED.realTimeBlank));
    await impatientClient.close();
    for (const e of evidence)
      expect(e.evidence).toEqual({ outcome: 'could_not_check', why: expect.stringContaining('throttling') });
    expect(org.dataverse.calls).toHaveLength(1);
  });

  it("lists the contacts of an event's registrations, cancelled ones left out", async () => {
    const contacts = await reader.registrationContacts(SEED.outboundLive);
    expect(contacts.ok && contacts.value).toHaveLength(294);
    expect(contacts.ok && contacts.value[0]).toEqual({
      registrationId: 'e0000000-0000-4000-8000-000000000001',
      contactId: 'c0000000-0000-4000-8000-000000000001',
      contactName: 'Attendee 1',
    });
    const all = await reader.registrationContacts(SEED.outboundLive, { includeCancelled: true });
    expect(all.ok && all.value).toHaveLength(300);
  });
});

describe('one organisation: a simulated migration fills the target in Dataverse', () => {
  it('the target gains registrations as the job runs, and a few can be left out', async () => {
    org.leaveOut(3);
    await startMigration(SEED.outboundLive, SEED.realTimeBlank);
    now += 10_000; // 10 a second: 100 handled
    const halfway = await reader.registrationContacts(SEED.realTimeBlank);
    expect(halfway.ok && halfway.value.length).toBeGreaterThanOrEqual(97);
    expect(halfway.ok && halfway.value.length).toBeLessThanOrEqual(100);
    now += 60_000;
    expect(org.events.currentJob()?.state).toBe('completed');
    const done = await reader.registrationContacts(SEED.realTimeBlank);
    const source = await reader.registrationContacts(SEED.outboundLive);
    if (!done.ok || !source.ok) throw new Error('reads failed');
    expect(done.value).toHaveLength(291);
    const arrived = new Set(done.value.map((c) => c.contactId));
    const missing = source.value.filter((c) => !arrived.has(c.contactId)).map((c) => c.contactName);
    expect(missing).toHaveLength(3);
    expect(missing.every((name) => /^Attendee \d+$/.test(name ?? ''))).toBe(true);
    // with them came the sessions, passes, and the arrived ones' session registrations and attendee passes
    const target = SEED.realTimeBlank;
    expect(await client.count('msevtmgt_sessionregistrations', `_msevtmgt_event_value eq ${target}`, 'counting')).toBe(
      146,
    );
    expect(await client.count('msevtmgt_attendeepasses', `_msevtmgt_eventid_value eq ${target}`, 'counting')).toBe(117);
    // the target is no longer blank
    expect(judgePreflight(await reader.factsAbout(SEED.outboundLive, target))[0].evidence).toMatchObject({
      outcome: 'failed',
      found: [
        '"Contoso Summit 2026" already has 2 sessions',
        '"Contoso Summit 2026" already has 2 passes',
        '"Contoso Summit 2026" already has 291 registrations',
      ],
    });
  });
});

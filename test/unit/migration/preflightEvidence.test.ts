import {
  DATAVERSE_TABLES,
  type AccessFacts,
  type EventPairFacts,
  type EventRow,
  type Reading,
} from '../../../src/migration/dataverseFacts';
import {
  judgeCounts,
  judgeJourneys,
  judgePreflight,
  judgeSource,
  judgeTarget,
  WILL_BE_CREATED,
} from '../../../src/migration/preflightEvidence';

const ok = <T>(value: T): Reading<T> => ({ ok: true, value });
const down: Reading<never> = { ok: false, kind: 'timeout', why: 'Dataverse did not answer within 10 s.' };

function access(notGlobal: string[] = []): Reading<AccessFacts> {
  const globalRead = Object.fromEntries(
    DATAVERSE_TABLES.map((t) => [t, !notGlobal.includes(t)]),
  ) as AccessFacts['globalRead'];
  return ok({ userId: 'u1', globalRead });
}

function event(over: Partial<EventRow> = {}): EventRow {
  return {
    id: 'e1',
    name: 'Summit',
    kind: 'real_time',
    sourceSystemValue: 100000002,
    publishStatus: 'draft',
    publishStatusValue: 100000000,
    active: true,
    link: 'https://org.example/main.aspx?pagetype=entityrecord&etn=msevtmgt_event&id=e1',
    ...over,
  };
}

function facts(over: Partial<EventPairFacts> = {}): EventPairFacts {
  return {
    readAt: '2026-12-01T00:00:00.000Z',
    access: access(),
    source: {
      event: ok({
        found: true,
        event: event({ id: 's1', name: 'Summit (outbound)', kind: 'outbound', publishStatus: 'live' }),
      }),
      registrations: ok(294),
      sessionRegistrations: ok(150),
      attendeePasses: ok(120),
      waitlisted: ok(12),
    },
    target: { event: ok({ found: true, event: event() }), sessions: ok(0), passes: ok(0), registrations: ok(0) },
    journeys: ok({ triggersFound: ['Marketing event registration created'], journeys: [] }),
    ...over,
  };
}

describe('the target check', () => {
  it('passes a blank real-time Draft when access is proven', () => {
    expect(judgeTarget(facts())).toEqual({ outcome: 'passed', summary: expect.stringContaining('real-time Draft') });
  });

  it('fails with what was found and a link: a session, an outbound kind, a Live status', () => {
    const f = facts();
    f.target = {
      ...f.target,
      event: ok({ found: true, event: event({ kind: 'outbound', publishStatus: 'live' }) }),
      sessions: ok(1),
    };
    const e = judgeTarget(f);
    expect(e.outcome).toBe('failed');
    if (e.outcome !== 'failed') return;
    expect(e.found).toEqual([
      '"Summit" is an outbound event, not a real-time event',
      '"Summit" is Live',
      '"Summit" already has 1 session',
    ]);
    expect(e.links).toEqual([{ label: 'Summit', url: expect.stringContaining('etn=msevtmgt_event') }]);
  });

  it('a 0 on a table without organisation-wide Read is "could not check", never "passed"', () => {
    const e = judgeTarget(facts({ access: access(['msevtmgt_session']) }));
    expect(e).toEqual({ outcome: 'could_not_check', why: expect.stringMatching(/sessions read 0.*msevtmgt_session/) });
  });

  it('a 0 is "could not check" when the privileges could not be read at all', () => {
    expect(judgeTarget(facts({ access: down })).outcome).toBe('could_not_check');
  });

  it('something found is a failure even where access is unproven', () => {
    const f = facts({ access: access(['msevtmgt_pass', 'msevtmgt_session']) });
    f.target.passes = ok(2);
    expect(judgeTarget(f)).toMatchObject({ outcome: 'failed', found: ['"Summit" already has 2 passes'] });
  });

  it('an event not found is a failure with proven access, "could not check" without', () => {
    const missing = facts();
    missing.target.event = ok({ found: false, id: 'e9' });
    expect(judgeTarget(missing)).toMatchObject({ outcome: 'failed', found: [expect.stringContaining('not found')] });
    const unproven = { ...missing, access: access(['msevtmgt_event']) };
    expect(judgeTarget(unproven).outcome).toBe('could_not_check');
  });

  it('a failed read says why', () => {
    const f = facts();
    f.target.event = down;
    expect(judgeTarget(f)).toEqual({ outcome: 'could_not_check', why: expect.stringContaining('did not answer') });
  });
});

describe('the source check', () => {
  it('passes an outbound event and reports its publish state for the approver', () => {
    expect(judgeSource(facts())).toEqual({
      evidence: { outcome: 'passed', summary: '"Summit (outbound)" is an outbound event (Live)' },
      publishStatus: 'live',
    });
  });

  it('fails a real-time event given as the source', () => {
    const f = facts();
    f.source.event = ok({ found: true, event: event({ name: 'Other' }) });
    expect(judgeSource(f).evidence).toMatchObject({ outcome: 'failed', found: [expect.stringContaining('real-time')] });
  });
});

describe('the journey check', () => {
  it('names each reacting live journey with its link', () => {
    const f = facts({
      journeys: ok({
        triggersFound: ['Marketing event registration created'],
        journeys: [
          {
            id: 'j1',
            name: 'Confirmation',
            link: 'https://x/j1',
            triggers: ['"Marketing event registration created"'],
          },
        ],
      }),
    });
    expect(judgeJourneys(f)).toEqual({
      outcome: 'failed',
      found: ['the live journey "Confirmation" reacts to "Marketing event registration created"'],
      links: [{ label: 'Confirmation', url: 'https://x/j1' }],
    });
  });

  it('passes none found only with organisation-wide Read on journeys and triggers', () => {
    expect(judgeJourneys(facts()).outcome).toBe('passed');
    expect(judgeJourneys(facts({ access: access(['msdynmkt_journey']) })).outcome).toBe('could_not_check');
    expect(judgeJourneys(facts({ access: access(['msdynmkt_eventmetadata']) })).outcome).toBe('could_not_check');
    expect(judgeJourneys(facts({ journeys: down })).outcome).toBe('could_not_check');
  });
});

describe('the counts', () => {
  it('are passed with every number when all are known', () => {
    expect(judgeCounts(facts())).toEqual({
      evidence: {
        outcome: 'passed',
        summary: '294 registrations, 150 session registrations, 120 attendee passes, 12 waitlist items',
      },
      counts: { registrations: 294, sessionRegistrations: 150, attendeePasses: 120, waitlisted: 12 },
    });
  });

  it('keep the known numbers but cannot vouch for an unproven 0', () => {
    const f = facts({ access: access(['msevtmgt_waitlistitem']) });
    f.source.waitlisted = ok(0);
    const judged = judgeCounts(f);
    expect(judged.evidence.outcome).toBe('could_not_check');
    expect(judged.counts).toEqual({ registrations: 294, sessionRegistrations: 150, attendeePasses: 120 });
  });
});

it('a sign-in failure makes every check "could not check" with the reason', () => {
  const signIn: Reading<never> = {
    ok: false,
    kind: 'sign_in',
    why: 'The bot could not sign in to Dataverse: AADSTS7000215.',
  };
  const all = facts({
    access: signIn,
    source: {
      event: signIn,
      registrations: signIn,
      sessionRegistrations: signIn,
      attendeePasses: signIn,
      waitlisted: signIn,
    },
    target: { event: signIn, sessions: signIn, passes: signIn, registrations: signIn },
    journeys: signIn,
  });
  const evidence = judgePreflight(all);
  expect(evidence.map((e) => e.check)).toEqual([
    'target_blank_draft',
    'source_outbound',
    'no_reacting_journeys',
    'source_counts',
  ]);
  for (const e of evidence) {
    expect(e.evidence).toEqual({ outcome: 'could_not_check', why: expect.stringContaining('AADSTS7000215') });
  }
});

describe('a target the bot makes (migrate <id> new)', () => {
  const target = (f: EventPairFacts, targetMadeByBot: boolean) =>
    judgePreflight(f, { targetMadeByBot }).find((e) => e.check === 'target_blank_draft')!.evidence;

  it('"will be created" while it is not there, where an existing target would fail', () => {
    const f = facts();
    f.target = { ...f.target, event: ok({ found: false, id: 't1' }) };
    expect(target(f, true)).toEqual({ outcome: 'passed', summary: WILL_BE_CREATED });
    expect(target(f, false).outcome).toBe('failed');
    f.target = { ...f.target, event: down };
    expect(target(f, true)).toEqual({ outcome: 'passed', summary: WILL_BE_CREATED });
  });

  it('judged like any target once it is there (a retry after the bot made it)', () => {
    const f = facts();
    f.target = { ...f.target, sessions: ok(2) };
    expect(target(f, true).outcome).toBe('failed');
    expect(target(facts(), true)).toEqual(target(facts(), false));
  });
});

/**
 * The small organisation the simulated Dataverse starts with: a Live outbound event with a few hundred registrations,
 * session registrations, passes and waitlist items; blank real-time drafts; a real-time draft with a session; and a
 * live trigger-based journey on "Marketing event registration created". Deterministic ids, so tests can name rows.
 */
import type { SimRow } from './odataFilter';
import type { SimData } from './tables';

export const SEED = {
  /** the dev banner's outbound event: Live, 300 registrations (6 cancelled) */
  outboundLive: '11111111-1111-4111-8111-111111111111',
  /** the dev banner's real-time event: a blank Draft */
  realTimeBlank: '22222222-2222-4222-8222-222222222222',
  /** an outbound Draft with an empty source system (empty means outbound) and 20 registrations */
  outboundDraft: '33333333-3333-4333-8333-333333333333',
  /** a second blank real-time Draft */
  realTimeBlank2: '44444444-4444-4444-8444-444444444444',
  /** a real-time Draft that already has a session */
  realTimeWithSession: '55555555-5555-4555-8555-555555555555',
  /** a real-time event that is Live */
  realTimeLive: '66666666-6666-4666-8666-666666666666',
  /** the live trigger-based journey on "Marketing event registration created" */
  liveJourney: '77777777-7777-4777-8777-777777777701',
  appUserId: '99999999-9999-4999-8999-999999999901',
  businessUnitId: '99999999-9999-4999-8999-999999999902',
  organizationId: '99999999-9999-4999-8999-999999999903',
  registrationTrigger: 'msdynmkt_marketingeventregistrationcreated',
  sessionTrigger: 'msdynmkt_sessionregistrationcreated',
  /** the roadshow: SERIES_STOPS outbound events with registrations and as many blank real-time drafts (pickers) */
  seriesStops: 18,
  /** an outbound event of the series with no registrations (left out of the outbound picker) */
  seriesEmptyOutbound: simId('e1000000', 99),
  counts: {
    liveRegistrations: 300,
    liveCancelled: 6,
    liveSessionRegistrations: 150,
    liveAttendeePasses: 120,
    liveWaitlisted: 12,
    draftRegistrations: 20,
  },
} as const;

/** A GUID from a table prefix (8 hex digits) and a number. */
export function simId(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const OUTBOUND = 100000001;
const REAL_TIME = 100000002;
const DRAFT = 100000000;
const LIVE = 100000003;

function event(id: string, name: string, sourceSystem: number | null, publishStatus: number): SimRow {
  return {
    msevtmgt_eventid: id,
    msevtmgt_name: name,
    msevtmgt_sourcesystem: sourceSystem,
    msevtmgt_publishstatus: publishStatus,
    msevtmgt_eventstartdate: '2027-03-10T09:00:00Z',
    msevtmgt_eventenddate: '2027-03-10T17:00:00Z',
    msevtmgt_eventtimezone: 110,
    statecode: 0,
  };
}

/** The roadshow's stop n: its outbound event and its blank real-time draft, ids from e1/e2 prefixes. */
export function seriesIds(n: number): { outbound: string; realTime: string } {
  return { outbound: simId('e1000000', n), realTime: simId('e2000000', n) };
}

export function seriesName(n: number): string {
  return `Contoso Roadshow 2026 - Stop ${String(n).padStart(2, '0')}`;
}

/** Earlier than the summit's, so that the summit tops the pickers' most recent ones. */
function seriesStart(n: number): string {
  return `2026-05-${String(n).padStart(2, '0')}T09:00:00Z`;
}

function series(): { events: SimRow[]; registrations: SimRow[] } {
  const events: SimRow[] = [];
  const registrations: SimRow[] = [];
  for (let n = 1; n <= SEED.seriesStops; n++) {
    const ids = seriesIds(n);
    const start = seriesStart(n);
    const dated = (row: SimRow) => ({ ...row, msevtmgt_eventstartdate: start, msevtmgt_eventenddate: start });
    events.push(dated(event(ids.outbound, `${seriesName(n)} (outbound)`, OUTBOUND, LIVE)));
    events.push(dated(event(ids.realTime, seriesName(n), REAL_TIME, DRAFT)));
    // n registrations, and a cancelled one that the count leaves out
    for (let k = 0; k <= n; k++) registrations.push(registration(5000 + n * 100 + k, ids.outbound, k + 1, k === n));
  }
  events.push(event(SEED.seriesEmptyOutbound, `${seriesName(99)} (outbound, no registrations)`, OUTBOUND, LIVE));
  const quoted = simId('e1000000', 98);
  events.push(event(quoted, "Customer's choice awards (outbound)", OUTBOUND, DRAFT));
  registrations.push(registration(4001, quoted, 1, false), registration(4002, quoted, 2, false));
  return { events, registrations };
}

function registration(n: number, eventId: string, contactN: number, cancelled: boolean): SimRow {
  return {
    msevtmgt_eventregistrationid: simId('e0000000', n),
    _msevtmgt_eventid_value: eventId,
    _msevtmgt_contactid_value: simId('c0000000', contactN),
    statuscode: cancelled ? 100000001 : 1,
    msevtmgt_iscanceled: cancelled,
  };
}

export function seedOrganisation(): SimData {
  const c = SEED.counts;
  const contacts: SimRow[] = [];
  for (let n = 1; n <= c.liveRegistrations + c.liveWaitlisted + 8; n++) {
    contacts.push({
      contactid: simId('c0000000', n),
      fullname: `Attendee ${n}`,
      emailaddress1: `attendee${n}@contoso.example`,
    });
  }
  const registrations: SimRow[] = [];
  for (let n = 1; n <= c.liveRegistrations; n++) {
    // the cancelled ones are spread out, so they cannot be mistaken for the first or last page
    registrations.push(registration(n, SEED.outboundLive, n, n % 50 === 25));
  }
  for (let n = 1; n <= c.draftRegistrations; n++) {
    registrations.push(registration(1000 + n, SEED.outboundDraft, n, false));
  }
  const sessions: SimRow[] = [
    { msevtmgt_sessionid: simId('5e000000', 1), msevtmgt_name: 'Keynote', _msevtmgt_event_value: SEED.outboundLive },
    { msevtmgt_sessionid: simId('5e000000', 2), msevtmgt_name: 'Workshop', _msevtmgt_event_value: SEED.outboundLive },
    {
      msevtmgt_sessionid: simId('5e000000', 3),
      msevtmgt_name: 'Opening',
      _msevtmgt_event_value: SEED.realTimeWithSession,
    },
  ];
  const sessionRegistrations: SimRow[] = [];
  for (let n = 1; n <= c.liveSessionRegistrations; n++) {
    sessionRegistrations.push({
      msevtmgt_sessionregistrationid: simId('5a000000', n),
      _msevtmgt_sessionid_value: simId('5e000000', (n % 2) + 1),
      _msevtmgt_event_value: SEED.outboundLive,
      _msevtmgt_contactid_value: simId('c0000000', n),
    });
  }
  const passes: SimRow[] = [
    { msevtmgt_passid: simId('9a000000', 1), msevtmgt_name: 'Standard', _msevtmgt_eventid_value: SEED.outboundLive },
    { msevtmgt_passid: simId('9a000000', 2), msevtmgt_name: 'VIP', _msevtmgt_eventid_value: SEED.outboundLive },
  ];
  const attendeePasses: SimRow[] = [];
  for (let n = 1; n <= c.liveAttendeePasses; n++) {
    attendeePasses.push({
      msevtmgt_attendeepassid: simId('a9000000', n),
      _msevtmgt_eventid_value: SEED.outboundLive,
      _msevtmgt_eventregistrationid_value: simId('e0000000', n),
      _msevtmgt_pass_value: simId('9a000000', (n % 2) + 1),
    });
  }
  const waitlist: SimRow[] = [];
  for (let n = 1; n <= c.liveWaitlisted; n++) {
    waitlist.push({
      msevtmgt_waitlistitemid: simId('3a000000', n),
      _msevtmgt_event_value: SEED.outboundLive,
      _msevtmgt_contact_value: simId('c0000000', c.liveRegistrations + n),
    });
  }
  const triggers: SimRow[] = [
    {
      msdynmkt_eventmetadataid: simId('7e000000', 1),
      msdynmkt_name: 'Marketing event registration created',
      msdynmkt_uniquename: SEED.registrationTrigger,
    },
    {
      msdynmkt_eventmetadataid: simId('7e000000', 2),
      msdynmkt_name: 'Session registration created',
      msdynmkt_uniquename: SEED.sessionTrigger,
    },
    {
      msdynmkt_eventmetadataid: simId('7e000000', 3),
      msdynmkt_name: 'Marketing form submitted',
      msdynmkt_uniquename: 'msdynmkt_marketingformsubmitted',
    },
  ];
  const journeyJson = (trigger: string) =>
    JSON.stringify({ trigger: { type: 'event', eventName: trigger }, steps: [{ type: 'email' }] });
  const journeys: SimRow[] = [
    {
      msdynmkt_journeyid: SEED.liveJourney,
      msdynmkt_name: 'Summit confirmation email',
      statecode: 1,
      msdynmkt_triggertype: 3,
      msdynmkt_journeyjson: journeyJson(SEED.registrationTrigger),
    },
    {
      msdynmkt_journeyid: simId('77777777', 2),
      msdynmkt_name: 'Session reminder (draft)',
      statecode: 0,
      msdynmkt_triggertype: 3,
      msdynmkt_journeyjson: journeyJson(SEED.sessionTrigger),
    },
    {
      msdynmkt_journeyid: simId('77777777', 3),
      msdynmkt_name: 'Form follow-up',
      statecode: 1,
      msdynmkt_triggertype: 3,
      msdynmkt_journeyjson: journeyJson('msdynmkt_marketingformsubmitted'),
    },
    {
      msdynmkt_journeyid: simId('77777777', 4),
      msdynmkt_name: 'Monthly newsletter',
      statecode: 1,
      msdynmkt_triggertype: 0,
      msdynmkt_journeyjson: '{}',
    },
  ];
  const roadshow = series();
  registrations.push(...roadshow.registrations);
  return {
    msevtmgt_events: [
      event(SEED.outboundLive, 'Contoso Summit 2026 (outbound)', OUTBOUND, LIVE),
      event(SEED.realTimeBlank, 'Contoso Summit 2026', REAL_TIME, DRAFT),
      event(SEED.outboundDraft, 'Partner day (outbound)', null, DRAFT),
      event(SEED.realTimeBlank2, 'Partner day', REAL_TIME, DRAFT),
      event(SEED.realTimeWithSession, 'Roadshow', REAL_TIME, DRAFT),
      event(SEED.realTimeLive, 'Spring webinar', REAL_TIME, LIVE),
      ...roadshow.events,
    ],
    msevtmgt_sessions: sessions,
    msevtmgt_passes: passes,
    msevtmgt_eventregistrations: registrations,
    msevtmgt_sessionregistrations: sessionRegistrations,
    msevtmgt_attendeepasses: attendeePasses,
    msevtmgt_waitlistitems: waitlist,
    contacts,
    msdynmkt_journeys: journeys,
    msdynmkt_eventmetadataset: triggers,
  };
}

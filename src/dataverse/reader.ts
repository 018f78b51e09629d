/**
 * The domain's Dataverse port over the Web API client: the facts about a migration's two events, read with few calls
 * (counts are counted by Dataverse, not read row by row), in parallel after one WhoAmI. Every failure becomes a
 * Reading with its sentence; nothing here throws to the caller.
 */
import type {
  AccessFacts,
  DataverseFactsPort,
  EventCounts,
  EventLookup,
  EventPairFacts,
  JourneyFacts,
  ReactingJourney,
  Reading,
  RegistrationContact,
} from '../migration/dataverseFacts';
import type { DataverseClient, Row } from './client';
import { DataverseError, shortText } from './errors';
import { eventCreateFrom, globalReadFrom, retrieveUserPrivilegesPath } from './privileges';
import { guid, literal, odataPath } from './query';
import {
  JOURNEY_LIVE,
  JOURNEY_TRIGGER_BASED,
  REGISTRATION_TRIGGER_NAMES,
  eventKind,
  publishStatus,
  recordLink,
} from './values';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const NOT_CANCELLED = '(msevtmgt_iscanceled eq false or msevtmgt_iscanceled eq null)';

export interface ReaderOptions {
  client: DataverseClient;
  now?: () => number;
}

function failure(error: unknown): Reading<never> {
  if (error instanceof DataverseError) {
    const kind = error.kind === 'not_found' || error.kind === 'bad_request' ? 'unexpected' : error.kind;
    return { ok: false, kind, why: error.message };
  }
  return { ok: false, kind: 'unexpected', why: shortText(error instanceof Error ? error.message : String(error)) };
}

async function reading<T>(read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return failure(error);
  }
}

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function allFailed(readAt: string, why: Reading<never>): EventPairFacts {
  return {
    readAt,
    access: why,
    source: { event: why, registrations: why, sessionRegistrations: why, attendeePasses: why, waitlisted: why },
    target: { event: why, sessions: why, passes: why, registrations: why },
    journeys: why,
  };
}

export function createDataverseReader(options: ReaderOptions): DataverseFactsPort {
  const { client } = options;
  const now = options.now ?? Date.now;
  const url = client.url;

  async function readPrivileges(userId: string): Promise<AccessFacts> {
    const answer = await client.get(retrieveUserPrivilegesPath(userId), "reading the app user's privileges");
    return { userId, globalRead: globalReadFrom(answer), createEvents: eventCreateFrom(answer) };
  }

  async function access(): Promise<Reading<AccessFacts>> {
    return reading(async () => readPrivileges((await client.whoAmI()).userId));
  }

  async function event(id: string, role: string): Promise<EventLookup> {
    const path = odataPath(`msevtmgt_events(${id})`, {
      select: ['msevtmgt_eventid', 'msevtmgt_name', 'msevtmgt_sourcesystem', 'msevtmgt_publishstatus', 'statecode'],
    });
    try {
      const row = await client.get(path, `reading the ${role} event`);
      const sourceSystemValue = numberOrNull(row.msevtmgt_sourcesystem);
      const publishStatusValue = numberOrNull(row.msevtmgt_publishstatus);
      return {
        found: true,
        event: {
          id,
          name: typeof row.msevtmgt_name === 'string' ? row.msevtmgt_name : '(no name)',
          kind: eventKind(sourceSystemValue),
          sourceSystemValue,
          publishStatus: publishStatus(publishStatusValue),
          publishStatusValue,
          active: row.statecode === 0 || row.statecode === undefined,
          link: recordLink(url, 'msevtmgt_event', id),
        },
      };
    } catch (error) {
      if (error instanceof DataverseError && error.kind === 'not_found') return { found: false, id };
      throw error;
    }
  }

  const count = (set: string, filter: string, what: string) => reading(() => client.count(set, filter, what));

  async function journeys(): Promise<JourneyFacts> {
    const triggers = await client.list(
      odataPath('msdynmkt_eventmetadataset', {
        select: ['msdynmkt_eventmetadataid', 'msdynmkt_name', 'msdynmkt_uniquename'],
        filter: `contains(msdynmkt_name,${literal('registration created')})`,
      }),
      'reading the journey triggers',
    );
    const wanted = triggers.filter(
      (t) =>
        typeof t.msdynmkt_name === 'string' &&
        typeof t.msdynmkt_uniquename === 'string' &&
        REGISTRATION_TRIGGER_NAMES.includes(t.msdynmkt_name.trim().toLowerCase()),
    );
    const triggersFound = wanted.map((t) => t.msdynmkt_name as string);
    if (wanted.length === 0) return { triggersFound, journeys: [] };
    const live = await client.list(
      odataPath('msdynmkt_journeys', {
        select: ['msdynmkt_journeyid', 'msdynmkt_name', 'msdynmkt_journeyjson'],
        filter: `statecode eq ${JOURNEY_LIVE} and msdynmkt_triggertype eq ${JOURNEY_TRIGGER_BASED}`,
      }),
      'reading the live trigger-based journeys',
    );
    return { triggersFound, journeys: live.flatMap((j) => reacting(j, wanted)) };
  }

  /** The journey row has no lookup to its trigger: the trigger's unique name inside the definition is the link. */
  function reacting(journey: Row, triggers: Row[]): ReactingJourney[] {
    const json = typeof journey.msdynmkt_journeyjson === 'string' ? journey.msdynmkt_journeyjson : '';
    const names = triggers.filter((t) => json.includes(`"${t.msdynmkt_uniquename as string}"`));
    if (names.length === 0 || typeof journey.msdynmkt_journeyid !== 'string') return [];
    const id = journey.msdynmkt_journeyid;
    return [
      {
        id,
        name: typeof journey.msdynmkt_name === 'string' ? journey.msdynmkt_name : '(no name)',
        link: recordLink(url, 'msdynmkt_journey', id),
        triggers: names.map((t) => `"${t.msdynmkt_name as string}"`),
      },
    ];
  }

  async function factsAbout(sourceEventId: string, targetEventId: string): Promise<EventPairFacts> {
    const readAt = new Date(now()).toISOString();
    let source: string, target: string;
    try {
      source = guid(sourceEventId);
      target = guid(targetEventId);
    } catch (error) {
      return allFailed(readAt, failure(error));
    }
    // One call first: a sign-in that fails (or a Dataverse that is down) answers every check at once.
    const me = await reading(() => client.whoAmI());
    if (!me.ok) return allFailed(readAt, me);
    const [accessRead, sourceEvent, targetEvent, journeyFacts, ...counts] = await Promise.all([
      reading(() => readPrivileges(me.value.userId)),
      reading(() => event(source, 'outbound')),
      reading(() => event(target, 'real-time')),
      reading(journeys),
      count(
        'msevtmgt_eventregistrations',
        `_msevtmgt_eventid_value eq ${source} and ${NOT_CANCELLED}`,
        "counting the outbound event's registrations",
      ),
      count(
        'msevtmgt_sessionregistrations',
        `_msevtmgt_event_value eq ${source}`,
        "counting the outbound event's session registrations",
      ),
      count(
        'msevtmgt_attendeepasses',
        `_msevtmgt_eventid_value eq ${source}`,
        "counting the outbound event's attendee passes",
      ),
      count(
        'msevtmgt_waitlistitems',
        `_msevtmgt_event_value eq ${source}`,
        "counting the outbound event's waitlist items",
      ),
      count('msevtmgt_sessions', `_msevtmgt_event_value eq ${target}`, "counting the real-time event's sessions"),
      count('msevtmgt_passes', `_msevtmgt_eventid_value eq ${target}`, "counting the real-time event's passes"),
      count(
        'msevtmgt_eventregistrations',
        `_msevtmgt_eventid_value eq ${target}`,
        "counting the real-time event's registrations",
      ),
    ]);
    const [registrations, sessionRegistrations, attendeePasses, waitlisted, sessions, passes, targetRegistrations] =
      counts as Reading<number>[];
    return {
      readAt,
      access: accessRead,
      source: { event: sourceEvent, registrations, sessionRegistrations, attendeePasses, waitlisted },
      target: { event: targetEvent, sessions, passes, registrations: targetRegistrations },
      journeys: journeyFacts,
    };
  }

  async function registrationContacts(
    eventId: string,
    o: { includeCancelled?: boolean } = {},
  ): Promise<Reading<RegistrationContact[]>> {
    return reading(async () => {
      const id = guid(eventId);
      const filter = `_msevtmgt_eventid_value eq ${id}${o.includeCancelled ? '' : ` and ${NOT_CANCELLED}`}`;
      const rows = await client.list(
        odataPath('msevtmgt_eventregistrations', {
          select: ['msevtmgt_eventregistrationid', '_msevtmgt_contactid_value'],
          filter,
        }),
        "reading the event's registrations",
        { formattedValues: true },
      );
      return rows.map((r) => {
        const contactId = typeof r._msevtmgt_contactid_value === 'string' ? r._msevtmgt_contactid_value : null;
        const name = r[`_msevtmgt_contactid_value${FORMATTED}`];
        return {
          registrationId: String(r.msevtmgt_eventregistrationid),
          contactId,
          ...(typeof name === 'string' ? { contactName: name } : {}),
        };
      });
    });
  }

  async function eventCounts(eventId: string): Promise<EventCounts> {
    let id: string;
    try {
      id = guid(eventId);
    } catch (error) {
      const why = failure(error);
      return { registrations: why, sessionRegistrations: why, attendeePasses: why };
    }
    const [registrations, sessionRegistrations, attendeePasses] = await Promise.all([
      count(
        'msevtmgt_eventregistrations',
        `_msevtmgt_eventid_value eq ${id} and ${NOT_CANCELLED}`,
        "counting the event's registrations",
      ),
      count(
        'msevtmgt_sessionregistrations',
        `_msevtmgt_event_value eq ${id}`,
        "counting the event's session registrations",
      ),
      count('msevtmgt_attendeepasses', `_msevtmgt_eventid_value eq ${id}`, "counting the event's attendee passes"),
    ]);
    return { registrations, sessionRegistrations, attendeePasses };
  }

  async function registrationCount(eventId: string): Promise<Reading<number>> {
    return reading(() =>
      client.count(
        'msevtmgt_eventregistrations',
        `_msevtmgt_eventid_value eq ${guid(eventId)}`,
        "counting the event's registrations",
      ),
    );
  }

  return { factsAbout, registrationContacts, eventCounts, registrationCount, access };
}

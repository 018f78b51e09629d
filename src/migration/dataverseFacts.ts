/**
 * The domain's port to the organisation's Dataverse: what is known about the two events of a migration, as plain
 * facts. The adapter (src/dataverse/) reads them; the decisions (preflightChecks.ts) turn them into evidence. Nothing
 * here knows OData or HTTP. Every read is a `Reading`: a value, or why it could not be had; a port call never throws.
 */

/** Why a read failed, in words a user understands, with a kind the domain can branch on. */
export type ReadFailureKind =
  | 'sign_in' // the token could not be had (unknown app, wrong secret, authority unreachable)
  | 'refused' // 401/403: signed in, but Dataverse refused (no application user, no privilege)
  | 'throttled' // 429 beyond the wait budget
  | 'timeout'
  | 'unavailable' // down, 5xx, network
  | 'unexpected';

export type Reading<T> = { ok: true; value: T } | { ok: false; kind: ReadFailureKind; why: string };

/** The tables the checks read (logical names), for privileges and links. */
export const DATAVERSE_TABLES = [
  'msevtmgt_event',
  'msevtmgt_session',
  'msevtmgt_pass',
  'msevtmgt_eventregistration',
  'msevtmgt_sessionregistration',
  'msevtmgt_attendeepass',
  'msevtmgt_waitlistitem',
  'msdynmkt_journey',
  'msdynmkt_eventmetadata',
  'contact',
] as const;
export type DataverseTable = (typeof DATAVERSE_TABLES)[number];

/** Who the bot is in Dataverse, and on which tables its Read reaches the whole organisation. */
export interface AccessFacts {
  /** the application user's systemuserid (WhoAmI) */
  userId: string;
  /** true only for organisation-wide (Global) Read; anything less leaves a 0 unproven */
  globalRead: Record<DataverseTable, boolean>;
  /** Create and Write on msevtmgt_event (any depth): needed to make the real-time draft (`migrate <id> new`) */
  createEvents?: { create: boolean; write: boolean };
}

/** `msevtmgt_sourcesystem`: empty means outbound. */
export type EventKind = 'outbound' | 'real_time' | 'unknown';

/** `msevtmgt_publishstatus`, by name; `unknown` carries the raw number in `publishStatusValue`. */
export type PublishStatus =
  'draft' | 'ready_to_go_live' | 'in_progress' | 'live' | 'cancelled' | 'going_live' | 'unknown';

export interface EventRow {
  id: string;
  name: string;
  kind: EventKind;
  /** the raw msevtmgt_sourcesystem (null when empty) */
  sourceSystemValue: number | null;
  publishStatus: PublishStatus;
  publishStatusValue: number | null;
  /** statecode 0 = active */
  active: boolean;
  /** opens the row in the environment's default app */
  link: string;
}

/** A 404 means "absent or unreadable": whether that is proof of absence depends on AccessFacts. */
export type EventLookup = { found: true; event: EventRow } | { found: false; id: string };

export interface TargetFacts {
  event: Reading<EventLookup>;
  sessions: Reading<number>;
  passes: Reading<number>;
  /** every registration pointing at the target, cancelled or not */
  registrations: Reading<number>;
}

export interface SourceFacts {
  event: Reading<EventLookup>;
  /** registrations not cancelled */
  registrations: Reading<number>;
  sessionRegistrations: Reading<number>;
  attendeePasses: Reading<number>;
  /** outbound waitlist items */
  waitlisted: Reading<number>;
}

/** A live trigger-based journey that reacts to a new registration or session registration. */
export interface ReactingJourney {
  id: string;
  name: string;
  link: string;
  /** the display names of the triggers it reacts to, such as "Marketing event registration created" */
  triggers: string[];
}

export interface JourneyFacts {
  /** the registration triggers found (display names); none found with proven access means none exist */
  triggersFound: string[];
  journeys: ReactingJourney[];
}

export interface EventPairFacts {
  /** ISO time the reads began */
  readAt: string;
  access: Reading<AccessFacts>;
  source: SourceFacts;
  target: TargetFacts;
  journeys: Reading<JourneyFacts>;
}

/** One registration's contact, for reconciliation (source minus target). */
export interface RegistrationContact {
  registrationId: string;
  /** null when the registration has no contact */
  contactId: string | null;
  /** the contact's display name as Dataverse formats it, when it gave one */
  contactName?: string;
}

export interface EventCounts {
  registrations: Reading<number>;
  sessionRegistrations: Reading<number>;
  attendeePasses: Reading<number>;
}

export interface DataverseFactsPort {
  /** Reads everything the pre-flight checks need, in parallel; never throws. */
  factsAbout(sourceEventId: string, targetEventId: string): Promise<EventPairFacts>;
  /** The contacts of an event's registrations (cancelled ones left out unless asked), every page. */
  registrationContacts(
    eventId: string,
    options?: { includeCancelled?: boolean },
  ): Promise<Reading<RegistrationContact[]>>;
  /** An event's registrations (not cancelled), session registrations and attendee passes, counted by Dataverse. */
  eventCounts(eventId: string): Promise<EventCounts>;
  /** An event's registrations, cancelled or not (one call), for progress the service does not report. */
  registrationCount(eventId: string): Promise<Reading<number>>;
  /** Who the bot is and what it may read; for `check`. */
  access(): Promise<Reading<AccessFacts>>;
}

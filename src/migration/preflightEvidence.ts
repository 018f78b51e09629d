/**
 * Turns Dataverse facts into evidence per pre-flight check: passed, failed (what was found, with links), or could
 * not check (why). Pure functions. The rule that shapes them: Dataverse leaves out rows the caller may not read, so
 * a 0 (or a "not found") counts only where the app user's organisation-wide Read is proven; otherwise it is "could
 * not check", never "passed". Something found (a session, a live journey) is a fact whatever the access.
 */
import type {
  AccessFacts,
  DataverseTable,
  EventLookup,
  EventPairFacts,
  EventRow,
  PublishStatus,
  Reading,
} from './dataverseFacts';

export type PreflightCheckId = 'target_blank_draft' | 'source_outbound' | 'no_reacting_journeys' | 'source_counts';

export interface EvidenceLink {
  label: string;
  url: string;
}

export type Evidence =
  | { outcome: 'passed'; summary: string }
  | { outcome: 'failed'; found: string[]; links: EvidenceLink[] }
  | { outcome: 'could_not_check'; why: string };

export interface SourceCounts {
  registrations?: number;
  sessionRegistrations?: number;
  attendeePasses?: number;
  waitlisted?: number;
}

export type CheckEvidence =
  | { check: 'target_blank_draft'; evidence: Evidence }
  | { check: 'source_outbound'; evidence: Evidence; publishStatus?: PublishStatus }
  | { check: 'no_reacting_journeys'; evidence: Evidence }
  | { check: 'source_counts'; evidence: Evidence; counts: SourceCounts };

export const PUBLISH_STATUS_LABEL: Record<PublishStatus, string> = {
  draft: 'Draft',
  ready_to_go_live: 'Ready to go live',
  in_progress: 'In progress',
  live: 'Live',
  cancelled: 'Cancelled',
  going_live: 'Going live',
  unknown: 'an unknown publish status',
};

const passed = (summary: string): Evidence => ({ outcome: 'passed', summary });
const cannot = (why: string): Evidence => ({ outcome: 'could_not_check', why });

function accessOf(facts: EventPairFacts): AccessFacts | undefined {
  return facts.access.ok ? facts.access.value : undefined;
}

/** Why a zero from `table` proves nothing; undefined when the access is proven. */
function unprovenWhy(facts: EventPairFacts, table: DataverseTable): string | undefined {
  if (!facts.access.ok) return `the app user's read access could not be verified (${facts.access.why})`;
  if (accessOf(facts)?.globalRead[table]) return undefined;
  return `the app user has no organisation-wide Read on ${table}, so rows it may not see would be left out`;
}

type Count = { what: string; table: DataverseTable; reading: Reading<number>; singular: string; plural: string };

/** A count that is more than 0 is found; 0 is proof only with proven access; a failed read is unknown. */
function judgeCount(facts: EventPairFacts, c: Count): { found?: string; unknown?: string; value?: number } {
  if (!c.reading.ok) return { unknown: `${c.what}: ${c.reading.why}` };
  const n = c.reading.value;
  if (n > 0) return { found: `${n} ${n === 1 ? c.singular : c.plural}`, value: n };
  const why = unprovenWhy(facts, c.table);
  return why ? { unknown: `${c.what} read 0, but ${why}` } : { value: 0 };
}

/** The event row, or the evidence that replaces the whole check when it cannot be had. */
function lookupEvent(facts: EventPairFacts, lookup: Reading<EventLookup>, role: string): EventRow | Evidence {
  if (!lookup.ok) return cannot(`the ${role} event could not be read: ${lookup.why}`);
  if (lookup.value.found) return lookup.value.event;
  const why = unprovenWhy(facts, 'msevtmgt_event');
  if (why) return cannot(`the ${role} event ${lookup.value.id} was not found, but ${why}`);
  return { outcome: 'failed', found: [`the ${role} event ${lookup.value.id} was not found in Dataverse`], links: [] };
}

const isEvidence = (v: EventRow | Evidence): v is Evidence => 'outcome' in v;

export function judgeTarget(facts: EventPairFacts): Evidence {
  const event = lookupEvent(facts, facts.target.event, 'real-time');
  if (isEvidence(event)) return event;
  const found: string[] = [];
  if (event.kind !== 'real_time') found.push(`"${event.name}" is an outbound event, not a real-time event`);
  if (event.publishStatus !== 'draft') found.push(`"${event.name}" is ${PUBLISH_STATUS_LABEL[event.publishStatus]}`);
  if (!event.active) found.push(`"${event.name}" is inactive`);
  const unknown: string[] = [];
  const counts: Count[] = [
    {
      what: 'sessions',
      table: 'msevtmgt_session',
      reading: facts.target.sessions,
      singular: 'session',
      plural: 'sessions',
    },
    { what: 'passes', table: 'msevtmgt_pass', reading: facts.target.passes, singular: 'pass', plural: 'passes' },
    {
      what: 'registrations',
      table: 'msevtmgt_eventregistration',
      reading: facts.target.registrations,
      singular: 'registration',
      plural: 'registrations',
    },
  ];
  for (const c of counts) {
    const judged = judgeCount(facts, c);
    if (judged.found) found.push(`"${event.name}" already has ${judged.found}`);
    if (judged.unknown) unknown.push(judged.unknown);
  }
  if (found.length > 0) return { outcome: 'failed', found, links: [{ label: event.name, url: event.link }] };
  if (unknown.length > 0) return cannot(unknown.join('; '));
  return passed(`"${event.name}" is a real-time Draft with no sessions, passes or registrations`);
}

export function judgeSource(facts: EventPairFacts): { evidence: Evidence; publishStatus?: PublishStatus } {
  const event = lookupEvent(facts, facts.source.event, 'outbound');
  if (isEvidence(event)) return { evidence: event };
  const state = PUBLISH_STATUS_LABEL[event.publishStatus];
  if (event.kind === 'real_time') {
    return {
      evidence: {
        outcome: 'failed',
        found: [`"${event.name}" is a real-time event, not an outbound event`],
        links: [{ label: event.name, url: event.link }],
      },
      publishStatus: event.publishStatus,
    };
  }
  if (event.kind === 'unknown') {
    return {
      evidence: cannot(`"${event.name}" has an unknown source system (${event.sourceSystemValue})`),
      publishStatus: event.publishStatus,
    };
  }
  // The tool's documentation disagrees on whether the source should be Live or Draft: report, the approver decides.
  return { evidence: passed(`"${event.name}" is an outbound event (${state})`), publishStatus: event.publishStatus };
}

export function judgeJourneys(facts: EventPairFacts): Evidence {
  if (!facts.journeys.ok) return cannot(`the journeys could not be read: ${facts.journeys.why}`);
  const { journeys } = facts.journeys.value;
  if (journeys.length > 0) {
    return {
      outcome: 'failed',
      found: journeys.map((j) => `the live journey "${j.name}" reacts to ${j.triggers.join(' and ')}`),
      links: journeys.map((j) => ({ label: j.name, url: j.link })),
    };
  }
  const why = unprovenWhy(facts, 'msdynmkt_journey') ?? unprovenWhy(facts, 'msdynmkt_eventmetadata');
  if (why) return cannot(`no reacting journey was found, but ${why}`);
  return passed('no live trigger-based journey reacts to new registrations or session registrations');
}

export function judgeCounts(facts: EventPairFacts): { evidence: Evidence; counts: SourceCounts } {
  const s = facts.source;
  const entries: [keyof SourceCounts, Count][] = [
    [
      'registrations',
      {
        what: 'registrations',
        table: 'msevtmgt_eventregistration',
        reading: s.registrations,
        singular: 'registration',
        plural: 'registrations',
      },
    ],
    [
      'sessionRegistrations',
      {
        what: 'session registrations',
        table: 'msevtmgt_sessionregistration',
        reading: s.sessionRegistrations,
        singular: 'session registration',
        plural: 'session registrations',
      },
    ],
    [
      'attendeePasses',
      {
        what: 'attendee passes',
        table: 'msevtmgt_attendeepass',
        reading: s.attendeePasses,
        singular: 'attendee pass',
        plural: 'attendee passes',
      },
    ],
    [
      'waitlisted',
      {
        what: 'waitlist items',
        table: 'msevtmgt_waitlistitem',
        reading: s.waitlisted,
        singular: 'waitlist item',
        plural: 'waitlist items',
      },
    ],
  ];
  const counts: SourceCounts = {};
  const unknown: string[] = [];
  const said: string[] = [];
  for (const [key, c] of entries) {
    const judged = judgeCount(facts, c);
    if (judged.value !== undefined) {
      counts[key] = judged.value;
      said.push(`${judged.value} ${judged.value === 1 ? c.singular : c.plural}`);
    }
    if (judged.unknown) unknown.push(judged.unknown);
  }
  if (unknown.length > 0) return { evidence: cannot(unknown.join('; ')), counts };
  return { evidence: passed(said.join(', ')), counts };
}

/** The summary for a target the bot makes and has not made yet: its checks do not apply to it. */
export const WILL_BE_CREATED =
  'the real-time event will be created by the bot after approval: a real-time Draft with only the name, start, end and time zone shown, and nothing else';

/** A made target not there yet "will be created"; once there (made by this job, or the one retried) it is judged. */
function judgeMadeTarget(facts: EventPairFacts): Evidence {
  const lookup = facts.target.event;
  if (lookup.ok && lookup.value.found) return judgeTarget(facts);
  return passed(WILL_BE_CREATED);
}

/** Every check's evidence, in the order of the checklist; `targetMadeByBot` for `migrate <id> new`. */
export function judgePreflight(facts: EventPairFacts, options: { targetMadeByBot?: boolean } = {}): CheckEvidence[] {
  const source = judgeSource(facts);
  const counts = judgeCounts(facts);
  return [
    {
      check: 'target_blank_draft',
      evidence: options.targetMadeByBot ? judgeMadeTarget(facts) : judgeTarget(facts),
    },
    { check: 'source_outbound', evidence: source.evidence, publishStatus: source.publishStatus },
    { check: 'no_reacting_journeys', evidence: judgeJourneys(facts) },
    { check: 'source_counts', evidence: counts.evidence, counts: counts.counts },
  ];
}

/**
 * The domain's event directory over the Web API: one query for the events (with $top, $select and $orderby), and
 * for the page's ids one grouped count per related table (Dataverse has no documented navigation names we may rely
 * on, so "has registrations" and "has no sessions" are counted, not joined). Dataverse has no $skip: Teams' skip is
 * taken by asking for skip + top rows and leaving out the first ones.
 */
import type { Reading } from '../migration/dataverseFacts';
import {
  searchWindow,
  type EventDirectoryPort,
  type EventList,
  type EventSearch,
  type EventSummary,
} from '../migration/eventDirectory';
import type { DataverseClient, Row } from './client';
import { DataverseError, shortText } from './errors';
import { guid, literal, odataPath } from './query';
import { PUBLISH_STATUS_VALUE, SOURCE_SYSTEM, eventKind, publishStatus, recordLink } from './values';

const EVENT_COLUMNS = [
  'msevtmgt_eventid',
  'msevtmgt_name',
  'msevtmgt_eventstartdate',
  'msevtmgt_sourcesystem',
  'msevtmgt_publishstatus',
];
const MOST_RECENT = 'msevtmgt_eventstartdate desc,msevtmgt_name asc';
const NOT_CANCELLED = '(msevtmgt_iscanceled eq false or msevtmgt_iscanceled eq null)';
/** Empty means outbound. */
const OUTBOUND = `(msevtmgt_sourcesystem eq ${SOURCE_SYSTEM.outbound} or msevtmgt_sourcesystem eq null)`;
const BLANK_DRAFT_CANDIDATE = `msevtmgt_sourcesystem eq ${SOURCE_SYSTEM.realTime} and msevtmgt_publishstatus eq ${PUBLISH_STATUS_VALUE.draft}`;
/** Rows asked for beyond the page, so that events left out by a count (no registrations, a session) rarely shorten it. */
const SLACK = 2;
const MAX_EVENT_ROWS = 100;
/** A typed name: one more than a list shows, so that "more than that" can be told. */
const NAMED_ROWS = 16;
const MAX_NAME = 100;

export function createEventDirectory(client: DataverseClient): EventDirectoryPort {
  const url = client.url;

  function summary(row: Row): EventSummary | undefined {
    const id = typeof row.msevtmgt_eventid === 'string' ? row.msevtmgt_eventid.toLowerCase() : undefined;
    if (!id) return undefined;
    return {
      id,
      name: typeof row.msevtmgt_name === 'string' ? row.msevtmgt_name : '(no name)',
      kind: eventKind(typeof row.msevtmgt_sourcesystem === 'number' ? row.msevtmgt_sourcesystem : null),
      publishStatus: publishStatus(typeof row.msevtmgt_publishstatus === 'number' ? row.msevtmgt_publishstatus : null),
      startsAt: typeof row.msevtmgt_eventstartdate === 'string' ? row.msevtmgt_eventstartdate : null,
      link: recordLink(url, 'msevtmgt_event', id),
    };
  }

  async function events(filter: string, top: number, what: string): Promise<EventSummary[]> {
    const path = `${odataPath('msevtmgt_events', { select: EVENT_COLUMNS, filter })}&$orderby=${encodeURIComponent(MOST_RECENT)}&$top=${top}`;
    const rows = await client.list(path, what, { maxRows: top });
    return rows.flatMap((r) => summary(r) ?? []);
  }

  /** How many rows of `set` point at each of the ids: one grouped count. */
  async function countsByEvent(
    set: string,
    column: string,
    ids: readonly string[],
    extra: string | undefined,
    what: string,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (ids.length === 0) return counts;
    const anyOf = ids.map((id) => `${column} eq ${id}`).join(' or ');
    const filter = extra ? `(${anyOf}) and ${extra}` : `(${anyOf})`;
    const apply = `filter(${filter})/groupby((${column}),aggregate($count as n))`;
    const page = await client.get(odataPath(set, { apply }), what);
    const value = Array.isArray(page.value) ? (page.value as Row[]) : [];
    for (const row of value) {
      const id = row[column];
      if (typeof id === 'string' && typeof row.n === 'number') counts.set(id.toLowerCase(), row.n);
    }
    return counts;
  }

  async function outbound(match: string, top: number): Promise<EventSummary[]> {
    const found = await events(`${OUTBOUND} and statecode eq 0${match}`, top, 'searching the outbound events');
    const counts = await countsByEvent(
      'msevtmgt_eventregistrations',
      '_msevtmgt_eventid_value',
      found.map((e) => e.id),
      NOT_CANCELLED,
      "counting the outbound events' registrations",
    );
    return found.flatMap((e) => {
      const n = counts.get(e.id) ?? 0;
      return n > 0 ? [{ ...e, registrations: n }] : [];
    });
  }

  async function blankDrafts(match: string, top: number): Promise<EventSummary[]> {
    const found = await events(
      `${BLANK_DRAFT_CANDIDATE} and statecode eq 0${match}`,
      top,
      'searching the real-time drafts',
    );
    const ids = found.map((e) => e.id);
    const used = await Promise.all([
      countsByEvent('msevtmgt_sessions', '_msevtmgt_event_value', ids, undefined, "counting the drafts' sessions"),
      countsByEvent('msevtmgt_passes', '_msevtmgt_eventid_value', ids, undefined, "counting the drafts' passes"),
      countsByEvent(
        'msevtmgt_eventregistrations',
        '_msevtmgt_eventid_value',
        ids,
        undefined,
        "counting the drafts' registrations",
      ),
    ]);
    return found.filter((e) => used.every((c) => (c.get(e.id) ?? 0) === 0));
  }

  const finder = (list: EventList) => (list === 'outbound' ? outbound : blankDrafts);

  async function search(list: EventList, query: EventSearch): Promise<Reading<EventSummary[]>> {
    return reading(async () => {
      const { skip, top } = searchWindow(query);
      const text = searchableText(query.text);
      const match = text ? ` and contains(msevtmgt_name,${literal(text)})` : '';
      const rows = Math.min(MAX_EVENT_ROWS, (skip + top) * SLACK);
      const found = await finder(list)(match, rows);
      return found.slice(skip, skip + top);
    });
  }

  async function stillIn(list: EventList, id: string): Promise<Reading<EventSummary | undefined>> {
    return reading(async () => (await finder(list)(` and msevtmgt_eventid eq ${guid(id)}`, 1))[0]);
  }

  async function named(name: string): Promise<Reading<EventSummary[]>> {
    return reading(async () => {
      const text = searchableText(name);
      if (!text) return [];
      return events(
        `statecode eq 0 and contains(msevtmgt_name,${literal(text)})`,
        NAMED_ROWS,
        'finding events by name',
      );
    });
  }

  return { search, stillIn, named };
}

/** What is searched for: no control characters, trimmed, and not a pasted essay. */
function searchableText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .trim()
      .slice(0, MAX_NAME)
  );
}

async function reading<T>(read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (error instanceof DataverseError) {
      const kind = error.kind === 'not_found' || error.kind === 'bad_request' ? 'unexpected' : error.kind;
      return { ok: false, kind, why: error.message };
    }
    return { ok: false, kind: 'unexpected', why: shortText(error instanceof Error ? error.message : String(error)) };
  }
}

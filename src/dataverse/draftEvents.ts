/**
 * The domain's DraftEventsPort over the Web API client: the outbound event's name, dates and time zone, the app
 * user's Create and Write on msevtmgt_event, and the create itself, with the id the bot chose. Nothing throws.
 */
import type { CreateAnswer, CreatePrivileges, DraftEventSpec, DraftEventsPort } from '../migration/draftTarget';
import type { Reading } from '../migration/dataverseFacts';
import type { DataverseClient, Row } from './client';
import { DataverseError, shortText } from './errors';
import { eventCreateFrom, retrieveUserPrivilegesPath } from './privileges';
import { guid, odataPath } from './query';
import { SOURCE_SYSTEM, eventKind, recordLink } from './values';

/** Dataverse's "a record with matching key values already exists". */
const DUPLICATE_KEY = '0x80040237';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function failed(error: unknown): Extract<Reading<never>, { ok: false }> {
  if (error instanceof DataverseError) {
    const kind = error.kind === 'not_found' || error.kind === 'bad_request' ? 'unexpected' : error.kind;
    return { ok: false, kind, why: error.message };
  }
  return { ok: false, kind: 'unexpected', why: shortText(error instanceof Error ? error.message : String(error)) };
}

export function createDraftEvents(client: DataverseClient): DraftEventsPort {
  async function row(id: string, select: string[], what: string): Promise<Row | undefined> {
    try {
      return await client.get(odataPath(`msevtmgt_events(${guid(id)})`, { select }), what);
    } catch (error) {
      if (error instanceof DataverseError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async function sourceEvent(id: string): Promise<Reading<(DraftEventSpec & { realTime: boolean }) | undefined>> {
    try {
      const found = await row(
        id,
        [
          'msevtmgt_name',
          'msevtmgt_eventstartdate',
          'msevtmgt_eventenddate',
          'msevtmgt_eventtimezone',
          'msevtmgt_sourcesystem',
        ],
        'reading the outbound event',
      );
      if (!found) return { ok: true, value: undefined };
      return {
        ok: true,
        value: {
          name: text(found.msevtmgt_name) ?? '(no name)',
          startDate: text(found.msevtmgt_eventstartdate),
          endDate: text(found.msevtmgt_eventenddate),
          timeZone: numberOrNull(found.msevtmgt_eventtimezone),
          realTime: eventKind(numberOrNull(found.msevtmgt_sourcesystem)) === 'real_time',
        },
      };
    } catch (error) {
      return failed(error);
    }
  }

  async function createPrivileges(): Promise<Reading<CreatePrivileges>> {
    try {
      const me = await client.whoAmI();
      const answer = await client.get(retrieveUserPrivilegesPath(me.userId), "reading the app user's privileges");
      return { ok: true, value: eventCreateFrom(answer) };
    } catch (error) {
      return failed(error);
    }
  }

  async function exists(id: string): Promise<Reading<boolean>> {
    try {
      return { ok: true, value: (await row(id, ['msevtmgt_eventid'], 'reading the real-time event')) !== undefined };
    } catch (error) {
      return failed(error);
    }
  }

  async function create(id: string, spec: DraftEventSpec): Promise<CreateAnswer> {
    try {
      // Only what the tool's Step 1 asks for; without the source system the row would count as outbound.
      // A new event starts as a Draft by itself, so the publish status is left to Dataverse.
      const body: Row = {
        msevtmgt_eventid: guid(id),
        msevtmgt_name: spec.name,
        msevtmgt_sourcesystem: SOURCE_SYSTEM.realTime,
        ...(spec.startDate !== null ? { msevtmgt_eventstartdate: spec.startDate } : {}),
        ...(spec.endDate !== null ? { msevtmgt_eventenddate: spec.endDate } : {}),
        ...(spec.timeZone !== null ? { msevtmgt_eventtimezone: spec.timeZone } : {}),
      };
      await client.create('msevtmgt_events', body, 'creating the real-time event');
      return { kind: 'created' };
    } catch (error) {
      if (error instanceof DataverseError && (error.status === 412 || error.code === DUPLICATE_KEY))
        return { kind: 'exists' };
      return { kind: 'failed', why: failed(error).why };
    }
  }

  return {
    sourceEvent,
    createPrivileges,
    exists,
    create,
    link: (id) => recordLink(client.url, 'msevtmgt_event', id),
  };
}

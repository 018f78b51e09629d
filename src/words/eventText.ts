import type { EventKind, PublishStatus } from '../migration/dataverseFacts';
import type { EventList, EventSummary, NameMatch } from '../migration/eventDirectory';
import { PUBLISH_STATUS_LABEL } from '../migration/preflightEvidence';
import { chatText, oneLine } from './escape';
import { safeText } from './format';

/** The sentences of the event pickers and of names typed in `migrate`. */

const DAY = /^(\d{4}-\d{2}-\d{2})/;

/** The day an event starts, as the pickers show it (time-zone independent in Dataverse, so no zone here). */
export function startDayText(startsAt: string | null): string {
  const day = startsAt ? DAY.exec(startsAt)?.[1] : undefined;
  return day ? `starts ${day}` : 'no start date';
}

/** A picker's line: the name first (what the person types), then what tells two alike apart. */
export function choiceTitle(list: EventList, e: EventSummary): string {
  const name = oneLine(e.name);
  if (list === 'blank_draft') return `${name} · ${startDayText(e.startsAt)} · blank real-time draft`;
  const n = e.registrations ?? 0;
  return `${name} · ${startDayText(e.startsAt)} · ${n} registration${n === 1 ? '' : 's'}`;
}

export const NEW_DRAFT_TITLE = 'A new draft real-time event, made from the outbound event';

export const PICKER_TITLE = 'Migrate registrations: choose the two events';
export const PICKER_INTRO =
  'Choose the outbound event whose registrations move, and the blank real-time draft they move into. Type part of a name to search; the lists start with the most recent ones.';
export const PICKER_FROM_LABEL = 'Outbound event (with registrations)';
export const PICKER_TO_LABEL = 'Real-time event (a blank Draft)';
export const PICKER_FROM_PLACEHOLDER = 'Type part of the outbound event name';
export const PICKER_TO_PLACEHOLDER = 'Type part of the real-time event name';
export const PICKER_FROM_MISSING = 'Choose the outbound event.';
export const PICKER_TO_MISSING = 'Choose the real-time event, or a new draft.';
export const PICKER_FOOTER =
  'Next shows the confirmation card with its checks; nothing starts before someone approves it.';

export function pickerListFailed(why: string): string {
  return `The lists could not be read from Dataverse (${oneLine(why)}); type a part of a name to search, or use \`migrate <outbound-event-id> <real-time-event-id>\`.`;
}

/** What Next answers when the picks cannot be used; nothing was stored. */
export const PICK_NOTHING = 'Choose both events first: the outbound event and the real-time event.';
export const PICK_NO_SOURCE = 'Choose the outbound event first.';
export const PICK_NO_TARGET = 'Choose the real-time event (or a new draft) first.';
export const PICK_SAME = 'The same event was chosen twice: the outbound and the real-time event must differ.';
export const PICK_WRONG_CONVERSATION = 'This card belongs to another conversation: type `migrate` here for your own.';

export function pickGone(list: EventList): string {
  return list === 'outbound'
    ? 'The chosen outbound event no longer qualifies (it is gone, inactive or has no registrations left). Choose again.'
    : 'The chosen real-time event is no longer a blank Draft (it is gone, or now has sessions, passes or registrations). Choose again.';
}

export function pickCheckFailed(why: string): string {
  return `The choice could not be checked in Dataverse (${oneLine(why)}). Nothing was stored; press Next again in a moment.`;
}

export const PICKED = 'The confirmation card follows in the conversation.';
export const PICKED_TITLE = 'Migrate registrations: events chosen';

/** Picking from lists and typing names both need Dataverse. */
export const NEEDS_DATAVERSE =
  'Choosing events from lists or by name needs Dataverse, which is not configured here (DATAVERSE_URL is empty): give the two event ids.';

/** The same, after the usual "ids are missing". */
export function idsMissingWithoutDataverse(idsMissing: string): string {
  return `${idsMissing} ${NEEDS_DATAVERSE}`;
}

const KIND: Record<EventKind, string> = { outbound: 'outbound', real_time: 'real-time', unknown: 'unknown kind' };
const STATE: Record<PublishStatus, string> = { ...PUBLISH_STATUS_LABEL, unknown: 'state unknown' };

function candidateLine(e: EventSummary): string {
  return `- **${chatText(e.name)}** · ${startDayText(e.startsAt)} · ${KIND[e.kind]} · ${STATE[e.publishStatus]} · [open](${e.link}) · \`${e.id}\``;
}

const SIDE = { outbound: 'outbound event', 'real-time': 'real-time event' } as const;
export type Side = keyof typeof SIDE;

/** A name that matched none or several events, worded for the chat; `shown` candidates at most. */
export function nameProblem(side: Side, match: Exclude<NameMatch, { kind: 'one' }>, shown = 10): string {
  if (match.kind === 'none')
    return `No event's name holds "${chatText(safeText(match.name, 80))}" (for the ${SIDE[side]}). Check the spelling, type \`migrate\` alone to choose from lists, or give its id.`;
  const listed = match.candidates.slice(0, shown).map(candidateLine);
  const more = match.candidates.length > shown ? [`…and more: type more of the name.`] : [];
  return [
    `Several events match for the ${SIDE[side]}; say which with more of the name, or with its id:`,
    ...listed,
    ...more,
  ].join('\n');
}

export function nameLookupFailed(why: string): string {
  return `The names could not be looked up in Dataverse (${oneLine(why)}). Nothing was stored; try again, or give the event ids.`;
}

export const SAME_EVENT_BY_NAME =
  'Both names lead to the same event: the outbound and the real-time event must be different events.';

export function unknownDataset(dataset: string): string {
  return `This card's list ("${oneLine(dataset).slice(0, 60)}") is not one the bot knows: type \`migrate\` for a new card.`;
}

export function searchFailed(why: string): string {
  return `The search could not be made in Dataverse (${oneLine(why)}).`;
}

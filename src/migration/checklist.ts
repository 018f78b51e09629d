/** The checklist of the confirmation card; every item must be ticked before Approve. */
export type ChecklistItemId =
  'rtmEventIsMinimalDraft' | 'outboundEventIsDraft' | 'journeysDisabled' | 'manualFollowUpAccepted';

/**
 * What a person must confirm before a migration may start, what the migration covers, and what is left to do
 * by hand afterwards: the product documentation's conditions, said once for every card and text.
 */

export interface ChecklistItem {
  id: ChecklistItemId;
  title: string;
}

export const CHECKLIST: ReadonlyArray<ChecklistItem> = [
  {
    id: 'rtmEventIsMinimalDraft',
    title:
      'The real-time event is a Draft with only its name, start date and end date set (no sessions, passes or other settings).',
  },
  {
    id: 'outboundEventIsDraft',
    title: 'The outbound event is in draft state: registrations that arrive after the start are not migrated.',
  },
  {
    id: 'journeysDisabled',
    title:
      'Trigger-based journeys on "Marketing event registration created" and "Session registration created" are disabled (or attendees get duplicate confirmation emails).',
  },
  {
    id: 'manualFollowUpAccepted',
    title: 'Waitlisted registrations and the Teams / stream URL will be handled by hand.',
  },
];

/** Every item ticked, as the card's Input.Toggles send them (valueOn "true"): what an Approve click carries. */
export const ALL_TICKED: Readonly<Record<ChecklistItemId, string>> = Object.freeze(
  Object.fromEntries(CHECKLIST.map((item) => [item.id, 'true'])) as Record<ChecklistItemId, string>,
);

/** The optional toggle that sends `stopExistingIfJobRunning`. */
export const REPLACE_TOGGLE_ID = 'replaceRunning';
export const REPLACE_TOGGLE_TITLE = 'Replace a migration that is already running on the service (stops it).';

export const MIGRATED: readonly string[] = [
  'Event registrations',
  'Session registrations',
  'Registration QR codes',
  'Custom registration fields',
  'Allocated attendee passes',
  'The basic session and pass structure',
];

export const NOT_MIGRATED: readonly string[] = [
  'Waitlisted registrations (recreate them by hand)',
  'Additional event settings',
  'The streamed event / Teams URL (send attendees the new join link)',
  'Custom attributes outside the supported fields',
];

export const AFTER_MIGRATION_STEPS: readonly string[] = [
  'Open the new real-time event.',
  'Review the migrated registrations, sessions, passes and custom unmapped fields.',
  'Adjust any other settings of the event.',
  'Publish the event so that it receives new registrations.',
  'Recreate the waitlist by hand.',
  'Send attendees the new Teams join link (for example an email to a segment).',
  'Re-enable the journeys you disabled, if you still want them.',
];

export const FAILURE_ADVICE: readonly string[] = [
  'The migration may be run again: use Retry.',
  'If only a few registrations are missing, add them to the real-time event by hand.',
  'If many are missing, create a new draft real-time event and run the migration again into it.',
  'If it keeps failing, contact Microsoft support with the details below.',
];

export interface ChecklistAnswer {
  missing: ChecklistItemId[];
  replaceRunning: boolean;
}

/** Teams sends Input.Toggle values as the strings of valueOn/valueOff; other clients may send booleans. */
export function isOn(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

export function readChecklist(data: Record<string, unknown>): ChecklistAnswer {
  const missing = CHECKLIST.filter((item) => !isOn(data[item.id])).map((item) => item.id);
  return { missing, replaceRunning: isOn(data[REPLACE_TOGGLE_ID]) };
}

export function checklistTitle(id: ChecklistItemId): string {
  return CHECKLIST.find((item) => item.id === id)?.title ?? id;
}

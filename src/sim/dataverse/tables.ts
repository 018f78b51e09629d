/** The tables of the simulated Dataverse: entity set, logical and schema name, key, and lookups' display names. */
import type { SimRow } from './odataFilter';

export interface SimTableDef {
  set: string;
  logical: string;
  /** the schema name, as privileges spell it (prvRead<schema>) */
  schema: string;
  key: string;
  /** the primary name column, shown as a lookup's formatted value */
  nameColumn?: string;
  /** lookup column -> the entity set it points at (for formatted values) */
  lookups?: Record<string, string>;
}

export const SIM_TABLES: readonly SimTableDef[] = [
  {
    set: 'msevtmgt_events',
    logical: 'msevtmgt_event',
    schema: 'msevtmgt_Event',
    key: 'msevtmgt_eventid',
    nameColumn: 'msevtmgt_name',
  },
  {
    set: 'msevtmgt_sessions',
    logical: 'msevtmgt_session',
    schema: 'msevtmgt_Session',
    key: 'msevtmgt_sessionid',
    nameColumn: 'msevtmgt_name',
  },
  {
    set: 'msevtmgt_passes',
    logical: 'msevtmgt_pass',
    schema: 'msevtmgt_Pass',
    key: 'msevtmgt_passid',
    nameColumn: 'msevtmgt_name',
  },
  {
    set: 'msevtmgt_eventregistrations',
    logical: 'msevtmgt_eventregistration',
    schema: 'msevtmgt_EventRegistration',
    key: 'msevtmgt_eventregistrationid',
    lookups: { _msevtmgt_contactid_value: 'contacts', _msevtmgt_eventid_value: 'msevtmgt_events' },
  },
  {
    set: 'msevtmgt_sessionregistrations',
    logical: 'msevtmgt_sessionregistration',
    schema: 'msevtmgt_SessionRegistration',
    key: 'msevtmgt_sessionregistrationid',
    lookups: { _msevtmgt_contactid_value: 'contacts' },
  },
  {
    set: 'msevtmgt_attendeepasses',
    logical: 'msevtmgt_attendeepass',
    schema: 'msevtmgt_AttendeePass',
    key: 'msevtmgt_attendeepassid',
  },
  {
    set: 'msevtmgt_waitlistitems',
    logical: 'msevtmgt_waitlistitem',
    schema: 'msevtmgt_WaitlistItem',
    key: 'msevtmgt_waitlistitemid',
    lookups: { _msevtmgt_contact_value: 'contacts' },
  },
  { set: 'contacts', logical: 'contact', schema: 'Contact', key: 'contactid', nameColumn: 'fullname' },
  {
    set: 'msdynmkt_journeys',
    logical: 'msdynmkt_journey',
    schema: 'msdynmkt_journey',
    key: 'msdynmkt_journeyid',
    nameColumn: 'msdynmkt_name',
  },
  {
    set: 'msdynmkt_eventmetadataset',
    logical: 'msdynmkt_eventmetadata',
    schema: 'msdynmkt_eventmetadata',
    key: 'msdynmkt_eventmetadataid',
    nameColumn: 'msdynmkt_name',
  },
];

export type SimData = Record<string, SimRow[]>;

export function tableBySet(set: string): SimTableDef | undefined {
  return SIM_TABLES.find((t) => t.set === set);
}

export function tableByLogical(logical: string): SimTableDef | undefined {
  return SIM_TABLES.find((t) => t.logical === logical);
}

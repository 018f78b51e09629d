/** The option values of the event table (see the Dataverse reference) as the domain's words. */
import type { EventKind, PublishStatus } from '../migration/dataverseFacts';

export const SOURCE_SYSTEM = { outbound: 100000001, realTime: 100000002 } as const;

const PUBLISH: Record<number, PublishStatus> = {
  100000000: 'draft',
  100000001: 'ready_to_go_live',
  100000002: 'in_progress',
  100000003: 'live',
  100000004: 'cancelled',
  100000005: 'going_live',
};

export const PUBLISH_STATUS_VALUE = { draft: 100000000, live: 100000003 } as const;

/** Empty means outbound. */
export function eventKind(sourceSystem: number | null): EventKind {
  if (sourceSystem === null || sourceSystem === SOURCE_SYSTEM.outbound) return 'outbound';
  if (sourceSystem === SOURCE_SYSTEM.realTime) return 'real_time';
  return 'unknown';
}

export function publishStatus(value: number | null): PublishStatus {
  return value === null ? 'unknown' : (PUBLISH[value] ?? 'unknown');
}

/** Journey statecode 1 = Live; msdynmkt_triggertype 3 = trigger-based. */
export const JOURNEY_LIVE = 1;
export const JOURNEY_TRIGGER_BASED = 3;

/** The triggers' display names vary between pages: any of these, compared case-insensitively. */
export const REGISTRATION_TRIGGER_NAMES = [
  'marketing event registration created',
  'event registration created',
  'session registration created',
];

/** `<url>/main.aspx?pagetype=entityrecord&etn=<table>&id=<guid>` opens a row in the default app. */
export function recordLink(dataverseUrl: string, table: string, id: string): string {
  const base = dataverseUrl.replace(/\/+$/, '');
  return `${base}/main.aspx?pagetype=entityrecord&etn=${encodeURIComponent(table)}&id=${encodeURIComponent(id)}`;
}

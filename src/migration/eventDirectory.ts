/**
 * The domain's port for finding events by name: the pickers' type-ahead and the names typed in `migrate "..." "..."`.
 * The adapter (src/dataverse/eventDirectory.ts) answers it with small OData queries; nothing here knows HTTP. Like
 * the facts port, a call never throws: a failure is a Reading with its sentence.
 */
import type { EventKind, PublishStatus, Reading } from './dataverseFacts';

/** What a picker or a list of candidates shows of one event. */
export interface EventSummary {
  id: string;
  name: string;
  kind: EventKind;
  publishStatus: PublishStatus;
  /** ISO date-time, or null when the row has none */
  startsAt: string | null;
  /** registrations not cancelled; only for the outbound picker */
  registrations?: number;
  link: string;
}

/** The two lists the picker card offers. */
export type EventList = 'outbound' | 'blank_draft';

export interface EventSearch {
  /** part of the name, any case; empty: the most recent ones */
  text: string;
  /** rows to leave out from the top (Teams pages the type-ahead with skip/top) */
  skip?: number;
  /** at most MAX_SEARCH_RESULTS */
  top?: number;
}

/** The most a search answers, whatever it is asked for. */
export const MAX_SEARCH_RESULTS = 15;

export interface EventDirectoryPort {
  /** outbound events with registrations (`outbound`), or real-time Drafts with no sessions, passes or registrations */
  search(list: EventList, query: EventSearch): Promise<Reading<EventSummary[]>>;
  /** the event, if it still belongs in the list (a pick made a while ago is checked again before it is used) */
  stillIn(list: EventList, id: string): Promise<Reading<EventSummary | undefined>>;
  /** events whose name holds `name` (any kind and state), for a name typed in a command */
  named(name: string): Promise<Reading<EventSummary[]>>;
}

/** A typed name, matched to events. */
export type NameMatch =
  | { kind: 'one'; event: EventSummary }
  | { kind: 'several'; candidates: EventSummary[] }
  | { kind: 'none'; name: string };

/**
 * Which of the events holding the name a person meant: those of the expected kind first (a real-time event
 * called like the outbound one is not the outbound one), and among them an exact name over a partial one.
 */
export function matchName(name: string, found: readonly EventSummary[], expected: EventKind): NameMatch {
  const ofKind = found.filter((e) => e.kind === expected);
  const pool = ofKind.length > 0 ? ofKind : [...found];
  const wanted = comparable(name);
  const exact = pool.filter((e) => comparable(e.name) === wanted);
  const chosen = exact.length > 0 ? exact : pool;
  if (chosen.length === 0) return { kind: 'none', name };
  if (chosen.length === 1) return { kind: 'one', event: chosen[0] };
  return { kind: 'several', candidates: chosen };
}

function comparable(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Teams' skip/top, bounded: never more than MAX_SEARCH_RESULTS, never negative. */
export function searchWindow(query: Pick<EventSearch, 'skip' | 'top'>): { skip: number; top: number } {
  const skip = Number.isInteger(query.skip) && (query.skip as number) > 0 ? Math.min(query.skip as number, 500) : 0;
  const asked = Number.isInteger(query.top) && (query.top as number) > 0 ? (query.top as number) : MAX_SEARCH_RESULTS;
  return { skip, top: Math.min(asked, MAX_SEARCH_RESULTS) };
}

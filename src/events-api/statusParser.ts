/**
 * The tolerant reader of `GET .../obmMigration/status`. The body is not published, so this accepts every
 * field-name variant of the assumed contract (reference/events-api.md) and, above all, never mistakes a shape
 * it does not understand for completion or failure: such a body becomes state `unknown` with its raw summary.
 */
import { z } from 'zod';
import type { ServiceState, StatusReading } from '../migration/types';

const CONTAINERS = ['job', 'progress', 'registrations', 'result'];

const FIELDS = {
  state: ['status', 'state', 'jobStatus', 'migrationStatus'],
  processed: [
    'processed',
    'processedCount',
    'processedRegistrations',
    'migrated',
    'migratedCount',
    'migratedRegistrations',
    'succeeded',
    'successCount',
  ],
  total: ['total', 'totalCount', 'totalRegistrations'],
  failed: ['failed', 'failedCount', 'failedRegistrations', 'errorCount'],
  percent: ['percentComplete', 'percentage', 'progressPercent'],
  fromEventId: ['fromEventId', 'sourceEventId'],
  toEventId: ['toEventId', 'targetEventId'],
  errors: ['errors', 'messages', 'failures'],
  startedAt: ['startedOn', 'startedAt', 'startTime'],
  completedAt: ['completedOn', 'completedAt', 'endTime'],
} as const;

const STATE_VALUES: Record<string, ServiceState> = {};
function states(state: ServiceState, values: string[]): void {
  for (const v of values) STATE_VALUES[normaliseStateValue(v)] = state;
}
states('queued', ['NotStarted', 'Queued', 'Pending', 'Created']);
states('running', ['Running', 'InProgress', 'Processing', 'Started']);
states('completed', ['Completed', 'Succeeded', 'Success', 'Done', 'Finished']);
states('completed_with_errors', ['CompletedWithErrors', 'PartiallySucceeded', 'PartialSuccess']);
states('failed', ['Failed', 'Error', 'Faulted']);
states('stopped', ['Stopped', 'Cancelled', 'Canceled', 'Aborted']);
states('no_job', ['None', 'Idle', 'NoJob']);

export const RAW_SUMMARY_MAX = 300;
const MAX_ERRORS = 50;
const MAX_ERROR_LENGTH = 500;

/** Collapses whitespace and cuts to `max` characters, marking the cut. */
export function shorten(text: string, max = RAW_SUMMARY_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function normaliseStateValue(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '');
}

export function mapStateValue(value: string): ServiceState {
  return STATE_VALUES[normaliseStateValue(value)] ?? 'unknown';
}

const count = z.union([
  z.number().finite().nonnegative(),
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);

const percentValue = z
  .union([
    z.number().finite(),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?\s*%?$/)
      .transform((s) => Number.parseFloat(s)),
  ])
  .pipe(z.number().min(0).max(100));

type Lookup = Map<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lower-cased keys of an object; the first spelling wins when two differ only in case. */
function lowerKeys(obj: Record<string, unknown>): Lookup {
  const map: Lookup = new Map();
  for (const [k, v] of Object.entries(obj)) {
    const key = k.toLowerCase();
    if (!map.has(key)) map.set(key, v);
  }
  return map;
}

/**
 * A generic response envelope such as `{"status": "success", "data": {...}}`: its status is about the HTTP call,
 * not the job, and reading it as the job's state would take "success" for a completed migration.
 */
const ENVELOPES = ['data', 'value', 'response'];

function unwrapEnvelope(body: Record<string, unknown>): Record<string, unknown> {
  const top = lowerKeys(body);
  const inner = ENVELOPES.map((e) => top.get(e)).find(isRecord);
  return inner ?? body;
}

/** The top level first, then each container one level down, in a fixed order. */
function scopes(envelope: Record<string, unknown>): Lookup[] {
  const body = unwrapEnvelope(envelope);
  const top = lowerKeys(body);
  const nested = CONTAINERS.map((c) => top.get(c))
    .filter(isRecord)
    .map(lowerKeys);
  return [top, ...nested];
}

function candidates(scopeList: Lookup[], names: readonly string[]): unknown[] {
  const out: unknown[] = [];
  for (const scope of scopeList) {
    for (const name of names) {
      const v = scope.get(name.toLowerCase());
      if (v !== undefined && v !== null) out.push(v);
    }
  }
  return out;
}

function firstParsed<T>(values: unknown[], schema: z.ZodType<T>): T | undefined {
  for (const v of values) {
    const r = schema.safeParse(v);
    if (r.success) return r.data;
  }
  return undefined;
}

/** The first state value the table recognises; failing that, the first one given (so it is kept as rawState). */
function readState(values: unknown[]): { state: ServiceState; rawState?: string } {
  const given = values.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  for (const raw of given) {
    const state = mapStateValue(raw);
    if (state !== 'unknown') return { state, rawState: raw };
  }
  return given.length > 0 ? { state: 'unknown', rawState: shorten(given[0], 100) } : { state: 'unknown' };
}

function normaliseEventId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .toLowerCase();
}

function readTime(values: unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v === 'string' && v.trim() !== '') return shorten(v, 64);
    if (typeof v === 'number' && Number.isFinite(v)) {
      const d = new Date(v);
      if (!Number.isNaN(d.getTime())) return d.toISOString();
    }
  }
  return undefined;
}

function errorText(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (isRecord(item)) {
    const message = lowerKeys(item).get('message');
    if (typeof message === 'string') return message;
  }
  return undefined;
}

function readErrors(values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      const text = errorText(item);
      if (text && text.trim() !== '') out.push(shorten(text, MAX_ERROR_LENGTH));
      if (out.length >= MAX_ERRORS) return out;
    }
  }
  return out;
}

function readBody(body: Record<string, unknown>, httpStatus: number, rawSummary: string): StatusReading {
  const s = scopes(body);
  const field = (name: keyof typeof FIELDS) => candidates(s, FIELDS[name]);
  const ids = { from: field('fromEventId').map(normaliseEventId), to: field('toEventId').map(normaliseEventId) };
  const reading: StatusReading = {
    ...readState(field('state')),
    processed: firstParsed(field('processed'), count),
    total: firstParsed(field('total'), count),
    failed: firstParsed(field('failed'), count),
    percent: firstParsed(field('percent'), percentValue),
    fromEventId: ids.from.find(Boolean),
    toEventId: ids.to.find(Boolean),
    errors: readErrors(field('errors')),
    startedAt: readTime(field('startedAt')),
    completedAt: readTime(field('completedAt')),
    httpStatus,
    rawSummary,
  };
  return dropUndefined(reading);
}

function dropUndefined(reading: StatusReading): StatusReading {
  const out = { ...reading } as Record<string, unknown>;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as StatusReading;
}

const NO_JOB_TEXT =
  /\bno\s+(?:migration\s+)?(?:job|migration)s?\b|\bnojob\b|\bjob\s+not\s+found\b|\bnot\s+found\b.*\bjob\b/i;

/** Whether a 404 says "there is no job" (rather than "no such endpoint"). */
export function saysNoJob(bodyText: string): boolean {
  if (NO_JOB_TEXT.test(bodyText)) return true;
  const json = tryJson(bodyText);
  return isRecord(json) && readState(candidates(scopes(json), FIELDS.state)).state === 'no_job';
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reading(state: ServiceState, httpStatus: number, rawSummary: string): StatusReading {
  return { state, errors: [], httpStatus, rawSummary };
}

/** Never throws: whatever arrives becomes a reading, `unknown` when not understood. */
export function parseStatus(httpStatus: number, bodyText: string): StatusReading {
  let rawSummary = '';
  try {
    const text = typeof bodyText === 'string' ? bodyText : String(bodyText);
    rawSummary = shorten(text);
    if (httpStatus === 204) return reading('no_job', httpStatus, rawSummary);
    if (httpStatus === 404) return reading(saysNoJob(text) ? 'no_job' : 'unknown', httpStatus, rawSummary);
    const json = tryJson(text);
    if (!isRecord(json)) return reading('unknown', httpStatus, rawSummary);
    return readBody(json, httpStatus, rawSummary);
  } catch {
    return reading('unknown', httpStatus, rawSummary);
  }
}

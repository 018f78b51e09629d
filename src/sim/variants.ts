/**
 * The shapes in which the simulator answers `GET .../obmMigration/status`. The real body is not published;
 * each variant uses other field names and state words of the assumed contract (reference/events-api.md),
 * so that the client's tolerance is exercised end to end. `odd` is a shape nobody should understand.
 */
import type { SimJobState, SimJobView } from './job';

export const STATUS_VARIANTS = [
  'flat',
  'nested',
  'percent',
  'strings',
  'registrations',
  'result',
  'summary',
  'odd',
] as const;
export type StatusVariant = (typeof STATUS_VARIANTS)[number];

export interface SimAnswer {
  status: number;
  /** JSON text, or undefined for an empty body */
  body?: string;
}

type Words = Record<SimJobState, string>;

const WORDS: Record<Exclude<StatusVariant, 'odd'>, Words> = {
  flat: {
    queued: 'Queued',
    running: 'Running',
    completed: 'Completed',
    completed_with_errors: 'CompletedWithErrors',
    failed: 'Failed',
    stopped: 'Stopped',
  },
  nested: {
    queued: 'NotStarted',
    running: 'InProgress',
    completed: 'Succeeded',
    completed_with_errors: 'PartiallySucceeded',
    failed: 'Faulted',
    stopped: 'Cancelled',
  },
  percent: {
    queued: 'pending',
    running: 'processing',
    completed: 'done',
    completed_with_errors: 'partial_success',
    failed: 'error',
    stopped: 'aborted',
  },
  strings: {
    queued: 'Not Started',
    running: 'In Progress',
    completed: 'Success',
    completed_with_errors: 'Completed With Errors',
    failed: 'Error',
    stopped: 'Canceled',
  },
  registrations: {
    queued: 'created',
    running: 'started',
    completed: 'finished',
    completed_with_errors: 'partial-success',
    failed: 'failed',
    stopped: 'aborted',
  },
  result: {
    queued: 'Pending',
    running: 'Processing',
    completed: 'Done',
    completed_with_errors: 'Partially_Succeeded',
    failed: 'Faulted',
    stopped: 'Stopped',
  },
  summary: {
    queued: 'NOT_STARTED',
    running: 'RUNNING',
    completed: 'FINISHED',
    completed_with_errors: 'COMPLETED_WITH_ERRORS',
    failed: 'FAILED',
    stopped: 'CANCELED',
  },
};

const json = (status: number, value: unknown): SimAnswer => ({ status, body: JSON.stringify(value) });

const NO_JOB: Record<StatusVariant, SimAnswer> = {
  flat: json(200, { status: 'None' }),
  nested: { status: 204 },
  percent: json(404, { message: 'No migration job found for this organization.' }),
  strings: json(200, { Status: 'No Job' }),
  registrations: json(200, { jobStatus: 'idle' }),
  result: json(404, { error: { code: 'NoJob', message: 'There is no migration job.' } }),
  summary: json(200, { state: 'IDLE' }),
  odd: json(200, { phase: 'none' }),
};

function body(variant: StatusVariant, v: SimJobView): unknown {
  if (variant === 'odd') return { phase: `P${v.state.length}`, pct: v.percent / 100, items: [v.processed, v.total] };
  const word = WORDS[variant][v.state];
  switch (variant) {
    case 'flat':
      return {
        status: word,
        processed: v.processed,
        total: v.total,
        failed: v.failed,
        fromEventId: v.fromEventId,
        toEventId: v.toEventId,
        errors: v.errors,
        startedOn: v.startedAt ?? null,
        completedOn: v.completedAt ?? null,
      };
    case 'nested':
      return {
        job: {
          state: word,
          fromEventId: v.fromEventId,
          toEventId: v.toEventId,
          startedAt: v.startedAt,
          completedAt: v.completedAt,
        },
        progress: { processedCount: v.processed, totalCount: v.total, failedCount: v.failed },
        errors: v.errors.map((message) => ({ message })),
      };
    case 'percent':
      return { migrationStatus: word, percentComplete: v.percent, fromEventId: v.fromEventId, toEventId: v.toEventId };
    case 'strings':
      return {
        Status: word,
        ProcessedRegistrations: String(v.processed),
        TotalCount: String(v.total),
        ErrorCount: String(v.failed),
        FromEventId: v.fromEventId.toUpperCase(),
        ToEventId: v.toEventId.toUpperCase(),
        StartTime: v.startedAt,
        EndTime: v.completedAt,
        Messages: v.errors.map((Message) => ({ Message })),
      };
    case 'registrations':
      return {
        jobStatus: word,
        sourceEventId: v.fromEventId,
        targetEventId: v.toEventId,
        registrations: {
          migratedRegistrations: v.processed,
          totalRegistrations: v.total,
          failedRegistrations: v.failed,
        },
        startTime: v.startedAt,
        endTime: v.completedAt,
        failures: v.errors.map((message) => ({ message })),
      };
    case 'result':
      return {
        result: {
          status: word,
          migratedCount: v.processed,
          totalCount: v.total,
          failed: v.failed,
          percentage: v.percent,
          sourceEventId: `{${v.fromEventId}}`,
          targetEventId: `{${v.toEventId}}`,
          completedAt: v.completedAt,
        },
        messages: v.errors,
      };
    case 'summary':
      return {
        state: word,
        succeeded: v.processed,
        totalRegistrations: v.total,
        failedCount: v.failed,
        progressPercent: v.percent,
        startedAt: v.startedAt,
        completedOn: v.completedAt,
      };
  }
}

export function renderStatus(variant: StatusVariant, view: SimJobView | undefined): SimAnswer {
  return view ? json(200, body(variant, view)) : NO_JOB[variant];
}

export function isStatusVariant(value: string): value is StatusVariant {
  return (STATUS_VARIANTS as readonly string[]).includes(value);
}

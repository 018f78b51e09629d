import fc from 'fast-check';
import { mapStateValue, parseStatus, RAW_SUMMARY_MAX } from '../../../src/events-api/statusParser';
import type { ServiceState } from '../../../src/migration/types';

const parse = (body: unknown, http = 200) => parseStatus(http, JSON.stringify(body));

describe('parseStatus: states', () => {
  const table: Array<[ServiceState, string[]]> = [
    ['queued', ['NotStarted', 'Queued', 'Pending', 'Created', 'not started', 'NOT_STARTED']],
    ['running', ['Running', 'InProgress', 'Processing', 'Started', 'In Progress', 'in-progress']],
    ['completed', ['Completed', 'Succeeded', 'Success', 'Done', 'Finished']],
    ['completed_with_errors', ['CompletedWithErrors', 'PartiallySucceeded', 'PartialSuccess', 'completed with errors']],
    ['failed', ['Failed', 'Error', 'Faulted']],
    ['stopped', ['Stopped', 'Cancelled', 'Canceled', 'Aborted']],
    ['no_job', ['None', 'Idle', 'NoJob', 'no job']],
  ];
  it.each(table)('reads %s from each of its words', (state, words) => {
    for (const word of words) {
      for (const key of ['status', 'STATE', 'jobStatus', 'MigrationStatus']) {
        expect(parse({ [key]: word })).toMatchObject({ state, rawState: word });
      }
    }
  });

  it('finds the state nested one level under job, progress, registrations or result', () => {
    for (const container of ['job', 'Progress', 'registrations', 'RESULT']) {
      expect(parse({ [container]: { state: 'InProgress' } }).state).toBe('running');
    }
  });

  it('keeps an unknown state word and does not guess', () => {
    expect(parse({ status: 'Paused', processed: 10, total: 10 })).toMatchObject({
      state: 'unknown',
      rawState: 'Paused',
      processed: 10,
    });
  });

  it('does not look deeper than one level', () => {
    expect(parse({ job: { details: { state: 'Completed' } } }).state).toBe('unknown');
  });
});

describe('parseStatus: counts, ids, errors, times', () => {
  const names = {
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
  } as const;

  it.each(Object.entries(names))(
    'reads %s under every name, as number or numeric string, top-level or nested',
    (field, aliases) => {
      for (const alias of aliases) {
        expect(parse({ status: 'Running', [alias]: 42 })[field as keyof typeof names]).toBe(42);
        expect(parse({ status: 'Running', [alias.toUpperCase()]: ' 42 ' })[field as keyof typeof names]).toBe(42);
        expect(parse({ status: 'Running', progress: { [alias]: '42' } })[field as keyof typeof names]).toBe(42);
      }
    },
  );

  it('ignores counts that are not counts', () => {
    const r = parse({ status: 'Running', processed: -3, total: 'many', failed: true, percentComplete: 250 });
    expect(r.processed).toBeUndefined();
    expect(r.total).toBeUndefined();
    expect(r.failed).toBeUndefined();
    expect(r.percent).toBeUndefined();
  });

  it('reads event ids under both spellings, without braces, lower-cased', () => {
    const from = 'AAAAAAAA-0000-4000-8000-000000000001';
    expect(parse({ status: 'Running', fromEventId: from, toEventId: 'b' })).toMatchObject({
      fromEventId: from.toLowerCase(),
      toEventId: 'b',
    });
    expect(parse({ result: { state: 'Done', sourceEventId: `{${from}}`, targetEventId: 'c' } })).toMatchObject({
      fromEventId: from.toLowerCase(),
      toEventId: 'c',
    });
  });

  it('reads errors as strings or objects with a message, under each name', () => {
    expect(parse({ status: 'Failed', errors: ['a', { message: 'b' }, { code: 1 }] }).errors).toEqual(['a', 'b']);
    expect(parse({ status: 'Failed', Messages: [{ Message: 'c' }] }).errors).toEqual(['c']);
    expect(parse({ status: 'Failed', failures: 'one line' }).errors).toEqual(['one line']);
    expect(parse({ status: 'Failed' }).errors).toEqual([]);
  });

  it('reads start and end times under each name', () => {
    for (const [s, e] of [
      ['startedOn', 'completedOn'],
      ['startedAt', 'completedAt'],
      ['startTime', 'endTime'],
    ]) {
      expect(
        parse({ status: 'Done', job: { [s]: '2026-01-01T00:00:00Z', [e]: '2026-01-01T08:00:00Z' } }),
      ).toMatchObject({
        startedAt: '2026-01-01T00:00:00Z',
        completedAt: '2026-01-01T08:00:00Z',
      });
    }
  });
});

describe('parseStatus: no job and not understood', () => {
  it('reads 204 and a 404 that says there is no job as no_job', () => {
    expect(parseStatus(204, '').state).toBe('no_job');
    expect(parseStatus(404, '{"message":"No migration job found."}').state).toBe('no_job');
    expect(parseStatus(404, '{"status":"None"}').state).toBe('no_job');
  });

  it('does not read a plain 404 (a wrong endpoint) as no_job', () => {
    expect(parseStatus(404, '<html><body>404 Not Found</body></html>').state).toBe('unknown');
    expect(parseStatus(404, '{"message":"Resource not found."}').state).toBe('unknown');
  });

  it.each(['', 'not json', '[1,2]', '"Completed"', 'null', '{"status": "Runn'])(
    'reads %p as unknown, keeping the body',
    (body) => {
      const r = parseStatus(200, body);
      expect(r.state).toBe('unknown');
      expect(r.rawSummary).toBe(body);
    },
  );

  it('shortens the raw summary of a large body', () => {
    const r = parse({ phase: 'x'.repeat(5000) });
    expect(r.state).toBe('unknown');
    expect(r.rawSummary.length).toBeLessThanOrEqual(RAW_SUMMARY_MAX);
  });
});

describe('parseStatus: properties', () => {
  const ENDING: ServiceState[] = ['completed', 'completed_with_errors', 'failed'];
  const STATE_KEYS = ['status', 'state', 'jobstatus', 'migrationstatus'];

  it('never throws, for any text or status', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.string(),
          fc.json(),
          // some generated objects cannot be turned into a string (a key named toString); the property is about
          // the parser, so those are written as JSON instead
          fc.anything().map((v) => {
            try {
              return String(v);
            } catch {
              return JSON.stringify(v) ?? '';
            }
          }),
        ),
        (http, text) => {
          const r = parseStatus(http, text);
          expect(r.httpStatus).toBe(http);
          expect(Array.isArray(r.errors)).toBe(true);
        },
      ),
    );
  });

  it('never throws even when handed something that is not text at all', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true }), (value) => {
        expect(parseStatus(200, value as string).state).toBeDefined();
      }),
    );
  });

  it('never throws for arbitrary JSON values serialised, and ends a job only on a recognised state word', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value) ?? '';
        const r = parseStatus(200, text);
        if (ENDING.includes(r.state)) {
          expect(r.rawState).toBeDefined();
          expect(mapStateValue(r.rawState!)).toBe(r.state);
          expect(text).toContain(JSON.stringify(r.rawState).slice(1, -1));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads any object without a state field as unknown, never completed or failed', () => {
    const key = fc.string().filter((k) => !STATE_KEYS.includes(k.toLowerCase()));
    const value = fc.oneof(fc.constantFrom('Completed', 'Failed', 'Done', 'Error', 'Success'), fc.jsonValue());
    const shallow = fc.dictionary(key, value);
    const body = fc.dictionary(key, fc.oneof(value, shallow));
    fc.assert(
      fc.property(body, (obj) => expect(parse(obj).state).toBe('unknown')),
      { numRuns: 300 },
    );
  });

  it('reads objects with a recognised state word the same whatever else they carry', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.constantFrom('Completed', 'In Progress', 'failed'),
        (extra, word) => {
          const clean = Object.fromEntries(
            Object.entries(extra).filter(([k]) => !STATE_KEYS.includes(k.toLowerCase())),
          );
          expect(parse({ ...clean, Status: word }).state).toBe(mapStateValue(word));
        },
      ),
    );
  });
});

describe('a response envelope', () => {
  it('reads the job inside {status, data}, never the envelope status as the job state', () => {
    expect(
      parseStatus(200, JSON.stringify({ status: 'success', data: { state: 'Running', processed: 5, total: 10 } })),
    ).toMatchObject({
      state: 'running',
      processed: 5,
      total: 10,
    });
    expect(parseStatus(200, JSON.stringify({ status: 'Success', data: {} })).state).toBe('unknown');
    expect(parseStatus(200, JSON.stringify({ result: 'ok', value: { jobStatus: 'Completed' } })).state).toBe(
      'completed',
    );
  });
});

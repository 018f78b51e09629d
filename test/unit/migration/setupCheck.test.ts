import { DATAVERSE_TABLES, type AccessFacts, type DataverseTable } from '../../../src/migration/dataverseFacts';
import { judgeDataverseAccess, judgeSetup, judgeStatusProbe, SetupCheck } from '../../../src/migration/setupCheck';
import { EventsApiError, type StatusReading } from '../../../src/migration/types';
import { checkReport, checkSummary } from '../../../src/words/catalogue';

/** `check` judged without HTTP: each answer of the one status call, and of Dataverse's sign-in, in findings and words. */

const TOKEN = 'secret-token-value';
const reading = (r: Partial<StatusReading>): StatusReading => ({
  state: 'no_job',
  errors: [],
  httpStatus: 200,
  rawSummary: '',
  ...r,
});
const failed = (error: unknown) => ({ ok: false as const, error });
const allRead = (except: DataverseTable[] = []): AccessFacts => ({
  userId: 'user-1',
  globalRead: Object.fromEntries(DATAVERSE_TABLES.map((t) => [t, !except.includes(t)])) as AccessFacts['globalRead'],
});

describe('the Events API half', () => {
  it('a job on the service: endpoint, token and tool proven, the job named with the answer shortened', () => {
    const f = judgeStatusProbe({
      ok: true,
      reading: reading({
        state: 'running',
        rawState: 'InProgress',
        processed: 40,
        total: 200,
        fromEventId: 'a',
        toEventId: 'b',
        rawSummary: '{"status":"InProgress"}',
      }),
    });
    expect(f).toMatchObject({
      endpointAnswers: 'yes',
      tokenAccepted: 'yes',
      migrationOffered: 'yes',
      verdict: { kind: 'job' },
    });
    const text = checkReport(
      judgeSetup({
        ok: true,
        reading: reading({
          state: 'running',
          rawState: 'InProgress',
          processed: 40,
          total: 200,
          rawSummary: 'x'.repeat(400),
        }),
      }),
    );
    expect(text).toContain('ready to migrate');
    expect(text).toMatch(/current job is running \("InProgress"\), 40 of 200 processed/);
    expect(text).toMatch(/The service said: "x{199}…"/);
  });

  it('no job is fine', () => {
    const report = judgeSetup({ ok: true, reading: reading({ state: 'no_job', httpStatus: 404 }) });
    expect(report.ready).toBe(true);
    expect(checkReport(report)).toMatch(/token is accepted[\s\S]*offers the migration tool[\s\S]*No migration job/);
  });

  it('401 names the token setting; 403 also the origin', () => {
    const r401 = judgeSetup(failed(new EventsApiError('unauthorized', 'x', 401, 1, '{"message":"bad token"}')));
    expect(r401).toMatchObject({
      ready: false,
      eventsApi: { tokenAccepted: 'no', verdict: { settings: ['EVENTS_API_TOKEN'] } },
    });
    expect(checkReport(r401)).toMatch(/token was refused \(401\)\. Fix EVENTS_API_TOKEN:/);
    const r403 = judgeSetup(failed(new EventsApiError('unauthorized', 'x', 403, 1)));
    expect(checkReport(r403)).toContain('Fix EVENTS_API_TOKEN or EVENTS_API_ORIGIN');
  });

  it('a 404 that is not "no job": this endpoint does not offer the migration', () => {
    const report = judgeSetup(failed(new EventsApiError('not_found', 'x', 404, 1, 'Resource not found.')));
    expect(report.eventsApi).toMatchObject({ endpointAnswers: 'yes', migrationOffered: 'no' });
    expect(checkReport(report)).toMatch(
      /does not offer the migration tool.*EVENTS_API_ENDPOINT.*"Resource not found\."/,
    );
  });

  it('unreachable and timed out are told apart', () => {
    const refused = judgeStatusProbe(
      failed(new EventsApiError('unavailable', 'x', undefined, 1, undefined, 'connection refused')),
    );
    expect(refused).toMatchObject({ endpointAnswers: 'no', verdict: { kind: 'unreachable', timedOut: false } });
    const slow = judgeSetup(failed(new EventsApiError('unavailable', 'x', undefined, 1, undefined, 'timeout')));
    expect(checkReport(slow)).toMatch(/did not answer in time \(timeout\)/);
    expect(
      checkReport(
        judgeSetup(failed(new EventsApiError('unavailable', 'x', undefined, 1, undefined, 'host not found'))),
      ),
    ).toMatch(/cannot be reached \(host not found\)/);
  });

  it('a 5xx is the service failing, the token not proven; a bug on the bot side says nothing of its text', () => {
    const f = judgeStatusProbe(failed(new EventsApiError('unavailable', 'x', 503, 1, 'busy')));
    expect(f).toMatchObject({
      endpointAnswers: 'yes',
      tokenAccepted: 'unknown',
      verdict: { kind: 'service_failed', httpStatus: 503 },
    });
    const bug = checkReport(judgeSetup(failed(new Error(`boom ${TOKEN}`))));
    expect(bug).not.toContain(TOKEN);
  });

  it('never shows a token the service echoed', () => {
    const text = checkReport(
      judgeSetup(failed(new EventsApiError('unauthorized', 'x', 401, 1, `emApplicationtoken=${TOKEN}`))),
    );
    expect(text).not.toContain(TOKEN);
  });
});

describe('the Dataverse half', () => {
  it('signed in with every privilege: the app user named, every table readable', () => {
    const v = judgeDataverseAccess({ ok: true, value: allRead() });
    expect(v).toMatchObject({ kind: 'ready', userId: 'user-1', missing: [] });
    expect(checkReport(judgeSetup(failed(new Error('x')), { ok: true, value: allRead() }))).toMatch(
      /application user `user-1`[\s\S]*Every table/,
    );
  });

  it('a missing privilege is named, and does not make the bot unready', () => {
    const report = judgeSetup({ ok: true, reading: reading({}) }, { ok: true, value: allRead(['msdynmkt_journey']) });
    expect(report.ready).toBe(true);
    expect(report.dataverse).toMatchObject({ missing: ['msdynmkt_journey'] });
    expect(checkReport(report)).toMatch(/Missing privileges.*`msdynmkt_journey`/);
  });

  it('sign-in refused, refused by Dataverse, unreachable: each in words with the setting', () => {
    const why = 'The bot could not sign in to Dataverse: AADSTS7000215: Invalid client secret provided.';
    const text = checkReport(judgeSetup({ ok: true, reading: reading({}) }, { ok: false, kind: 'sign_in', why }));
    expect(text).toContain(why);
    expect(text).toContain('AZURE_CLIENT_SECRET');
    expect(judgeDataverseAccess({ ok: false, kind: 'refused', why: 'no user' })).toEqual({
      kind: 'refused',
      why: 'no user',
    });
    expect(judgeDataverseAccess({ ok: false, kind: 'timeout', why: 'slow' }).kind).toBe('unreachable');
  });
});

it('SetupCheck makes one status call and one access read, and the summary is one line', async () => {
  let statusCalls = 0;
  let accessCalls = 0;
  const check = new SetupCheck({
    api: { status: async () => (statusCalls++, reading({})) },
    dataverse: { access: async () => (accessCalls++, { ok: true as const, value: allRead() }) },
  });
  const report = await check.run();
  expect([statusCalls, accessCalls]).toEqual([1, 1]);
  expect(checkSummary(report)).not.toContain('\n');
  expect(checkSummary(report)).toMatch(/^ready: The endpoint answers\./);
});

import { createDataverseClient, DataverseError, type DataverseClient } from '../../../src/dataverse';
import { odataPath } from '../../../src/dataverse/query';
import { SEED } from '../../../src/sim/dataverse/seed';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';
import { captureLogger, type CaptureLogger } from '../../helpers/captureLogger';

let org: SimOrganisation;
let log: CaptureLogger;
let client: DataverseClient;
let waits: number[];

function makeClient(over: Partial<Parameters<typeof createDataverseClient>[0]> = {}): DataverseClient {
  return createDataverseClient({
    url: org.dataverse.url,
    credential: org.credential(),
    logger: log,
    pageSize: 100,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...over,
  });
}

beforeAll(async () => {
  org = await startOrganisation();
});
afterAll(async () => {
  await org.close();
});
beforeEach(() => {
  org.dataverse.reset();
  log = captureLogger();
  waits = [];
  client = makeClient();
});
afterEach(async () => {
  await client.close();
});

const liveRegistrations = `_msevtmgt_eventid_value eq ${SEED.outboundLive}`;

describe('the Dataverse client over HTTP', () => {
  it('sends the OData headers and a bearer token, and reads one row with $select', async () => {
    const row = await client.get(
      odataPath(`msevtmgt_events(${SEED.realTimeBlank})`, { select: ['msevtmgt_name'] }),
      'reading an event',
    );
    expect(row).toMatchObject({ msevtmgt_name: 'Contoso Summit 2026', msevtmgt_eventid: SEED.realTimeBlank });
    expect(row).not.toHaveProperty('msevtmgt_publishstatus');
    expect(org.dataverse.calls[0].headers).toEqual({
      accept: 'application/json',
      odataVersion: '4.0',
      odataMaxVersion: '4.0',
      prefer: undefined,
    });
  });

  it('follows @odata.nextLink until the last page', async () => {
    const rows = await client.list(
      odataPath('msevtmgt_eventregistrations', { select: ['msevtmgt_eventregistrationid'], filter: liveRegistrations }),
      'reading registrations',
    );
    expect(rows).toHaveLength(SEED.counts.liveRegistrations);
    expect(new Set(rows.map((r) => r.msevtmgt_eventregistrationid)).size).toBe(SEED.counts.liveRegistrations);
    expect(org.dataverse.calls.filter((c) => c.path === 'msevtmgt_eventregistrations')).toHaveLength(3);
  });

  it('counts in one call, without reading the rows', async () => {
    const n = await client.count(
      'msevtmgt_eventregistrations',
      `${liveRegistrations} and msevtmgt_iscanceled eq false`,
      'counting',
    );
    expect(n).toBe(SEED.counts.liveRegistrations - SEED.counts.liveCancelled);
    expect(org.dataverse.calls).toHaveLength(1);
  });

  it('waits out a 429 for the Retry-After it was given, then answers', async () => {
    org.dataverse.injectFault({ kind: '429', retryAfterSec: 3, times: 2 });
    const n = await client.count('msevtmgt_sessions', undefined, 'counting sessions');
    expect(n).toBe(3);
    expect(waits).toEqual([3000, 3000]);
    expect(org.dataverse.calls.map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('gives up at once when the Retry-After does not fit its budget, and says so', async () => {
    org.dataverse.injectFault({ kind: '429', retryAfterSec: 120 });
    const err = await client.count('msevtmgt_sessions', undefined, 'counting sessions').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseError);
    expect((err as DataverseError).kind).toBe('throttled');
    expect((err as Error).message).toMatch(/throttling the bot \(429\).*asked to wait 120 s.*gave up after 1 try/);
    expect(waits).toEqual([]);
  });

  it("turns Dataverse's error body into a sentence", async () => {
    const err = (await client
      .count('msevtmgt_sessions', 'msevtmgt_name gt 1', 'counting sessions')
      .catch((e: unknown) => e)) as DataverseError;
    expect(err.kind).toBe('bad_request');
    expect(err.message).toMatch(
      /^Dataverse did not accept counting sessions \(400\)\. Dataverse said: ".*gt.*" \(0x80060888\)$/,
    );
    const missing = (await client
      .get('msevtmgt_events(00000000-0000-4000-8000-00000000abcd)', 'reading the event')
      .catch((e: unknown) => e)) as DataverseError;
    expect(missing.kind).toBe('not_found');
    expect(missing.message).toContain('Does Not Exist');
  });

  it('times out a slow answer', async () => {
    const slowClient = makeClient({ requestTimeoutMs: 200 });
    org.dataverse.injectFault({ kind: 'slow', ms: 1500, times: 1 });
    const began = Date.now();
    const err = (await slowClient.whoAmI().catch((e: unknown) => e)) as DataverseError;
    await slowClient.close();
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('Dataverse did not answer within 0.2 s.');
    expect(Date.now() - began).toBeLessThan(1400);
  });

  it('a token Dataverse does not know is refused with a sentence, and no token is logged', async () => {
    const bad = makeClient({
      credential: { getToken: async () => ({ token: 'forged-token-value', expiresOnTimestamp: Date.now() + 60_000 }) },
    });
    const err = (await bad.whoAmI().catch((e: unknown) => e)) as DataverseError;
    await bad.close();
    expect(err.kind).toBe('refused');
    expect(err.message).toMatch(/refused the bot's token \(401\).*application user/);
    expect(log.text()).not.toContain('forged-token-value');
    expect(log.text()).not.toMatch(/Bearer/i);
  });

  it('rows the caller may not read are simply left out: the count drops, nothing fails', async () => {
    org.dataverse.hideRows('msevtmgt_eventregistrations', 'msevtmgt_iscanceled eq false');
    expect(await client.count('msevtmgt_eventregistrations', liveRegistrations, 'counting')).toBe(
      SEED.counts.liveCancelled,
    );
  });

  it('creates a row with Prefer: return=representation', async () => {
    const row = await client.create(
      'msevtmgt_events',
      { msevtmgt_name: 'New draft', msevtmgt_sourcesystem: 100000002 },
      'creating the draft event',
    );
    expect(row).toMatchObject({ msevtmgt_name: 'New draft', msevtmgt_sourcesystem: 100000002 });
    expect(typeof row.msevtmgt_eventid).toBe('string');
    expect(org.dataverse.calls.at(-1)?.status).toBe(201);
  });

  it('never sends the token to another host named by a next link', async () => {
    const rows = org.dataverse.rows('msevtmgt_sessions');
    expect(rows.length).toBeGreaterThan(0);
    const evil = createDataverseClient({
      url: org.dataverse.url.replace('127.0.0.1', 'localhost'),
      credential: org.credential(),
      logger: log,
      pageSize: 1,
    });
    const err = (await evil.list('msevtmgt_sessions', 'reading sessions').catch((e: unknown) => e)) as DataverseError;
    await evil.close();
    expect(err.message).toMatch(/next-page link to another host/);
  });
});

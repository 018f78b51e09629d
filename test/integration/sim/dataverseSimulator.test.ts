import { request } from 'undici';
import { startDataverseSimulator, type SimDataverse } from '../../../src/sim/dataverse/server';
import { SEED } from '../../../src/sim/dataverse/seed';

/** The simulated Dataverse's own answers, as a plain HTTP client sees them. */

const TOKEN = 'test-token';
let dv: SimDataverse;

beforeAll(async () => {
  dv = await startDataverseSimulator({ tokens: [TOKEN] });
});
afterAll(async () => {
  await dv.close();
});
beforeEach(() => dv.reset());

async function call(
  path: string,
  init: { method?: string; body?: string; prefer?: string; token?: string | null } = {},
) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  if (init.prefer) headers.prefer = init.prefer;
  if (init.body) headers['content-type'] = 'application/json';
  const res = await request(`${dv.url}/api/data/v9.2/${path}`, {
    method: (init.method ?? 'GET') as 'GET',
    headers,
    body: init.body,
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    json: text.startsWith('{') ? JSON.parse(text) : undefined,
  };
}

const live = encodeURIComponent(`_msevtmgt_eventid_value eq ${SEED.outboundLive}`);

it('refuses a request without a token it issued, with the Dataverse error body', async () => {
  for (const token of [null, 'forged']) {
    const res = await call('WhoAmI', { token });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: expect.stringMatching(/^0x/), message: expect.any(String) } });
  }
});

it('adds @odata.count with $count=true, and answers <set>/$count in plain text', async () => {
  const page = await call(
    `msevtmgt_eventregistrations?$select=msevtmgt_eventregistrationid&$filter=${live}&$count=true`,
    {
      prefer: 'odata.maxpagesize=50',
    },
  );
  expect(page.json['@odata.count']).toBe(300);
  expect(page.json.value).toHaveLength(50);
  expect(page.json['@odata.nextLink']).toMatch(new RegExp(`^${dv.url}/api/data/v9.2/msevtmgt_eventregistrations\\?`));
  const plain = await call(`msevtmgt_eventregistrations/$count?$filter=${live}`);
  expect(plain).toMatchObject({ status: 200, text: '300' });
});

it('counts with $apply=aggregate, filtered or not', async () => {
  const all = await call(`msevtmgt_events?$apply=${encodeURIComponent('aggregate($count as n)')}`);
  // the six named events, and the roadshow's 18 stops (outbound and real-time) and two more outbound events
  expect(all.json.value).toEqual([{ n: 44 }]);
  const drafts = await call(
    `msevtmgt_events?$apply=${encodeURIComponent('filter(msevtmgt_publishstatus eq 100000000)/aggregate($count as n)')}`,
  );
  expect(drafts.json.value).toEqual([{ n: 23 }]);
});

it('counts per value with $apply=groupby, as the pickers ask', async () => {
  const ids = [SEED.outboundLive, SEED.outboundDraft, SEED.realTimeBlank];
  const filter = `(${ids.map((id) => `_msevtmgt_eventid_value eq ${id}`).join(' or ')}) and msevtmgt_iscanceled eq false`;
  const apply = `filter(${filter})/groupby((_msevtmgt_eventid_value),aggregate($count as n))`;
  const grouped = await call(`msevtmgt_eventregistrations?$apply=${encodeURIComponent(apply)}`);
  expect(grouped.status).toBe(200);
  expect(grouped.json.value).toEqual(
    expect.arrayContaining([
      { _msevtmgt_eventid_value: SEED.outboundLive, n: SEED.counts.liveRegistrations - SEED.counts.liveCancelled },
      { _msevtmgt_eventid_value: SEED.outboundDraft, n: SEED.counts.draftRegistrations },
    ]),
  );
  expect(grouped.json.value).toHaveLength(2);
});

it('sorts with $orderby, cuts with $top, and refuses $skip as Dataverse does', async () => {
  const q = (extra: string) =>
    call(
      `msevtmgt_events?$select=msevtmgt_name&$filter=${encodeURIComponent("contains(msevtmgt_name,'roadshow 2026')")}${extra}`,
    );
  const sorted = await q(`&$orderby=${encodeURIComponent('msevtmgt_eventstartdate desc,msevtmgt_name asc')}&$top=3`);
  expect(sorted.status).toBe(200);
  expect(sorted.json.value.map((r: { msevtmgt_name: string }) => r.msevtmgt_name)).toEqual([
    'Contoso Roadshow 2026 - Stop 99 (outbound, no registrations)',
    'Contoso Roadshow 2026 - Stop 18',
    'Contoso Roadshow 2026 - Stop 18 (outbound)',
  ]);
  expect((await q('&$skip=3')).status).toBe(400);
  expect((await q('&$orderby=nonsense%20sideways')).status).toBe(400);
  expect((await q('&$top=lots')).status).toBe(400);
});

it('creates with 204 and OData-EntityId by default, 201 and the row with return=representation', async () => {
  const body = JSON.stringify({ msevtmgt_name: 'Draft', msevtmgt_sourcesystem: 100000002 });
  const plain = await call('msevtmgt_events', { method: 'POST', body });
  expect(plain.status).toBe(204);
  expect(plain.headers['odata-entityid']).toMatch(/msevtmgt_events\([0-9a-f-]{36}\)$/);
  const full = await call('msevtmgt_events', { method: 'POST', body, prefer: 'return=representation' });
  expect(full.status).toBe(201);
  expect(full.json).toMatchObject({ msevtmgt_name: 'Draft', statecode: 0 });
});

it('reports the read depth it was told, and hides rows on demand', async () => {
  dv.setReadDepth('contact', 'Basic');
  const privileges = await call(`systemusers(${SEED.appUserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`);
  const contact = privileges.json.RolePrivileges.find(
    (p: { PrivilegeName: string }) => p.PrivilegeName === 'prvReadContact',
  );
  expect(contact.Depth).toBe('Basic');
  dv.hideRows('msevtmgt_events', `msevtmgt_eventid eq ${SEED.realTimeBlank}`);
  expect((await call(`msevtmgt_events(${SEED.realTimeBlank})`)).status).toBe(404);
});

it('answers 429 with Retry-After, then normally', async () => {
  dv.injectFault({ kind: '429', retryAfterSec: 7, times: 1 });
  const first = await call('WhoAmI');
  expect(first.status).toBe(429);
  expect(first.headers['retry-after']).toBe('7');
  expect((await call('WhoAmI')).json.UserId).toBe(SEED.appUserId);
});

it('creates a row at the id the client chose once, answers 412 with the duplicate-key code after, and counts creates', async () => {
  const id = 'abcdef01-2345-4678-9abc-def012345678';
  const body = JSON.stringify({ msevtmgt_eventid: id, msevtmgt_name: 'Made', msevtmgt_sourcesystem: 100000002 });
  const first = await call('msevtmgt_events', { method: 'POST', body, prefer: 'return=representation' });
  expect(first.status).toBe(201);
  expect(first.json).toMatchObject({ msevtmgt_eventid: id, msevtmgt_publishstatus: 100000000, statecode: 0 });
  const again = await call('msevtmgt_events', { method: 'POST', body });
  expect(again.status).toBe(412);
  expect(again.json.error.code).toBe('0x80040237');
  expect(dv.created('msevtmgt_events')).toBe(1);
  expect(dv.rows('msevtmgt_events').filter((r) => r.msevtmgt_eventid === id)).toHaveLength(1);
});

it("loses a create's answer on demand: the row is stored, the connection drops unanswered, reads find the row", async () => {
  const id = 'abcdef01-2345-4678-9abc-def012345679';
  const body = JSON.stringify({ msevtmgt_eventid: id, msevtmgt_name: 'Made', msevtmgt_sourcesystem: 100000002 });
  dv.loseCreateAnswers();
  await expect(call('msevtmgt_events', { method: 'POST', body, prefer: 'return=representation' })).rejects.toThrow();
  expect(dv.created('msevtmgt_events')).toBe(1);
  expect(dv.calls.filter((c) => c.method === 'POST').map((c) => c.status)).toEqual([0]);
  expect((await call(`msevtmgt_events(${id})`)).json).toMatchObject({ msevtmgt_eventid: id, msevtmgt_name: 'Made' });
  // once only: the next create is answered (here: the id is taken)
  expect((await call('msevtmgt_events', { method: 'POST', body })).status).toBe(412);
  expect(dv.created('msevtmgt_events')).toBe(1);
});

it('fails creates on demand, storing nothing, and reports Create and Write as it was told', async () => {
  dv.failCreates({ times: 1 });
  const body = JSON.stringify({ msevtmgt_name: 'Made' });
  expect((await call('msevtmgt_events', { method: 'POST', body })).status).toBe(500);
  expect(dv.created('msevtmgt_events')).toBe(0);
  expect((await call('msevtmgt_events', { method: 'POST', body })).status).toBe(204);
  expect(dv.created('msevtmgt_events')).toBe(1);

  const names = async () =>
    (
      await call(`systemusers(${SEED.appUserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`)
    ).json.RolePrivileges.map((p: { PrivilegeName: string }) => p.PrivilegeName) as string[];
  expect(await names()).toEqual(expect.arrayContaining(['prvCreatemsevtmgt_Event', 'prvWritemsevtmgt_Event']));
  expect(await names()).not.toContain('prvCreateContact');
  dv.setPrivilege('msevtmgt_event', 'Write', 'None');
  expect(await names()).not.toContain('prvWritemsevtmgt_Event');
});

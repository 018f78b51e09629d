import { simCredential } from '../../../src/sim/dataverse/simCredential';
import { SEED } from '../../../src/sim/dataverse/seed';
import { SIM_APP, startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';
import { startHarness, type Harness } from '../../helpers/botHarness';
import { untilState, requestAndApprove } from '../../helpers/flow';

/** `check` as an admin types it: one status call to the simulator, answered in words, never the token. */

const TOKEN = 'dev-token';
const lastText = (h: Harness) => h.connector.texts().at(-1) ?? '';

async function check(h: Harness): Promise<string> {
  h.connector.clear();
  const before = h.sim.statusCalls().length;
  expect(await h.say('check')).toBe(200);
  const text = lastText(h);
  expect(text).not.toContain(TOKEN);
  return `${text}\n(status calls: ${h.sim.statusCalls().length - before})`;
}

describe('check against the Events API simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { speed: 20, registrations: 10_000 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('no job: the endpoint answers, the token is accepted, the tool is offered; one status call', async () => {
    const text = await check(h);
    expect(text).toMatch(/ready to migrate/);
    expect(text).toMatch(/endpoint answers[\s\S]*token is accepted[\s\S]*offers the migration tool/);
    expect(text).toContain('No migration job is on the service right now.');
    expect(text).toContain('(status calls: 1)');
  });

  it("answered with a job: its state, ids and counts, with the service's answer shortened", async () => {
    const r = await requestAndApprove(h);
    await untilState(h, r.jobId, ['running']);
    const text = await check(h);
    expect(text).toMatch(/current job is (queued|running)/);
    expect(text).toMatch(/The service said: "\{.*"/);
    // (the count of status calls is not asserted here: the tracker reads the running job meanwhile)
  });

  it('a wrong token: refused, naming EVENTS_API_TOKEN, never the token', async () => {
    await h.restart({ EVENTS_API_TOKEN: 'wrong-token-123' });
    const text = await check(h);
    expect(text).toMatch(/not ready to migrate/);
    expect(text).toMatch(/token was refused \(401\)\. Fix EVENTS_API_TOKEN/);
    expect(text).not.toContain('wrong-token-123');
    expect(h.logs()).not.toContain('wrong-token-123');
  });

  it('an endpoint without the migration: a 404 that is not "no job"', async () => {
    await h.restart({ EVENTS_API_ENDPOINT: `${h.sim.url}elsewhere/` });
    const text = await check(h);
    expect(text).toMatch(/does not offer the migration tool \(404, and not "no job"\)/);
    expect(text).toContain('Resource not found.');
  });

  it('unreachable: a port nobody listens on, said in words at once', async () => {
    await h.restart({ EVENTS_API_ENDPOINT: 'http://127.0.0.1:9/api/v1.0/orgs/x/eventmanagement/' });
    const began = Date.now();
    const text = await check(h);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(text).toMatch(/endpoint cannot be reached \(connection refused\)\. Check EVENTS_API_ENDPOINT/);
  });
});

describe('check with Dataverse, against the simulated organisation', () => {
  let org: SimOrganisation;
  let h: Harness | undefined;
  beforeAll(async () => {
    org = await startOrganisation();
  });
  afterAll(async () => {
    await org.close();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    org.dataverse.reset();
  });

  const start = (secret = SIM_APP.clientSecret) =>
    startHarness({
      env: org.env(),
      overrides: {
        dataverseCredential: simCredential(org.tokens.authorityHost, SIM_APP.tenantId, SIM_APP.clientId, secret),
      },
    });

  it('signed in: the app user and every table readable, no secret', async () => {
    h = await start();
    const text = await check(h);
    expect(text).toContain(`application user \`${SEED.appUserId}\``);
    expect(text).toMatch(/Every table the checks read is readable organisation-wide/);
    expect(text).not.toContain(SIM_APP.clientSecret);
  });

  it('sign-in refused: the error in words, naming the settings, never the secret', async () => {
    h = await start('wrong-secret-value-12345');
    const text = await check(h);
    expect(text).toMatch(/could not sign in to Dataverse: .*AADSTS7000215/);
    expect(text).toContain('AZURE_CLIENT_SECRET');
    expect(text).not.toContain('wrong-secret-value-12345');
    // the Events API half is still answered, and Dataverse alone does not make the bot unready
    expect(text).toMatch(/ready to migrate/);
  });

  it('a privilege missing: named, the others readable', async () => {
    org.dataverse.setReadDepth('msdynmkt_journey', 'Local');
    h = await start();
    const text = await check(h);
    expect(text).toMatch(/Missing privileges .*: `msdynmkt_journey`/);
    expect(text).toMatch(/Readable organisation-wide: `msevtmgt_event`/);
  });
});

import type { TokenCredential } from '@azure/identity';
import { SEED } from '../../../src/sim/dataverse/seed';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';
import { ALL_TICKED, BEN, cardText, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { lastCardContent, request, untilState } from '../../helpers/flow';

/**
 * Two environments, each a whole organisation of its own (Events API and Dataverse): the pre-flight evidence, the
 * re-check at Approve and the comparison at the end are read from the job's own environment's Dataverse only.
 * `test` uses the unprefixed variables; `prod` its PROD_* ones. The two Dataverses differ on purpose: in `test`
 * every check passes, in `prod` the seed's live journey fails one.
 */

let test: SimOrganisation;
let prod: SimOrganisation;
let h: Harness;

/** One app registration signs in to both; each simulated Dataverse accepts only its own token server's tokens. */
function byResource(): TokenCredential {
  const own = (scopes: string | string[]) => {
    const scope = [scopes].flat().join(' ');
    return scope.includes(new URL(prod.dataverse.url).host) ? prod : test;
  };
  return { getToken: (scopes, options) => own(scopes).credential().getToken(scopes, options) };
}

beforeAll(async () => {
  test = await startOrganisation({ events: { speed: 1000 } });
  prod = await startOrganisation({ events: { speed: 1000 } });
  for (const j of test.dataverse.rows('msdynmkt_journeys')) j.statecode = 2;
  h = await startHarness({
    organisation: test,
    env: {
      ENVIRONMENTS: 'prod,test',
      PROD_EVENTS_API_ENDPOINT: prod.events.url,
      PROD_DATAVERSE_URL: prod.dataverse.url,
      PROD_PRODUCTION: 'true',
      APPROVER_IDS: '',
    },
    overrides: { dataverseCredential: byResource() },
  });
});
afterAll(async () => {
  await h.close();
  await Promise.all([test.close(), prod.close()]);
});

async function evidenceOf(cardId: string): Promise<string> {
  return eventually(() => {
    const text = cardText(lastCardContent(h, cardId) ?? {});
    return text.includes('Checked in Dataverse') ? text : undefined;
  }, 'the card filled in with the evidence');
}

it("reads each job's pre-flight evidence from its own environment's Dataverse, and only from it", async () => {
  const before = { test: test.dataverse.calls.length, prod: prod.dataverse.calls.length };
  const inProd = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank, in: 'prod' });
  const prodText = await evidenceOf(inProd.cardId);
  expect(prodText).toMatch(/the live journey ".*" reacts to "Marketing event registration created"/);
  expect(prod.dataverse.calls.length).toBeGreaterThan(before.prod);
  expect(test.dataverse.calls.length).toBe(before.test);

  const mid = { test: test.dataverse.calls.length, prod: prod.dataverse.calls.length };
  const inTest = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank, in: 'test' });
  const testText = await evidenceOf(inTest.cardId);
  expect(testText).toContain('passed. no live trigger-based journey reacts');
  expect(test.dataverse.calls.length).toBeGreaterThan(mid.test);
  expect(prod.dataverse.calls.length).toBe(mid.prod);
});

it("re-checks at Approve and compares at the end in the job's own Dataverse: prod's failed check refuses there, test's run is compared in test", async () => {
  const inProd = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank, in: 'prod' });
  await evidenceOf(inProd.cardId);
  const refused = await h.click(
    'approve',
    { jobId: inProd.jobId, ...ALL_TICKED },
    { from: BEN, replyToId: inProd.cardId },
  );
  expect(refused.status).toBe(200);
  expect(cardText(refused.body.value)).toContain(
    'A check in Dataverse failed (no live journey reacts to new registrations)',
  );
  expect((await h.app.store.getJob(inProd.jobId))?.state).toBe('pending_approval');
  expect(prod.events.startCalls()).toHaveLength(0);

  const inTest = await request(h, { from: SEED.outboundLive, to: SEED.realTimeBlank, in: 'test' });
  await evidenceOf(inTest.cardId);
  const prodCallsBefore = prod.dataverse.calls.length;
  const ok = await h.click('approve', { jobId: inTest.jobId, ...ALL_TICKED }, { from: BEN, replyToId: inTest.cardId });
  expect(ok.status).toBe(200);
  await untilState(h, inTest.jobId, ['completed'], 20_000);
  await eventually(
    () => cardText(lastCardContent(h, inTest.cardId) ?? {}).includes('Compared in Dataverse'),
    'the comparison',
  );
  expect(test.events.startCalls()).toHaveLength(1);
  expect(prod.events.startCalls()).toHaveLength(0);
  expect(prod.dataverse.calls.length).toBe(prodCallsBefore);
});

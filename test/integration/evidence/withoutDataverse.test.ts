import { cardText, contentOf, startHarness, type Harness } from '../../helpers/botHarness';
import { request, textMessages } from '../../helpers/flow';

/** Without DATAVERSE_URL the cards say nothing of Dataverse, and `missing` says why it cannot answer. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it('draws the confirmation card as before: no evidence, no override, no counts', async () => {
  const r = await request(h);
  await h.app.afterTurn.drain();
  const card = contentOf(h.connector.cards().find((c) => c.id === r.cardId)!);
  const text = cardText(card);
  expect(text).not.toMatch(/Dataverse/);
  expect(JSON.stringify(card)).not.toContain('overrideFailedChecks');
  expect(h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === r.cardId)).toHaveLength(0);
  expect((await h.app.store.getJob(r.jobId))?.preflight).toBeUndefined();
});

it('answers `missing` with why it cannot compare', async () => {
  const before = textMessages(h).length;
  await h.say('missing');
  expect(textMessages(h).slice(before)[0].activity.text).toContain('Dataverse is not configured');
});

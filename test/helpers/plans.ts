import { contentOf, type Harness } from './botHarness';
import { textMessages } from './flow';

/** The plan tests' pairs, their lines, and the plan card a message answers with. */

export const pairIds = (n: number) => ({
  from: `${String(n).repeat(8)}-1111-4111-8111-111111111111`,
  to: `${String(n).repeat(8)}-2222-4222-8222-222222222222`,
});
export const pairLine = (n: number) => `${pairIds(n).from} ${pairIds(n).to}`;

export const newCards = (h: Harness) => h.connector.cards().filter((c) => c.kind !== 'update');
export const planSummaries = (h: Harness) =>
  textMessages(h).filter((s) => /Plan finished/.test(String(s.activity.text)));

/** Says the plan; the one new card it answered with, its job ids in order. */
export async function sayPlan(h: Harness, text: string, activityId?: string) {
  const before = newCards(h).length;
  expect(await h.say(text, activityId ? { activityId } : {})).toBe(200);
  const cards = newCards(h).slice(before);
  expect(cards).toHaveLength(1);
  const card = contentOf(cards[0]) as { actions?: Array<{ data?: { planId?: string; jobId?: string } }> };
  const planId = card.actions?.[0]?.data?.planId ?? '';
  const plan = await h.app.store.getPlan(planId);
  if (!plan) throw new Error('the plan card names no stored plan');
  return { cardId: cards[0].id, card, plan, jobIds: plan.pairs.map((p) => p.jobId) };
}

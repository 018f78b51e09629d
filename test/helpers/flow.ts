import type { Job, JobState } from '../../src/migration/types';
import type { SentActivity } from './fakeConnector';
import {
  ALL_TICKED,
  BEN,
  contentOf,
  eventually,
  FROM_EVENT,
  jobIdIn,
  TO_EVENT,
  type Harness,
  type TeamsUser,
} from './botHarness';

/** The steps most bot tests begin with, said once: ask in the channel, approve on the card. */

export interface Requested {
  jobId: string;
  /** the Teams activity id of the job's card */
  cardId: string;
}

export async function request(
  h: Harness,
  ids: { from?: string; to?: string; by?: TeamsUser; in?: string } = {},
): Promise<Requested> {
  const newCards = () => h.connector.cards().filter((c) => c.kind !== 'update');
  const before = newCards().length;
  const where = ids.in ? ` in ${ids.in}` : '';
  expect(await h.say(`migrate ${ids.from ?? FROM_EVENT} ${ids.to ?? TO_EVENT}${where}`, { from: ids.by })).toBe(200);
  const card = newCards()[before];
  if (!card) throw new Error('no card answered the migrate command');
  const jobId = jobIdIn(contentOf(card));
  if (!jobId) throw new Error('the confirmation card names no job');
  return { jobId, cardId: card.id };
}

export async function approve(
  h: Harness,
  r: Requested,
  options: { by?: TeamsUser; inputs?: Record<string, unknown> } = {},
): Promise<void> {
  const answer = await h.click(
    'approve',
    { jobId: r.jobId, ...ALL_TICKED, ...options.inputs },
    { from: options.by ?? BEN, replyToId: r.cardId },
  );
  expect(answer.status).toBe(200);
  expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
}

export async function requestAndApprove(h: Harness, ids: { from?: string; to?: string } = {}): Promise<Requested> {
  const r = await request(h, ids);
  await approve(h, r);
  return r;
}

export async function job(h: Harness, jobId: string): Promise<Job> {
  const found = await h.app.store.getJob(jobId);
  if (!found) throw new Error(`job ${jobId} is not in the store`);
  return found;
}

export async function untilState(h: Harness, jobId: string, states: readonly JobState[], ms = 15_000): Promise<Job> {
  return eventually(
    async () => {
      const j = await h.app.store.getJob(jobId);
      return j && states.includes(j.state) ? j : undefined;
    },
    `job in ${states.join(' or ')}`,
    ms,
  );
}

/** Waits until the store owes the channel nothing more for the job. */
export async function untilDelivered(h: Harness, jobId: string): Promise<Job> {
  return eventually(async () => {
    await h.app.dispatcher.idle();
    const j = await h.app.store.getJob(jobId);
    return j && j.outbox.length === 0 && !j.cardDirty ? j : undefined;
  }, 'every notice delivered');
}

/** The card updates (PUT) of one card message, oldest first. */
export function updatesOf(h: Harness, cardId: string): SentActivity[] {
  return h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === cardId);
}

export function lastCardContent(h: Harness, cardId: string): unknown {
  const last = updatesOf(h, cardId).at(-1);
  return last && contentOf(last);
}

/** Messages with text (notices and answers), not cards. */
export function textMessages(h: Harness): SentActivity[] {
  return h.connector.sent.filter(
    (s) => s.kind !== 'update' && typeof s.activity.text === 'string' && !s.activity.attachments?.length,
  );
}

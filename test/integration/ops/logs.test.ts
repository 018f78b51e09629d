import { randomUUID } from 'node:crypto';
import { environmentKey } from '../../../src/events-api';
import { startHarness, THREAD, type Harness } from '../../helpers/botHarness';
import { request, requestAndApprove, untilDelivered, untilState } from '../../helpers/flow';

/** Logs an operator can follow: a job's lines name the job and the environment, a turn's lines its activity. */

interface Line {
  msg: string;
  jobId?: string;
  environment?: string;
  activityId?: string;
  conversationId?: string;
  [k: string]: unknown;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sim: { registrations: 300, speed: 1000 } });
});
afterAll(async () => {
  await h.close();
});

const lines = (): Line[] =>
  h
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

it("every line of a job carries its id and environment, down to the Events API client's own lines", async () => {
  const environment = environmentKey(h.sim.url);
  const r = await requestAndApprove(h);
  await untilState(h, r.jobId, ['completed']);
  await untilDelivered(h, r.jobId);
  const all = lines();
  expect(all.every((l) => l.environment === environment)).toBe(true);

  const clientLines = all.filter((l) => /^Events API (start|status)/.test(l.msg));
  expect(clientLines.some((l) => l.msg.startsWith('Events API start'))).toBe(true);
  expect(clientLines.filter((l) => l.msg.startsWith('Events API status')).length).toBeGreaterThan(1);
  expect(clientLines.filter((l) => l.jobId !== r.jobId)).toEqual([]);
  const statusReads = all.filter((l) => l.msg === 'status read');
  expect(statusReads.length).toBeGreaterThan(0);
  expect(statusReads.every((l) => l.jobId === r.jobId)).toBe(true);
});

it("a turn's lines carry the activity id and the conversation", async () => {
  const before = lines().length;
  await h.say('status');
  const turn = lines().slice(before);
  const command = turn.find((l) => l.msg === 'command');
  expect(command).toMatchObject({ conversationId: THREAD, activityId: expect.stringMatching(/^act-in-/) });
  expect(turn.filter((l) => l.activityId !== command!.activityId)).toEqual([]);
});

it('a job started by the reconciliation after a restart logs under its id, down to the start call', async () => {
  // another pair: the first test's source is migrated already
  const r = await request(h, { from: randomUUID(), to: randomUUID() });
  // as a crash right after the approval leaves it: approved, never sent
  const moved = await h.app.store.transition(
    r.jobId,
    ['pending_approval'],
    'approved',
    {},
    {
      at: new Date().toISOString(),
      note: 'approved before a crash',
    },
  );
  expect(moved.ok).toBe(true);
  const before = lines().length;
  await h.restart();
  await h.app.resumed;
  await untilState(h, r.jobId, ['running', 'completed']);
  const starts = lines()
    .slice(before)
    .filter((l) => l.msg.startsWith('Events API start'));
  expect(starts.length).toBeGreaterThan(0);
  expect(starts.filter((l) => l.jobId !== r.jobId)).toEqual([]);
  await untilState(h, r.jobId, ['completed']);
});

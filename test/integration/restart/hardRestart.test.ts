import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../../src/sim/simulator';
import { openStore } from '../../../src/store/openStore';
import { ADA, ALL_TICKED, cardText, eventually, FROM_EVENT, TO_EVENT } from '../../helpers/botHarness';
import { startFakeConnector, type FakeConnector } from '../../helpers/fakeConnector';
import { click, killAll, say, startBotProcess, type BotProcess } from './botProcess';

/**
 * The bot process killed with SIGKILL and started again on the same SQLite file. The simulator and the fake
 * connector live in this test process, so the migration and the channel go on while the bot is down.
 */

// Each test starts the bot process two or three times (about 2 s each, more on a busy machine).
jest.setTimeout(90_000);

describe('the bot killed and started again', () => {
  let dir: string;
  let sim: Simulator;
  let connector: FakeConnector;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-restart-'));
    connector = await startFakeConnector();
    sim = await startSimulator({ registrations: 200, speed: 40 });
    env = { EVENTS_API_ENDPOINT: sim.url, DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}` };
  });
  afterEach(async () => {
    await killAll();
    await sim.close();
    await connector.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const alerts = () => connector.texts().filter((t) => /is complete/.test(t));
  const reviewCards = (cardId: string) =>
    connector.sent.filter(
      (s) =>
        s.kind === 'update' &&
        s.activityId === cardId &&
        /publish/i.test(cardText(s.activity.attachments?.[0]?.content)),
    );

  async function requestAndApprove(bot: BotProcess): Promise<{ cardId: string; jobId: string }> {
    expect((await say(bot, connector.url, `migrate ${FROM_EVENT} ${TO_EVENT}`, ADA)).status).toBe(200);
    const card = connector.cards()[0];
    const jobId = /"jobId":"([^"]+)"/.exec(JSON.stringify(card.activity.attachments![0].content))![1];
    const answer = await click(bot, connector.url, 'approve', { jobId, ...ALL_TICKED }, card.id);
    expect(answer.status).toBe(200);
    expect(cardText(answer.body.value)).toMatch(/Approved|Starting|Running/);
    return { cardId: card.id, jobId };
  }

  async function auditNotes(jobId: string): Promise<string[]> {
    const store = await openStore(env.DATABASE_URL);
    try {
      return (await store.auditTrail(jobId)).map((e) => `${e.to}: ${e.note ?? ''}`);
    } finally {
      await store.close();
    }
  }

  /** Waits for the end, then a little longer to see that nothing is sent twice. */
  async function untilEndSettled(cardId: string): Promise<void> {
    await eventually(
      () => alerts().length > 0 && reviewCards(cardId).length > 0,
      'the completion alert and the review card',
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
  }

  it('mid-run: tracking resumes, the review card and the alert arrive exactly once, also after a further restart', async () => {
    const first = await startBotProcess(env);
    await first.resumed;
    const { cardId } = await requestAndApprove(first);
    await eventually(() => (sim.currentJob()?.percent ?? 0) >= 20, 'the job a fifth done', 10_000);
    await eventually(
      () =>
        connector.sent.some(
          (s) => s.kind === 'update' && /Running/.test(cardText(s.activity.attachments?.[0]?.content)),
        ),
      'a progress card',
    );
    // Held still while the bot is down, so that it is surely mid-run however slow the machine is.
    sim.setSpeed(0);
    await first.kill();
    const readsWhileUp = sim.statusCalls().length;
    const updatesWhileUp = connector.sent.filter((s) => s.kind === 'update').length;
    expect(sim.currentJob()?.state).toBe('running');

    const second = await startBotProcess(env);
    await second.resumed;
    sim.setSpeed(40);
    await untilEndSettled(cardId);
    // it went on reading and showing progress, not only the end
    const progressAfter = connector.sent
      .filter((s) => s.kind === 'update')
      .slice(updatesWhileUp)
      .filter((s) => /Running/.test(cardText(s.activity.attachments?.[0]?.content)));
    expect(progressAfter.length).toBeGreaterThan(0);
    expect(sim.statusCalls().length).toBeGreaterThan(readsWhileUp);
    expect(sim.startCalls()).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    expect(reviewCards(cardId).length).toBeGreaterThanOrEqual(1);
    // the card was never posted again: every later message about it was an update of the first
    expect(connector.cards().filter((c) => c.kind !== 'update')).toHaveLength(1);

    // Once more, after the end: nothing is posted again and the service is not asked to start anything.
    await second.kill();
    const sentBefore = connector.sent.length;
    const third = await startBotProcess(env);
    await third.resumed;
    await new Promise((r) => setTimeout(r, 500));
    expect(connector.sent.length).toBe(sentBefore);
    expect(alerts()).toHaveLength(1);
    expect(sim.startCalls()).toHaveLength(1);
    await third.kill();
  });

  it('before the start call went out: after the restart the job is started once and followed to the end', async () => {
    sim.setSpeed(200);
    const first = await startBotProcess(env);
    await first.resumed;
    // The card update that precedes the start call meets a 503, which botbuilder retries after a second or so:
    // the window in which the job is approved but not yet started.
    connector.inject({ status: 503, times: 1, on: 'PUT' });
    const { cardId, jobId } = await requestAndApprove(first);
    await first.kill();
    expect(sim.startCalls()).toHaveLength(0);
    expect(await auditNotes(jobId)).toEqual(['pending_approval: requested', 'approved: approved']);

    const second = await startBotProcess(env);
    await second.resumed;
    await untilEndSettled(cardId);
    expect(sim.startCalls()).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    await second.kill();
    expect((await auditNotes(jobId)).filter((n) => n.startsWith('starting'))).toHaveLength(1);
  });

  it('while the start call was in flight: the restart finds the job on the service and never calls start again', async () => {
    sim.setSpeed(200);
    sim.injectFault({ kind: 'slow', ms: 1000, on: 'start', times: 1 });
    const first = await startBotProcess(env);
    await first.resumed;
    const { cardId, jobId } = await requestAndApprove(first);
    await eventually(() => sim.startCalls().length === 1, 'the start call to reach the service');
    await first.kill();
    // The service acts on the call although its caller is gone.
    await eventually(() => sim.currentJob() !== undefined, 'the service to start the job');

    const second = await startBotProcess(env);
    await second.resumed;
    await untilEndSettled(cardId);
    expect(sim.startCalls()).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
    await second.kill();
    const notes = await auditNotes(jobId);
    expect(notes).toContain('running: restart: the status shows this job on the service');
    expect(notes.filter((n) => n.startsWith('starting'))).toHaveLength(1);
    expect(notes[notes.length - 1]).toMatch(/^completed/);
  });
});

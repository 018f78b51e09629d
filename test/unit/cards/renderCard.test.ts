import { MAX_CARD_BYTES, cardBytes, renderCard } from '../../../src/cards/renderCard';
import { CHECKLIST, REPLACE_TOGGLE_ID } from '../../../src/migration/checklist';
import { jobCard, type JobCardContext } from '../../../src/cards/views/jobCard';
import type { Job } from '../../../src/migration/types';
import { NOW, endedJob, makeJob, runningJob } from '../../helpers/jobs';

type Node = Record<string, unknown>;

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node);
    Object.values(node).forEach((child) => walk(child, visit));
  }
}

function elements(card: unknown, type: string): Node[] {
  const found: Node[] = [];
  walk(card, (n) => {
    if (n.type === type) found.push(n);
  });
  return found;
}

function render(job: Job, ctx: Partial<JobCardContext> = {}) {
  const { template, data } = jobCard(job, { now: NOW, ...ctx });
  return renderCard(template, data);
}

const jobsInEveryState: Job[] = [
  makeJob(),
  runningJob({ state: 'approved' }),
  runningJob({ state: 'starting' }),
  runningJob(),
  runningJob({ progress: { serviceState: 'unknown', rawSummary: '{"x":1}' } }),
  endedJob('completed'),
  endedJob('completed_with_errors', { progress: { errors: ['bad row'], processed: 10, total: 11, failed: 1 } }),
  endedJob('failed', { lastError: 'The service reported "Failed".' }),
  makeJob({ state: 'start_failed', lastError: 'The token was refused.' }),
  makeJob({ state: 'cancelled' }),
  makeJob({ state: 'expired' }),
  endedJob('superseded', { lastError: 'Replaced.' }),
  endedJob('stopped'),
];

describe('renderCard', () => {
  it.each(jobsInEveryState.map((job) => [job.state, job] as const))(
    '%s: a complete Adaptive Card 1.5 with nothing left unbound',
    (_state, job) => {
      const card = render(job);
      const json = JSON.stringify(card);
      expect(JSON.parse(json)).toEqual(card);
      expect(card.type).toBe('AdaptiveCard');
      expect(card.version).toBe('1.5');
      expect(card.$schema).toMatch(/adaptivecards\.io/);
      expect(json).not.toContain('${');
      expect(json).toContain(job.fromEventId);
      expect(json).toContain(job.toEventId);
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      // FactSets that would render empty are noise (and some clients refuse them)
      for (const factSet of elements(card, 'FactSet')) expect((factSet.facts as unknown[]).length).toBeGreaterThan(0);
    },
  );

  it('confirmation: toggles for the checklist and the replace option, Approve and Cancel with the job id', () => {
    const inputs = { [CHECKLIST[0].id]: 'true', [REPLACE_TOGGLE_ID]: 'true' };
    const card = render(makeJob(), { inputs });
    const toggles = elements(card, 'Input.Toggle');
    expect(toggles.map((t) => t.id)).toEqual([...CHECKLIST.map((c) => c.id), REPLACE_TOGGLE_ID]);
    for (const t of toggles) expect([t.valueOn, t.valueOff]).toEqual(['true', 'false']);
    expect(toggles.map((t) => t.value)).toEqual(['true', 'false', 'false', 'false', 'true']);
    const actions = elements(card, 'Action.Execute');
    expect(actions.map((a) => [a.verb, a.data])).toEqual([
      ['approve', { jobId: makeJob().id }],
      ['cancel', { jobId: makeJob().id }],
    ]);
  });

  it('blocked confirmation: no buttons (nothing was stored to act on) and no toggles, the blocking job shown', () => {
    const other = runningJob({ id: 'job-other' });
    const card = render(makeJob(), { blockedBy: { kind: 'active', job: other } });
    expect(elements(card, 'Action.Execute')).toHaveLength(0);
    expect(elements(card, 'Input.Toggle')).toHaveLength(0);
    expect(JSON.stringify(card)).toContain('job-other');
  });

  it('refusal: a visible message naming the missing items', () => {
    const card = render(makeJob(), { refusal: { message: 'Tick every item.', missing: [CHECKLIST[2].id] } });
    const texts = elements(card, 'TextBlock').map((t) => String(t.text));
    expect(texts.some((t) => t.includes('Tick every item.') && t.includes(CHECKLIST[2].title))).toBe(true);
  });

  it('a click on a card that has moved on says so at the top of the card', () => {
    const card = render(endedJob('failed'), { refusal: { message: 'This migration failed; nothing was changed.' } });
    expect(elements(card, 'TextBlock').map((t) => String(t.text))).toContain(
      'This migration failed; nothing was changed.',
    );
    expect(JSON.stringify(render(endedJob('failed')))).not.toContain('nothing was changed');
  });

  it('failure: a Retry button with the job id', () => {
    const job = endedJob('failed');
    const actions = elements(render(job), 'Action.Execute');
    expect(actions.map((a) => [a.verb, a.data])).toEqual([['retry', { jobId: job.id }]]);
  });

  it('no button on review or closed cards; the running card offers only Stop following', () => {
    for (const job of [
      endedJob('completed'),
      makeJob({ state: 'cancelled' }),
      endedJob('lost'),
      endedJob('abandoned'),
    ]) {
      expect(elements(render(job), 'Action.Execute')).toHaveLength(0);
    }
    const running = elements(render(runningJob()), 'Action.Execute') as Array<{ title: string; verb: string }>;
    expect(running.map((a) => [a.title, a.verb])).toEqual([['Stop following', 'forget']]);
    expect(elements(render(runningJob({ state: 'starting' })), 'Action.Execute')).toHaveLength(0);
  });

  it('the confirmation to stop following offers it only to one who may, and always says the service is not told', () => {
    const ben = { id: '29:bob', name: 'Bob Brown', aadObjectId: 'aad-bob' };
    const cat = { id: '29:cat', name: 'Cat', aadObjectId: 'aad-cat' };
    const rules = { approverIds: ['aad-bob'], requireSecondApprover: false };
    const verbs = (viewer: typeof ben) =>
      (elements(render(runningJob(), { confirmForget: true, rules, viewer }), 'Action.Execute') as Node[]).map(
        (a) => a.verb,
      );
    expect(verbs(ben)).toEqual(['confirm_forget', 'refresh']);
    expect(verbs(cat)).toEqual(['refresh']);
    const text = JSON.stringify(render(runningJob(), { confirmForget: true }));
    expect(text).toContain('The service is not told: the migration may still be running there');
    expect(text).not.toContain('${');
    // an ended job is drawn as it is, never as a question
    expect(JSON.stringify(render(endedJob('completed'), { confirmForget: true }))).not.toContain('confirm_forget');
  });

  it('stays under 28 KB with 1,000 long errors, and says how many it shows', () => {
    const errors = Array.from({ length: 1000 }, (_, i) => `Registration ${i}: ${'x'.repeat(2000)}`);
    const card = render(
      endedJob('completed_with_errors', { progress: { errors, processed: 3000, total: 4000, failed: 1000 } }),
    );
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(JSON.stringify(card)).toMatch(/Showing \d+ of 1,000 errors/);
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it('trims the error list itself when the data would overflow the card', () => {
    const { template, data } = jobCard(endedJob('failed'), { now: NOW });
    const errors = Array.from({ length: 200 }, (_, i) => ({ text: `E${i} ${'y'.repeat(290)}` }));
    const card = renderCard(template, { ...data, errors, errorsTotal: 200, showErrors: true });
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    const shown = elements(card, 'TextBlock').filter((t) => /^E\d+ /.test(String(t.text))).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(200);
    expect(JSON.stringify(card)).toContain(`Showing ${shown} of 200 errors`);
  });
});

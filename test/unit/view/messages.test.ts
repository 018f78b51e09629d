import { COMMANDS } from '../../../src/migration/commandCatalog';
import * as messages from '../../../src/words/catalogue';
import type { Notice } from '../../../src/migration/types';
import { ALICE, BOB, FROM, NOW, TO, endedJob, makeJob, runningJob } from '../../helpers/jobs';

describe('help', () => {
  it('lists every command with its usage and example', () => {
    const text = messages.help();
    for (const c of COMMANDS) {
      expect(text).toContain(c.usage);
      expect(text).toContain(c.example);
    }
  });

  it('tells of the forms of migrate beyond two ids: pickers, names, a draft made by the bot, a plan of pairs', () => {
    const text = messages.help();
    expect(text).toContain('`migrate` alone offers both events to pick from lists');
    expect(text).toContain('`migrate <outbound-event-id> new`');
    expect(text).toContain('then one pair per line');
  });

  it('names the word it did not understand', () => {
    expect(messages.help('migrat')).toMatch(/do not know `migrat`/);
  });

  it('keeps every command description within the manifest limit', () => {
    for (const c of COMMANDS) expect(c.description.length).toBeLessThanOrEqual(128);
  });
});

describe('status', () => {
  it('says when there is no migration yet', () => {
    expect(messages.status(undefined, NOW)).toBe('No migration yet in this environment.');
  });

  it('gives state, counts, percent, time left, people and times in UTC', () => {
    const text = messages.status(runningJob(), NOW);
    for (const expected of [
      'Running',
      '1,000 of 4,000 (25 % done)',
      '2 failed',
      'about 6 h',
      ALICE.name,
      BOB.name,
      '2026-11-30 10:20 UTC',
      FROM,
      TO,
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('says until when a request waits for approval', () => {
    expect(messages.status(makeJob(), NOW)).toContain('Waiting for approval until 2026-12-01 10:12 UTC');
  });
});

describe('history', () => {
  it('lists at most 10 jobs, newest first, with shortened ids', () => {
    const jobs = Array.from({ length: 12 }, (_, i) =>
      endedJob('completed', { id: `job-${i}`, requestedAt: new Date(Date.UTC(2026, 10, 1 + i, 9)).toISOString() }),
    );
    const text = messages.history(jobs);
    const rows = text.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toContain('2026-11-12 09:00 UTC');
    expect(rows[9]).toContain('2026-11-03 09:00 UTC');
    expect(rows[0]).toContain(`${FROM.slice(0, 8)}…`);
    expect(rows[0]).not.toContain(FROM);
    expect(rows[0]).toContain(BOB.name);
  });

  it('says when there is nothing yet', () => {
    expect(messages.history([])).toBe('No migration yet in this environment.');
  });
});

describe('alerts', () => {
  it('completedAlert mentions the requester and the approver', () => {
    const { text, mentions } = messages.completedAlert(endedJob('completed'));
    expect(mentions).toEqual([ALICE, BOB]);
    expect(text).toContain(`<at>${ALICE.name}</at>`);
    expect(text).toContain(`<at>${BOB.name}</at>`);
    expect(text).toContain('3,990 of 4,000');
  });

  it('mentions one person once when they asked and approved', () => {
    const { text, mentions } = messages.completedAlert(endedJob('completed', { approvedBy: ALICE }));
    expect(mentions).toEqual([ALICE]);
    expect(text.match(/<at>/g)).toHaveLength(1);
  });

  it.each(['failed', 'completed_with_errors', 'superseded', 'stopped'] as const)(
    'endedAlert says plainly how %s ended',
    (state) => {
      const { text, mentions } = messages.endedAlert(endedJob(state, { lastError: 'The service reported "X".' }));
      expect(mentions).toHaveLength(2);
      expect(text).toContain('The service reported "X".');
      expect(text).toMatch(/failed|errors|replaced|stopped/);
    },
  );

  it('startResult says started, or why not', () => {
    expect(messages.startResult(runningJob())).toMatch(/started/);
    const failed = makeJob({ state: 'start_failed', lastError: 'The token was refused (401).' });
    expect(messages.startResult(failed)).toMatch(/Could not start.*token was refused/);
  });

  it('blockedText names the running job and its requester', () => {
    const text = messages.blockedText({ kind: 'active', job: runningJob({ requestedBy: BOB }) }, NOW);
    expect(text).toContain(BOB.name);
    expect(text).toContain('Running');
    expect(text).toContain(FROM);
  });

  it('blockedText says how long the job in the way has run, when the service last reported it, and the way out', () => {
    const job = runningJob({ progress: { lastReportedAt: '2026-11-30T11:40:00.000Z' } });
    const text = messages.blockedText({ kind: 'active', job }, NOW);
    expect(text).toContain(job.id);
    expect(text).toMatch(/running for about 1 h 39 min \(since 2026-11-30 10:21 UTC\)/);
    expect(text).toMatch(/the service last reported it 2026-11-30 11:40 UTC/);
    expect(text).toContain(`an approver can stop following it: \`forget ${job.id}\``);
    const never = messages.blockedText({ kind: 'active', job: runningJob() }, NOW);
    expect(never).toMatch(/the service has not reported it since the bot started following it/);
  });

  it('milestone, stall, lost and back in contact carry the numbers', () => {
    expect(messages.milestone(runningJob(), 25)).toMatch(/^25 % done: 1,000 of 4,000/);
    expect(messages.stall(runningJob(), 30)).toMatch(/No progress for 30 minutes/);
    expect(messages.lostContact(runningJob(), new Date('2026-11-30T11:00:00Z'))).toContain(
      'since 2026-11-30 11:00 UTC',
    );
    expect(messages.backInContact(runningJob())).toMatch(/Back in contact.*1,000 of 4,000/);
    expect(messages.milestone(runningJob({ progress: { percent: 50 } }), 50)).toBe('50 % done.');
  });
});

describe('notices stored before they carried values', () => {
  it('are delivered with the text and mentions they were stored with', () => {
    const job = runningJob();
    const stored = { id: 'n', kind: 'milestone', text: '50 % done.', mentions: [ALICE], inThread: true };
    expect(messages.noticeText(job, stored as unknown as Notice)).toEqual({ text: '50 % done.', mentions: [ALICE] });
  });
});

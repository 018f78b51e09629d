import { environmentKey } from '../../../src/events-api';
import {
  ADA,
  ALL_TICKED,
  BEN,
  CAT,
  cardText,
  cardVerbs,
  eventually,
  FROM_EVENT,
  startHarness,
  TO_EVENT,
  type Harness,
  contentOf,
  jobIdIn,
} from '../../helpers/botHarness';

/** What a person sees after typing a command in a channel, through the bot's own server on loopback. */

const OTHER_FROM = '33333333-3333-4333-8333-333333333333';
const OTHER_TO = '44444444-4444-4444-8444-444444444444';

const lastText = (h: Harness) => h.connector.texts().at(-1) ?? '';
const jobs = (h: Harness) => h.app.store.listJobs(environmentKey(h.sim.url), 50);
const lastCard = (h: Harness) => h.connector.cards().at(-1)!;

describe('bad input: a short answer naming the problem, nothing stored, nothing called', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.connector.clear());
  afterEach(async () => {
    expect(await jobs(h)).toEqual([]);
    expect(h.sim.calls).toEqual([]);
    expect(h.connector.cards()).toEqual([]);
  });

  it.each([
    ['a value that is not a GUID', `migrate 1234-abcd ${TO_EVENT}`, /outbound event id "1234-abcd" is not a GUID/],
    [
      'a bad real-time id',
      `migrate ${FROM_EVENT} {${TO_EVENT}`,
      new RegExp(`real-time event id "\\{${TO_EVENT}" is not a GUID`),
    ],
    [
      'the same id twice',
      `migrate ${FROM_EVENT} {${FROM_EVENT.toUpperCase()}}`,
      new RegExp(`same id was given twice \\(${FROM_EVENT}\\)`),
    ],
    ['a missing id', `migrate ${FROM_EVENT}`, /real-time event id is missing/],
    ['both ids missing', 'migrate', /Both event ids are missing/],
    ['too many words', `migrate ${FROM_EVENT} ${TO_EVENT} now`, /Too many words.*"now" is extra/],
  ])('%s', async (_what, text, expected) => {
    expect(await h.say(text)).toBe(200);
    expect(h.connector.sent).toHaveLength(1);
    expect(lastText(h)).toMatch(expected);
    expect(lastText(h)).toMatch(/Usage: `migrate <outbound-event-id> <real-time-event-id>`/);
  });

  it('answers an unknown word with help that names it and shows every command', async () => {
    await h.say('deploy the thing');
    expect(lastText(h)).toMatch(/I do not know `deploy`/);
    for (const command of ['migrate', 'status', 'history', 'help']) expect(lastText(h)).toContain(command);
  });

  it('reads command words in any case', async () => {
    await h.say('HELP');
    expect(lastText(h)).toMatch(/Event migration bot/);
    expect(lastText(h)).not.toMatch(/I do not know/);
    await h.say('Status');
    expect(lastText(h)).toMatch(/No migration yet/);
  });

  it('status and history before any migration say there is none', async () => {
    await h.say('status');
    expect(lastText(h)).toBe('No migration yet in this environment.');
    await h.say('history');
    expect(lastText(h)).toBe('No migration yet in this environment.');
  });

  it('refuses arguments to status', async () => {
    await h.say('status please');
    expect(lastText(h)).toMatch(/`status` takes no arguments \(got "please"\)/);
  });
});

describe('accepted input', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('tolerates &nbsp;, line breaks, HTML and extra spaces around a command in any case', async () => {
    await h.say(`<p>MIGRATE&nbsp;&nbsp; ${FROM_EVENT}<br>\n\t  ${TO_EVENT}&nbsp;</p>`);
    const [job] = await jobs(h);
    expect(job).toMatchObject({
      state: 'pending_approval',
      fromEventId: FROM_EVENT,
      toEventId: TO_EVENT,
      requestedBy: { name: ADA.name },
    });
    expect(cardVerbs(contentOf(lastCard(h)))).toEqual(['approve', 'cancel']);
    expect(h.sim.calls).toEqual([]);
  });

  it('accepts braces and upper case and shows and stores the ids normalised', async () => {
    const from = 'abcdef01-2345-4bcd-8ef0-abcdefabcdef';
    const to = 'fedcba98-7654-4321-9abc-fedcbafedcba';
    await h.say(`migrate {${from.toUpperCase()}} ${to.toUpperCase()}`);
    const [job] = await jobs(h);
    expect(job).toMatchObject({ fromEventId: from, toEventId: to });
    const text = cardText(contentOf(lastCard(h)));
    expect(text).toContain(from);
    expect(text).toContain(to);
    expect(text).not.toContain(from.toUpperCase());
    expect(text).toMatch(/Ada Admin/);
    expect(text).toMatch(/Expires/);
  });

  it('history lists migrations newest first with ids, state and requester', async () => {
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`);
    await h.click('cancel', { jobId: jobIdIn(contentOf(lastCard(h))) }, { from: ADA });
    await h.say(`migrate ${OTHER_FROM} ${OTHER_TO}`, { from: CAT });
    await h.say('history');
    const lines = lastText(h)
      .split('\n')
      .filter((l) => /^\d+\./.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^1\. `33333333…` → `44444444…` \*\*.*approval.*\*\*: requested by Cat Colleague/i);
    expect(lines[1]).toMatch(/^2\. `11111111…` → `22222222…` \*\*Cancelled\*\*: requested by Ada Admin/);
  });
});

describe('a request that cannot be acted on', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  async function approveFirst(): Promise<string> {
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, { from: ADA });
    const jobId = jobIdIn(contentOf(lastCard(h)));
    await h.click('approve', { jobId, ...ALL_TICKED }, { from: BEN, replyToId: lastCard(h).id });
    return jobId;
  }

  // Issue 14 changed this: a busy environment is no longer a dead end. The request gets its confirmation with
  // its place in line ("1 ahead of it": the running one); nothing is started.
  it('while the environment runs a migration: the card says how many are ahead of it, and Approve stays', async () => {
    h = await startHarness({ sim: { speed: 1, registrations: 1000 } });
    const runningId = await approveFirst();
    await eventually(async () => (await h.app.store.getJob(runningId))?.state === 'running', 'the first job running');
    const callsBefore = h.sim.startCalls().length;

    await h.say(`migrate ${OTHER_FROM} ${OTHER_TO}`, { from: CAT });
    const card = lastCard(h);
    expect(card.activity.text).toMatch(/Another migration is running in this environment/);
    expect(card.activity.text).toContain(runningId);
    expect(card.activity.text).toMatch(/1 ahead of it/);
    expect(cardText(contentOf(card))).toMatch(/1 ahead of it/);
    expect(cardVerbs(contentOf(card))).toContain('approve');
    const waiting = jobIdIn(contentOf(card));
    expect((await jobs(h)).map((j) => j.id).sort()).toEqual([runningId, waiting].sort());
    expect((await h.app.store.getJob(waiting))?.state).toBe('pending_approval');
    expect(h.sim.startCalls()).toHaveLength(callsBefore);
  });

  it('when the source event was already migrated successfully', async () => {
    h = await startHarness();
    const doneId = await approveFirst();
    await eventually(async () => (await h.app.store.getJob(doneId))?.state === 'completed', 'the first job completed');

    await h.say(`migrate ${FROM_EVENT} ${OTHER_TO}`, { from: CAT });
    const blocked = lastCard(h);
    expect(blocked.activity.text).toMatch(
      new RegExp(`outbound event \`${FROM_EVENT}\` has already been migrated successfully into \`${TO_EVENT}\``),
    );
    expect(blocked.activity.text).toContain('Ada Admin');
    expect(cardText(contentOf(blocked))).toMatch(/already been migrated successfully/);
    expect(cardVerbs(contentOf(blocked))).not.toContain('approve');
    expect(await jobs(h)).toHaveLength(1);
    expect(h.sim.startCalls()).toHaveLength(1);
  });
});

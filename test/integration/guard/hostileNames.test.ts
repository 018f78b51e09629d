import { ALL_TICKED, cardText, contentOf, startHarness, type Harness, type TeamsUser } from '../../helpers/botHarness';
import { approve, request, textMessages, untilDelivered, untilState, updatesOf } from '../../helpers/flow';

/**
 * Display names are whatever people (or a tenant's directory) typed: they must read as names everywhere the bot
 * writes them, never as links, emphasis, HTML, a second mention, a new line or text turned around.
 */

const LINK: TeamsUser = {
  id: '29:mallory',
  name: '[click](https://evil.example)',
  aadObjectId: 'dddddddd-0000-4000-8000-000000000004',
};
const MENTION: TeamsUser = {
  id: '29:trudy',
  name: 'x</at> <at>Someone else',
  aadObjectId: 'eeeeeeee-0000-4000-8000-000000000005',
};
const BOLD_HTML: TeamsUser = {
  id: '29:oscar',
  name: '**x** <a href="https://evil.example">y</a>',
  aadObjectId: 'ffffffff-0000-4000-8000-000000000006',
};
const TURNED: TeamsUser = {
  id: '29:eve',
  name: 'Eve\nApproved by the CEO \u202Eevil',
  aadObjectId: '99999999-0000-4000-8000-000000000007',
};

/** What must not be found in anything the bot wrote. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/(?<!\\)\[click(?<!\\)\]\(/); // a markdown link
  expect(text).not.toMatch(/(?<!\\)\*\*x(?<!\\)\*\*/); // bold
  expect(text).not.toMatch(/<a\s/i); // HTML
  expect(text).not.toMatch(/(?<![\\;])<at>Someone else/); // escaped as \<at> on cards, &lt;at&gt; in chat
  expect(text).not.toContain('\u202E');
  expect(text).not.toMatch(/Eve\s*\n/);
}

describe('hostile display names', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('are escaped on the cards, in status and history, in "Cancelled by", and the mention names only its person', async () => {
    // one request cancelled by a hostile name
    const cancelled = await request(h, { by: TURNED });
    await h.click('cancel', { jobId: cancelled.jobId }, { from: TURNED, replyToId: cancelled.cardId });
    await untilDelivered(h, cancelled.jobId);
    const cancelCard = cardText(contentOf(updatesOf(h, cancelled.cardId).at(-1)!));
    expect(cancelCard).toMatch(/Cancelled by Eve Approved by the CEO evil/);

    // one run to its end: requested by LINK, approved by MENTION
    const r = await request(h, { by: LINK });
    const confirmation = cardText(contentOf(h.connector.cards().find((c) => c.id === r.cardId)!));
    expect(confirmation).toContain('\\[click\\](https://evil.example)');
    await approve(h, r, { by: MENTION, inputs: ALL_TICKED });
    await untilState(h, r.jobId, ['completed']);
    await untilDelivered(h, r.jobId);

    await h.say('status', { from: BOLD_HTML });
    await h.say('history', { from: BOLD_HTML });
    const texts = textMessages(h).map((t) => t.activity.text!);
    const status = texts.find((t) => t.startsWith('**Migration'))!;
    expect(status).toContain('Requested by \\[click\\](https://evil.example)');
    expect(status).toContain('Approved by x&lt;/at&gt; &lt;at&gt;Someone else');
    const history = texts.find((t) => t.includes('(newest first)'))!;
    expect(history).toContain('Eve Approved by the CEO evil');

    // the completion mention: one entity a person, each the exact <at>...</at> of the text, no other <at>
    const done = textMessages(h).find((t) => /is complete/.test(t.activity.text!))!;
    const entities = done.activity.entities ?? [];
    expect(entities.map((e) => e.mentioned?.id)).toEqual([LINK.id, MENTION.id]);
    for (const e of entities) expect(done.activity.text).toContain(e.text);
    expect(entities[1].text).toBe('<at>x&lt;/at&gt; &lt;at&gt;Someone else</at>');
    expect(done.activity.text!.match(/<at>/g)).toHaveLength(2);

    // every card and message the bot sent
    for (const sent of h.connector.sent) {
      const all = sent.activity.attachments?.length ? cardText(contentOf(sent)) : (sent.activity.text ?? '');
      expectInert(all.replace(/<at>[^<]*<\/at>/g, ''));
    }
  });

  it('words echoed from a bad command stay inside their backticks and quotes', async () => {
    h.connector.clear();
    await h.say('frob`[click](https://evil.example)`b');
    await h.say('migrate a`[click](https://evil.example)`b 22222222-2222-4222-8222-222222222222');
    await h.say('status **x** <a href="https://evil.example">y</a>');
    const [unknown, notGuid, extra] = h.connector.texts();
    // inside a code span nothing is formatted; what matters is that the span is not broken open
    expect(unknown).toMatch(/I do not know `[^`\n]*`\. These/);
    expect(notGuid).toMatch(/"a\\`\\\[click\\\]\(https:\/\/evil\.example\)\\`b" is not a GUID/);
    for (const text of [notGuid, extra]) expectInert(text);
  });
});

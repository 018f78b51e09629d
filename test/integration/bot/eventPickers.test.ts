import { draftEventId } from '../../../src/migration/draftTarget';
import { ADA, cardText, contentOf, startHarness, THREAD, type Harness } from '../../helpers/botHarness';
import { textMessages } from '../../helpers/flow';
import { SEED, seriesIds, seriesName } from '../../../src/sim/dataverse/seed';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';
import { startSimulator, type Simulator } from '../../../src/sim/simulator';

/**
 * `migrate` alone with Dataverse on: the picker card, its type-ahead answered through the `application/search`
 * invoke in the shape Teams sends it to /api/messages, and Next giving the usual confirmation card; all over real
 * HTTP against the simulated Dataverse.
 */

interface Results {
  results: { title: string; value: string }[];
}

let org: SimOrganisation;
let h: Harness;

beforeAll(async () => {
  org = await startOrganisation({ events: { speed: 1000 } });
  h = await startHarness({ organisation: org });
});
afterAll(async () => {
  await h.close();
  await org.close();
});

async function search(dataset: string, queryText: string, queryOptions = { skip: 0, top: 15 }) {
  return h.invoke('application/search', { queryText, queryOptions, dataset });
}

async function results(dataset: string, queryText: string, queryOptions?: { skip: number; top: number }) {
  const answer = await search(dataset, queryText, queryOptions);
  expect(answer.status).toBe(200);
  expect(answer.body?.type).toBe('application/vnd.microsoft.search.searchResponse');
  return (answer.body!.value as unknown as Results).results;
}

/** The stops with registrations, most recent first (the roadshow's later stops start later). */
const stopsByRecency = () =>
  Array.from({ length: SEED.seriesStops }, (_, i) => SEED.seriesStops - i).map((n) => seriesIds(n).outbound);

describe('the search invoke', () => {
  it('finds outbound events with registrations by part of the name, any case; each title begins with the name', async () => {
    const found = await results('outbound', 'roadshow 2026 - STOP 1');
    // Stops 10 to 18 (not Stop 01)
    expect(found).toHaveLength(9);
    for (const r of found)
      expect(r.title).toMatch(
        /^Contoso Roadshow 2026 - Stop 1\d \(outbound\) · starts 2026-05-\d\d · \d+ registrations?$/,
      );
    const stop12 = found.find((r) => r.value === seriesIds(12).outbound)!;
    // 13 rows, one cancelled
    expect(stop12.title).toContain('· 12 registrations');
  });

  it('answers no match with an empty list', async () => {
    expect(await results('outbound', 'no such gala')).toEqual([]);
    expect(await results('blank_draft', 'no such gala')).toEqual([]);
  });

  it('answers at most 15 of more than 15 matches, and pages by skip and top', async () => {
    const all = stopsByRecency();
    const first = await results('outbound', 'Roadshow', { skip: 0, top: 50 });
    expect(first.map((r) => r.value)).toEqual(all.slice(0, 15));
    // the one without registrations is never offered
    expect(first.map((r) => r.value)).not.toContain(SEED.seriesEmptyOutbound);
    const page = await results('outbound', 'Roadshow', { skip: 10, top: 5 });
    expect(page.map((r) => r.value)).toEqual(all.slice(10, 15));
    const rest = await results('outbound', 'Roadshow', { skip: 15, top: 15 });
    expect(rest.map((r) => r.value)).toEqual(all.slice(15));
  });

  it('asks Dataverse small questions: $top and $select on the events, and no $skip', async () => {
    const seen = org.dataverse.calls.length;
    await results('outbound', 'Roadshow', { skip: 5, top: 5 });
    const events = org.dataverse.calls.slice(seen).filter((c) => c.path === 'msevtmgt_events');
    expect(events).toHaveLength(1);
    expect(Number(events[0].query.$top)).toBeLessThanOrEqual(30);
    expect(events[0].query.$select).toContain('msevtmgt_name');
    expect(events[0].query.$skip).toBeUndefined();
    expect(events[0].query.$filter).toContain("contains(msevtmgt_name,'Roadshow')");
  });

  it('lists real-time Drafts with no sessions, passes or registrations, and "a new draft" when its words are typed', async () => {
    const drafts = await results('blank_draft', 'roadshow');
    const ids = drafts.map((r) => r.value);
    expect(ids).toHaveLength(15);
    expect(ids).not.toContain(SEED.realTimeWithSession);
    for (const r of drafts)
      expect(r.title).toMatch(/^Contoso Roadshow 2026 - Stop \d\d · starts .* · blank real-time draft$/);
    const partner = await results('blank_draft', 'PARTNER');
    expect(partner.map((r) => r.value)).toEqual([SEED.realTimeBlank2]);
    const fresh = await results('blank_draft', 'new draft');
    expect(fresh).toEqual([{ title: 'A new draft real-time event, made from the outbound event', value: 'new' }]);
  });

  it("finds a name holding an apostrophe (the literal's quote doubled)", async () => {
    const found = await results('outbound', "customer's");
    expect(found.map((r) => r.title)).toEqual([
      "Customer's choice awards (outbound) · starts 2027-03-10 · 2 registrations",
    ]);
  });

  it('an empty queryText is answered 400 by botbuilder before the bot (the static choices cover it)', async () => {
    const calls = org.dataverse.calls.length;
    const answer = await search('outbound', '');
    expect(answer.status).toBe(400);
    expect(org.dataverse.calls.length).toBe(calls);
  });

  it('refuses a dataset it never drew', async () => {
    const answer = await search('contacts', 'a');
    expect(answer.status).toBe(400);
    expect(answer.body?.type).toBe('application/vnd.microsoft.error');
  });
});

/** The picker card `migrate` alone answers, and its two inputs. */
const newCards = () => h.connector.cards().filter((c) => c.kind !== 'update');
/** the message id of each picker card drawn, for Next's replyToId */
const pickerIds = new WeakMap<object, string>();

async function pickerCard(): Promise<Record<string, unknown>> {
  const before = newCards().length;
  expect(await h.say('migrate')).toBe(200);
  const sent = newCards()[before];
  expect(sent).toBeDefined();
  pickerIds.set(contentOf(sent), sent.id);
  return contentOf(sent);
}

function choiceSets(card: Record<string, unknown>) {
  return (card.body as Record<string, unknown>[]).filter((b) => b.type === 'Input.ChoiceSet') as {
    id: string;
    choices: { title: string; value: string }[];
    'choices.data': { type: string; dataset: string };
  }[];
}

async function next(inputs: Record<string, unknown>, card?: Record<string, unknown>, conversationId = THREAD) {
  const c = card ?? (await pickerCard());
  const action = (c.actions as { verb: string; data: Record<string, unknown> }[]).find(
    (a) => a.verb === 'pick_events',
  )!;
  return h.click(
    'pick_events',
    { ...action.data, ...inputs },
    { from: ADA, conversationId, replyToId: pickerIds.get(c) },
  );
}

const allJobs = async () => h.app.store.jobsInStates(['pending_approval']);
const jobCount = async () => (await allJobs()).length;

describe('the picker card', () => {
  it('offers two type-ahead lists, the most recent events first, and "a new draft"', async () => {
    const [from, to] = choiceSets(await pickerCard());
    expect(from['choices.data']).toEqual({ type: 'Data.Query', dataset: 'outbound' });
    expect(to['choices.data']).toEqual({ type: 'Data.Query', dataset: 'blank_draft' });
    expect(from.choices).toHaveLength(15);
    expect(from.choices[0].title).toMatch(/^Contoso Summit 2026 \(outbound\) · starts 2027-03-10 · 294 registrations$/);
    expect(from.choices.map((c) => c.value)).not.toContain(SEED.seriesEmptyOutbound);
    expect(to.choices[0]).toEqual({ title: 'A new draft real-time event, made from the outbound event', value: 'new' });
    expect(to.choices.map((c) => c.value)).toContain(SEED.realTimeBlank);
    expect(to.choices.map((c) => c.value)).not.toContain(SEED.realTimeWithSession);
    expect(to.choices.length).toBeLessThanOrEqual(16);
  });

  it('Next gives the usual confirmation card with its pre-flight evidence, as `migrate <a> <b>` would', async () => {
    const picker = await pickerCard();
    const jobs = await jobCount();
    const before = newCards().length;
    const answer = await next({ fromEventId: SEED.outboundLive, toEventId: seriesIds(3).realTime }, picker);
    expect(answer.status).toBe(200);
    // the clicker's and everyone's picker now show the choice, without Next
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.body.value)).toMatch(/events chosen[\s\S]*Contoso Summit 2026 \(outbound\)[\s\S]*Stop 03/);
    expect(cardText(answer.body.value)).toContain('confirmation card follows');
    const replaced = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === pickerIds.get(picker));
    expect(replaced).toHaveLength(1);
    expect(JSON.stringify(contentOf(replaced[0]))).not.toContain('pick_events');
    const card = newCards()[before];
    expect(card).toBeDefined();
    const text = cardText(contentOf(card));
    expect(text).toContain(SEED.outboundLive);
    expect(text).toContain(seriesIds(3).realTime);
    expect(text).toContain('Checking in Dataverse');
    expect(await jobCount()).toBe(jobs + 1);
    const stored = (await allJobs()).find((j) => j.toEventId === seriesIds(3).realTime);
    expect(stored).toMatchObject({
      fromEventId: SEED.outboundLive,
      toEventId: seriesIds(3).realTime,
      state: 'pending_approval',
    });
    await h.app.afterTurn.drain();
  });

  it.each([
    ['nothing chosen', {}, /Choose both events first/],
    ['no outbound event', { toEventId: SEED.realTimeBlank }, /Choose the outbound event first/],
    ['no real-time event', { fromEventId: SEED.outboundLive }, /Choose the real-time event/],
    [
      'the same event twice',
      { fromEventId: SEED.realTimeBlank, toEventId: SEED.realTimeBlank },
      /same event was chosen twice/,
    ],
    ['not an id', { fromEventId: 'Contoso', toEventId: SEED.realTimeBlank }, /Choose the outbound event first/],
  ])('answers %s clearly and changes nothing', async (_what, inputs, expected) => {
    const card = await pickerCard();
    const jobs = await jobCount();
    const sent = h.connector.sent.length;
    const answer = await next(inputs, card);
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(answer.body.value)).toMatch(expected);
    expect(h.connector.sent.length).toBe(sent);
    expect(await jobCount()).toBe(jobs);
  });

  it('refuses a pick that no longer qualifies (the draft got a session since the card was drawn)', async () => {
    const card = await pickerCard();
    const target = seriesIds(7).realTime;
    org.dataverse.rows('msevtmgt_sessions').push({
      msevtmgt_sessionid: '5e000000-0000-4000-8000-0000000000ff',
      msevtmgt_name: 'Added later',
      _msevtmgt_event_value: target,
    });
    const jobs = await jobCount();
    const answer = await next({ fromEventId: SEED.outboundLive, toEventId: target }, card);
    expect(String(answer.body.value)).toMatch(/no longer a blank Draft/);
    expect(await jobCount()).toBe(jobs);
    const gone = await next(
      { fromEventId: '12345678-1234-4234-8234-123456789012', toEventId: SEED.realTimeBlank },
      card,
    );
    expect(String(gone.body.value)).toMatch(/outbound event no longer qualifies/);
  });

  it('sends "a new draft" on as the typed `migrate <outbound> new`: a card saying what the bot will create', async () => {
    const picker = await pickerCard();
    const before = newCards().length;
    const answer = await next({ fromEventId: SEED.outboundLive, toEventId: 'new' }, picker);
    expect(answer.status).toBe(200);
    const card = newCards()[before];
    expect(card).toBeDefined();
    const text = cardText(contentOf(card));
    expect(text).toContain('The bot will create this real-time event after approval');
    expect(text).toContain('Contoso Summit 2026 (outbound)');
    const made = (await allJobs()).filter((j) => j.draftTarget && j.fromEventId === SEED.outboundLive);
    expect(made).toHaveLength(1);
    expect(made[0].toEventId).toBe(draftEventId(made[0].id));
    await h.app.afterTurn.drain();
  });

  it('takes a quoted outbound name with `new` as the target to the same card', async () => {
    const before = newCards().length;
    expect(await h.say('migrate "Contoso Summit 2026 (outbound)" new')).toBe(200);
    const card = newCards()[before];
    expect(card).toBeDefined();
    expect(cardText(contentOf(card))).toContain('The bot will create this real-time event after approval');
    await h.app.afterTurn.drain();
  });

  it("refuses Next from another conversation than the card's", async () => {
    const card = await pickerCard();
    const jobs = await jobCount();
    const answer = await next(
      { fromEventId: SEED.outboundLive, toEventId: SEED.realTimeBlank2 },
      card,
      '19:elsewhere@thread.tacv2',
    );
    expect(answer.status).toBe(403);
    expect(answer.body.type).toBe('application/vnd.microsoft.error');
    expect(await jobCount()).toBe(jobs);
  });
});

describe('names in the command', () => {
  it('goes on to the confirmation card when each name matches one event (straight or curly quotes)', async () => {
    for (const text of [
      'migrate "Partner day (outbound)" "partner day"',
      'migrate \u201cPartner day (outbound)\u201d \u201cPartner day\u201d',
      `migrate ${SEED.outboundDraft} "Partner day"`,
    ]) {
      const before = newCards().length;
      expect(await h.say(text)).toBe(200);
      const card = newCards()[before];
      expect(card).toBeDefined();
      const shown = cardText(contentOf(card));
      expect(shown).toContain(SEED.outboundDraft);
      expect(shown).toContain(SEED.realTimeBlank2);
    }
    await h.app.afterTurn.drain();
  });

  it('takes the event of the right kind: the real-time "Contoso Summit 2026" is not the outbound one', async () => {
    const before = newCards().length;
    expect(await h.say('migrate "Contoso Summit 2026" "Contoso Summit 2026"')).toBe(200);
    const shown = cardText(contentOf(newCards()[before]));
    expect(shown).toContain(SEED.outboundLive);
    expect(shown).toContain(SEED.realTimeBlank);
    await h.app.afterTurn.drain();
  });

  it('lists the candidates when a name matches several events, and stores nothing', async () => {
    const jobs = await jobCount();
    const cards = h.connector.cards().length;
    // "Stop 1" is part of Stops 10 to 18 (not of Stop 01)
    expect(await h.say(`migrate "${seriesName(1).replace('01', '1')}" "Partner day"`)).toBe(200);
    const text = textMessages(h).at(-1)!.activity.text!;
    expect(text).toMatch(/Several events match for the outbound event/);
    expect(text).toContain(
      'Contoso Roadshow 2026 - Stop 12 (outbound)** · starts 2026-05-12 · outbound · Live · [open](',
    );
    expect(text).not.toContain('Stop 01');
    expect(text).toContain(`etn=msevtmgt_event&id=${seriesIds(12).outbound}`);
    expect(h.connector.cards().length).toBe(cards);
    expect(await jobCount()).toBe(jobs);
  });

  it('says so when a name matches nothing', async () => {
    const jobs = await jobCount();
    expect(await h.say('migrate "Winter gala" "Partner day"')).toBe(200);
    expect(textMessages(h).at(-1)!.activity.text).toMatch(
      /No event's name holds "Winter gala" \(for the outbound event\)/,
    );
    expect(await jobCount()).toBe(jobs);
  });

  it('answers a missing closing quote', async () => {
    expect(await h.say('migrate "Partner day (outbound)" "Partner day')).toBe(200);
    expect(textMessages(h).at(-1)!.activity.text).toMatch(/has no closing quote/);
  });
});

describe('while Dataverse fails', () => {
  beforeEach(() => org.dataverse.injectFault({ kind: '5xx', code: 503, times: 1000 }));
  afterEach(() => org.dataverse.clearFaults());

  it('answers the search at once with why, instead of keeping Teams waiting', async () => {
    const began = Date.now();
    const answer = await search('outbound', 'summit');
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(answer.status).toBe(503);
    expect(answer.body?.type).toBe('application/vnd.microsoft.error');
    expect(JSON.stringify(answer.body?.value)).toMatch(/search could not be made in Dataverse/);
  });

  it('still draws the picker, saying the lists could not be read', async () => {
    const [from, to] = choiceSets(await pickerCard()).map((c) => c.choices);
    expect(from).toEqual([]);
    expect(to.map((c) => c.value)).toEqual(['new']);
    const shown = cardText(contentOf(newCards().at(-1)!));
    expect(shown).toMatch(/lists could not be read from Dataverse/);
  });

  it('refuses Next while the picks cannot be checked, and stores nothing', async () => {
    org.dataverse.clearFaults();
    const card = await pickerCard();
    org.dataverse.injectFault({ kind: '5xx', code: 503, times: 1000 });
    const jobs = await jobCount();
    const answer = await next({ fromEventId: SEED.outboundLive, toEventId: SEED.realTimeBlank2 }, card);
    expect(String(answer.body.value)).toMatch(/could not be checked in Dataverse.*Nothing was stored/);
    expect(await jobCount()).toBe(jobs);
  });

  it('answers names it cannot look up, and stores nothing', async () => {
    const jobs = await jobCount();
    expect(await h.say('migrate "Partner day (outbound)" "Partner day"')).toBe(200);
    expect(textMessages(h).at(-1)!.activity.text).toMatch(/names could not be looked up in Dataverse/);
    expect(await jobCount()).toBe(jobs);
  });
});

describe('with several environments', () => {
  let org2: SimOrganisation;
  let prod: Simulator;
  let several: Harness;
  beforeAll(async () => {
    org2 = await startOrganisation({ events: { speed: 1000 } });
    prod = await startSimulator({ token: 'prod-token-1', speed: 1000 });
    several = await startHarness({
      organisation: org2,
      env: {
        ENVIRONMENTS: 'prod,test',
        PROD_EVENTS_API_ENDPOINT: prod.url,
        PROD_EVENTS_API_TOKEN: 'prod-token-1',
        PROD_PRODUCTION: 'true',
      },
    });
  });
  afterAll(async () => {
    await several.close();
    await prod.close();
    await org2.close();
  });
  const cardsOf = () => several.connector.cards().filter((c) => c.kind !== 'update');

  it("draws the named environment's picker (production marked), searches it and sends Next on into it", async () => {
    expect(await several.say('migrate')).toBe(200);
    expect(several.connector.texts().at(-1)).toMatch(/several environments/);
    expect(await several.say('migrate in prod')).toBe(200);
    const card = contentOf(cardsOf().at(-1)!);
    expect(cardText(card)).toMatch(/^Production: prod/);
    const [from, to] = choiceSets(card);
    expect(from['choices.data'].dataset).toBe('outbound:prod');
    expect(to['choices.data'].dataset).toBe('blank_draft:prod');
    const searched = await several.invoke('application/search', {
      queryText: 'partner',
      queryOptions: { skip: 0, top: 15 },
      dataset: 'outbound:prod',
    });
    expect((searched.body!.value as unknown as Results).results.map((r) => r.value)).toEqual([SEED.outboundDraft]);
    const unnamed = await several.invoke('application/search', {
      queryText: 'partner',
      queryOptions: { skip: 0, top: 15 },
      dataset: 'outbound',
    });
    expect(unnamed.status).toBe(400);

    const action = (card.actions as { verb: string; data: Record<string, unknown> }[])[0];
    expect(action.data.environment).toBe('prod');
    const before = cardsOf().length;
    const answer = await several.click(
      'pick_events',
      { ...action.data, fromEventId: SEED.outboundDraft, toEventId: SEED.realTimeBlank2 },
      { from: ADA },
    );
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.body.value)).toMatch(/^Production: prod/);
    expect(cardText(contentOf(cardsOf()[before]))).toMatch(/^Production: prod/);
    const prodJobs = await several.app.store.listJobs(several.app.environments.named('prod')!.key, 5);
    expect(prodJobs.map((j) => [j.fromEventId, j.toEventId])).toEqual([[SEED.outboundDraft, SEED.realTimeBlank2]]);
    expect(await several.app.store.listJobs(several.app.environments.named('test')!.key, 5)).toEqual([]);
    await several.app.afterTurn.drain();
  });
});

describe('without Dataverse', () => {
  let plain: Harness;
  beforeAll(async () => {
    plain = await startHarness();
  });
  afterAll(async () => {
    await plain.close();
  });
  const lastText = () => textMessages(plain).at(-1)?.activity.text;

  it('`migrate` alone says the ids are missing and that lists need Dataverse', async () => {
    expect(await plain.say('migrate')).toBe(200);
    expect(lastText()).toMatch(/Both event ids are missing.*needs Dataverse/s);
    expect(plain.connector.cards()).toHaveLength(0);
  });

  it('names need Dataverse; the search invoke too', async () => {
    expect(await plain.say('migrate "Partner day (outbound)" "Partner day"')).toBe(200);
    expect(lastText()).toMatch(/needs Dataverse/);
    const answer = await plain.invoke('application/search', {
      queryText: 'partner',
      queryOptions: { skip: 0, top: 15 },
      dataset: 'outbound',
    });
    expect(answer.body?.statusCode).toBe(503);
    expect(answer.body?.type).toBe('application/vnd.microsoft.error');
  });
});

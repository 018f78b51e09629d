import { parseCommand } from '../../../src/migration/commandParser';
import { matchName, searchWindow, type EventSummary } from '../../../src/migration/eventDirectory';
import { invalidText } from '../../../src/words/catalogue';
import { nameProblem } from '../../../src/words/eventText';

/** Names in `migrate`, as typed in Teams, and which of the events holding a name a person meant. */

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';

describe('names in migrate', () => {
  it.each([
    ['straight quotes', 'migrate "Contoso Summit 2026" "Contoso Summit 2026 (real-time)"'],
    ['curly quotes', 'migrate \u201cContoso Summit 2026\u201d \u201cContoso Summit 2026 (real-time)\u201d'],
    ['a German opening quote', 'migrate \u201eContoso Summit 2026\u201c \u201eContoso Summit 2026 (real-time)\u201c'],
    ['HTML-encoded quotes', 'migrate &quot;Contoso Summit 2026&quot; &quot;Contoso Summit 2026 (real-time)&quot;'],
    [
      'extra spaces and a mention',
      '<at>Bot</at> migrate  " Contoso Summit 2026 "&nbsp;"Contoso Summit 2026 (real-time)"',
    ],
  ])('reads %s', (_what, text) => {
    expect(parseCommand(text)).toEqual({
      kind: 'migrate_named',
      from: { kind: 'name', name: 'Contoso Summit 2026' },
      to: { kind: 'name', name: 'Contoso Summit 2026 (real-time)' },
    });
  });

  it('takes a GUID for either side, and `new` as the target, and the environment last', () => {
    expect(parseCommand(`migrate {${FROM.toUpperCase()}} "Partner day" in test`)).toEqual({
      kind: 'migrate_named',
      from: { kind: 'id', id: FROM },
      to: { kind: 'name', name: 'Partner day' },
      environment: 'test',
    });
    expect(parseCommand(`migrate ${FROM} NEW`)).toEqual({ kind: 'migrate_new', fromEventId: FROM });
    expect(parseCommand('migrate "Partner day (outbound)" new')).toMatchObject({ to: { kind: 'new' } });
  });

  it('keeps a name holding an apostrophe whole', () => {
    expect(parseCommand(`migrate "Customer's choice" ${TO}`)).toMatchObject({
      from: { kind: 'name', name: "Customer's choice" },
    });
  });

  it('is the plain migrate when both sides are GUIDs, quoted or not', () => {
    expect(parseCommand(`migrate "${FROM}" "${TO}"`)).toEqual({ kind: 'migrate', fromEventId: FROM, toEventId: TO });
  });

  it.each([
    ['an unclosed quote', 'migrate "Partner day', /has no closing quote/],
    ['an empty name', `migrate "" ${TO}`, /name in quotes is empty/],
    ['new first', `migrate new ${TO}`, /goes second/],
    ['a name and a bad id', 'migrate "Partner day" 1234', /real-time event id "1234" is not a GUID/],
    ['one name only', 'migrate "Partner day"', /real-time event id is missing/],
    ['three sides', 'migrate "A" "B" "C"', /Too many words: expected two ids, got 3/],
  ])('answers %s', (_what, text, expected) => {
    const c = parseCommand(text);
    expect(c.kind).toBe('invalid');
    expect(c.kind === 'invalid' && invalidText(c)).toMatch(expected);
  });

  it('keeps the environment of `migrate in <name>` alone, for the picker', () => {
    expect(parseCommand('migrate in test')).toMatchObject({
      kind: 'invalid',
      problem: { kind: 'no_ids' },
      environment: 'test',
    });
  });
});

function event(name: string, kind: EventSummary['kind'], id = name): EventSummary {
  return { id, name, kind, publishStatus: 'draft', startsAt: null, link: `https://x/${id}` };
}

describe('matchName', () => {
  const outbound = event('Contoso Summit 2026 (outbound)', 'outbound');
  const realTime = event('Contoso Summit 2026', 'real_time');

  it('prefers the event of the expected kind over an exact name of the other kind', () => {
    expect(matchName('Contoso Summit 2026', [outbound, realTime], 'outbound')).toEqual({
      kind: 'one',
      event: outbound,
    });
    expect(matchName('contoso summit 2026', [outbound, realTime], 'real_time')).toEqual({
      kind: 'one',
      event: realTime,
    });
  });

  it('prefers an exact name (any case, any spacing) over names that only hold it', () => {
    const longer = event('Partner day 2', 'real_time');
    const exact = event('Partner  Day', 'real_time');
    expect(matchName('partner day', [longer, exact], 'real_time')).toEqual({ kind: 'one', event: exact });
  });

  it('answers several and none', () => {
    const a = event('Roadshow A', 'outbound');
    const b = event('Roadshow B', 'outbound');
    expect(matchName('Roadshow', [a, b], 'outbound')).toEqual({ kind: 'several', candidates: [a, b] });
    expect(matchName('Gala', [], 'outbound')).toEqual({ kind: 'none', name: 'Gala' });
  });

  it('takes the only match of the other kind (the pre-flight then says it is the wrong kind)', () => {
    expect(matchName('Contoso Summit 2026', [realTime], 'outbound')).toEqual({ kind: 'one', event: realTime });
  });
});

describe('searchWindow', () => {
  it('never answers more than 15, nor a negative skip', () => {
    expect(searchWindow({ skip: -3, top: 500 })).toEqual({ skip: 0, top: 15 });
    expect(searchWindow({})).toEqual({ skip: 0, top: 15 });
    expect(searchWindow({ skip: 30, top: 5 })).toEqual({ skip: 30, top: 5 });
  });
});

describe('a pasted essay as a name', () => {
  it('is searched for whole by the parser and echoed clipped', () => {
    const essay = `Contoso ${'very '.repeat(100)}long name`;
    const c = parseCommand(`migrate "${essay}" "${essay}"`);
    expect(c).toMatchObject({ kind: 'migrate_named', from: { name: essay } });
    const said = nameProblem('outbound', { kind: 'none', name: essay });
    expect(said.length).toBeLessThan(250);
  });
});
